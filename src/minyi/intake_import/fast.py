"""An import's new cases straight to table rows: the rows `cases.store.prepare_cases` builds for them, as tuples.

`prepare_cases` serves every intake path and works through a dict of some 70 columns per case; the rows of an
import without the understanding (`--no-enrich`, which leaves masking and the rest to the job queue) differ in
a few columns only. So the columns that are the same for a whole batch are converted once (`bulk.fixed_tail`),
and a row is its varying values in one column order followed by that tail; the acceptance clock is memoised
per policy and local day (`deadlines.batch.StageClocks`); the first events' hashes are one HMAC each over a
canonical-JSON template (`hashchain.CanonicalTemplate`). The tables end up as `prepare_cases` and `write_rows`
leave them, row for row (tests/integration/test_import_fast.py), and the chains pass `minyi audit verify`.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.events import audit_key, event_payload
from minyi.cases.models import Case, CaseEvent, Submitter
from minyi.cases.rules import Status
from minyi.cases.store import DEFAULTS, PERSON
from minyi.cases.tracking import new_codes
from minyi.db import reserve_ids, table_of
from minyi.deadlines.batch import ClockRow, StageClocks
from minyi.deadlines.clock import calendar, load_policies
from minyi.deadlines.rules import STOPPED, DeadlinePolicy, choose_policy
from minyi.deadlines.workcal import WorkCalendar
from minyi.hashchain import GENESIS, CanonicalTemplate
from minyi.intake_import.bulk import fixed_tail, json_text, processor, write_tuples
from minyi.intake_import.rows import ImportRow

CASE_COLUMNS = (
    "id", "tracking_code", "kind", "channel", "title", "body", "region_code", "topic_code", "department_id",
    "status", "external_ref", "registered_at", "reply_text", "replied_at", "closed_at", "submitter_id",
    "stage", "policy_name", "due_at", "remind_at", "accountability_at", "escalation_level", "next_escalation_at",
    "deadline_provisional", "event_count", "last_event_hash",
)  # fmt: skip
EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "actor_label", "actor_role", "action", "from_status",
                 "to_status", "note", "data", "public", "prev_hash", "hash")  # fmt: skip
SUBMITTER_COLUMNS = ("id", "name", "phone")
REGISTERED, CLOSED = Status.registered.value, Status.closed.value


@dataclass
class Batch:
    """One batch's rows per table (column order: the *_COLUMNS above, then each table's fixed tail)."""

    ids: list[int] = field(default_factory=list)
    submitters: list[tuple[Any, ...]] = field(default_factory=list)
    cases: list[tuple[Any, ...]] = field(default_factory=list)
    events: list[tuple[Any, ...]] = field(default_factory=list)
    event_values: list[dict[str, Any]] = field(default_factory=list)  # for the event hooks (the outbox)


class ImportRows:
    """Builds and writes the rows of an import's batches; what holds for the whole file is worked out once."""

    def __init__(self, session: Session, source: str, actor: Actor) -> None:
        self.source = source
        self.dialect = session.get_bind().dialect
        self._clocks: dict[tuple[DeadlinePolicy, WorkCalendar], StageClocks] = {}
        self.key = audit_key()
        self.actor = (actor.user_id, actor.label, str(actor.role))
        self.who = {"actor_id": actor.user_id, "actor_label": actor.label, "actor_role": str(actor.role)}
        first: dict[str, Any] = {"source": source, "ref": ""}
        reply: dict[str, Any] = {"source": source, "ref": "", "imported": True}
        slots = [("at",), ("case_id",), ("data", "ref")]
        self.first = CanonicalTemplate(self._sample(1, "register", None, REGISTERED, None, first), slots)
        self.reply = CanonicalTemplate(
            self._sample(2, "reply", REGISTERED, CLOSED, "", reply), [*slots, ("note",)]
        )
        proc = processor(table_of(CaseEvent).c.data.type, self.dialect)
        self.first_data, self.reply_data = _data_writer(proc, first), _data_writer(proc, reply)

    def prepare(self, session: Session, rows: list[ImportRow], now: datetime) -> Batch:
        """The rows of a batch of fresh import rows (inside the batch's write transaction: ids are reserved)."""
        out = Batch()
        T = _time_writer(self.dialect)  # a fresh one per batch: its cache of instants stays small
        policies, cal = load_policies(session), calendar(session)
        people = [r for r in rows if r.caller or r.phone]
        person_ids = iter(reserve_ids(session, table_of(Submitter), len(people)))
        out.ids = ids = reserve_ids(session, table_of(Case), len(rows))
        key, source, (actor_id, label, role) = self.key, self.source, self.actor
        first, first_data, reply, reply_data = self.first, self.first_data, self.reply, self.reply_data
        cases, events, hooked = out.cases, out.events, out.event_values
        chosen: dict[tuple[str, str], tuple[str, StageClocks]] = {}
        dues: dict[datetime, tuple[Any, Any]] = {}
        for r, cid, code in zip(rows, ids, new_codes(len(rows)), strict=True):
            pid = None
            if r.caller or r.phone:
                pid = next(person_ids)
                out.submitters.append((pid, r.caller, r.phone))
            policy_name, clocks = chosen.get((r.kind, r.channel)) or self._choose(chosen, policies, cal, r)
            at, ref = r.time, r.ref
            h = hmac.digest(key, b"%s|%s" % (GENESIS_BYTES, first.render(at.isoformat(timespec="microseconds"),
                                                                         cid, ref)), "sha256").hex()  # fmt: skip
            data: dict[str, Any] = {"source": source, "ref": ref}
            at_db = T(at)
            events.append((cid, 1, at_db, actor_id, label, role, "register", None, REGISTERED, None,
                           first_data(data), True, GENESIS, h))  # fmt: skip
            hooked.append({"case_id": cid, "seq": 1, "at": at, **self.who, "action": "register", "from_status": None,
                           "to_status": REGISTERED, "note": None, "data": data, "public": True, "hash": h,
                           "prev_hash": GENESIS})  # fmt: skip
            if r.reply is None:
                clock = _clock(T, clocks.at(at), dues)
                status, replied, seq = REGISTERED, None, 1
            else:
                prev, replied, status, clock, seq = h, T(r.reply_time or at), CLOSED, _STOPPED, 2
                done = r.reply_time or at
                msg = reply.render(done.isoformat(timespec="microseconds"), cid, ref, r.reply)
                h = hmac.digest(key, b"%s|%s" % (prev.encode(), msg), "sha256").hex()
                data = {"source": source, "ref": ref, "imported": True}
                events.append((cid, 2, replied, actor_id, label, role, "reply", REGISTERED, CLOSED, r.reply,
                               reply_data(data), True, prev, h))  # fmt: skip
                hooked.append({"case_id": cid, "seq": 2, "at": done, **self.who, "action": "reply",
                               "from_status": REGISTERED, "to_status": CLOSED, "note": r.reply, "data": data,
                               "public": True, "hash": h, "prev_hash": prev})  # fmt: skip
            cases.append((
                cid, code, r.kind, r.channel, r.title, r.text, r.region_code, r.topic_code, r.department_id, status,
                ref, at_db, r.reply, replied, replied, pid, clock[0], clock[1] or policy_name, *clock[2:], seq, h,
            ))  # fmt: skip
        return out

    def write(self, session: Session, out: Batch, now: datetime) -> None:
        """Write a prepared batch inside the caller's unit of work (COPY on PostgreSQL, executemany on SQLite)."""
        conn = session.connection()
        fixed = {**DEFAULTS, "created_at": now, "updated_at": now, "public_title": None, "public_body": None,
                 "public_text_rev": None, "external_source": self.source}  # fmt: skip
        for table, columns, values, rows in (
            (table_of(Submitter), SUBMITTER_COLUMNS, {**PERSON, "created_at": now}, out.submitters),
            (table_of(Case), CASE_COLUMNS, fixed, out.cases),
            (table_of(CaseEvent), EVENT_COLUMNS, {}, out.events),
        ):
            if rows:
                _write(conn, table, columns, values, rows)

    def _choose(self, chosen: dict[tuple[str, str], tuple[str, StageClocks]], policies: list[DeadlinePolicy],
                cal: WorkCalendar, r: ImportRow) -> tuple[str, StageClocks]:  # fmt: skip
        policy = choose_policy(policies, r.kind, r.channel, False)
        clocks = self._clocks.get((policy, cal))
        if clocks is None:  # a new policy or calendar (an administrator changed one): a fresh memo
            clocks = self._clocks[(policy, cal)] = StageClocks("acceptance", policy, cal)
        chosen[(r.kind, r.channel)] = (policy.name, clocks)
        return policy.name, clocks

    def _sample(self, seq: int, action: str, before: str | None, after: str, note: str | None,
                data: dict[str, Any]) -> dict[str, Any]:  # fmt: skip
        """An event's hashed payload as `cases.events.event_payload` makes it, for a template."""
        actor_id, label, role = self.actor
        return event_payload(case_id=0, seq=seq, at=datetime.now(UTC), actor_id=actor_id, actor_label=label,
                             actor_role=role, action=action, from_status=before, to_status=after, note=note,
                             data=data, public=True)  # fmt: skip


def _clock(
    T: Callable[[datetime], Any], c: ClockRow, dues: dict[datetime, tuple[Any, Any]]
) -> tuple[Any, ...]:
    """A clock's columns in the database's form; a day's deadline and accountability instants converted once."""
    fixed = dues.get(c[2])
    if fixed is None:
        fixed = dues[c[2]] = (T(c[2]), T(c[4]))
    remind = T(c[3])
    nxt = remind if c[6] == c[3] else (T(c[6]) if c[6] is not None else None)
    return (c[0], c[1], fixed[0], remind, fixed[1], c[5], nxt, c[7])


GENESIS_BYTES = GENESIS.encode()
_STOP = STOPPED.as_values()  # a closed import's clock, in ClockRow's order (the policy's name is kept)
_STOPPED = (_STOP["stage"], None, *(_STOP[k] for k in ("due_at", "remind_at", "accountability_at",
            "escalation_level", "next_escalation_at", "deadline_provisional")))  # fmt: skip


def _write(conn: Connection, table: Table, columns: tuple[str, ...], fixed: dict[str, Any],
           rows: list[tuple[Any, ...]]) -> None:  # fmt: skip
    names, tail = fixed_tail(conn, table, columns, fixed)
    write_tuples(conn, table, names, [(*row, *tail) for row in rows] if tail else rows)


def _time_writer(dialect: Any) -> Callable[[datetime], Any]:
    """UTCDateTime's bind conversion for aware instants: SQLite's naive UTC text, or the instant as it is."""
    if dialect.name != "sqlite":
        return lambda v: v  # aware UTC already: the driver sends it as timestamptz
    conv = processor(table_of(Case).c.registered_at.type, dialect)
    assert conv is not None

    def text(value: datetime) -> Any:  # the general conversion, in one C call when the instant is in UTC
        return value.isoformat(" ", "microseconds")[:-6] if value.tzinfo is UTC else conv(value)

    return text


def _data_writer(
    proc: Callable[[Any], Any] | None, sample: dict[str, Any]
) -> Callable[[dict[str, Any]], Any]:
    """The JSON column's bind conversion of an event's data that differs from `sample` in "ref" only: the
    converted sample around the ref in JSON, where probes show that this is what the conversion writes."""
    if proc is None:
        return lambda data: data
    marker = "\x00ref\x00"
    text = json_text(proc({**sample, "ref": marker}))
    if not isinstance(text, str) or text.count(json.dumps(marker)) != 1:
        return proc
    head, tail = text.split(json.dumps(marker))

    def write(data: dict[str, Any]) -> Any:
        return head + _ASCII(data["ref"]) + tail

    probes = ["", 'GD"1\\', "工单\t\u2028", "\ud800"]
    return (
        write
        if all(write({**sample, "ref": p}) == json_text(proc({**sample, "ref": p})) for p in probes)
        else proc
    )


_ASCII = json.encoder.encode_basestring_ascii  # json.dumps's own string encoder (ensure_ascii)
