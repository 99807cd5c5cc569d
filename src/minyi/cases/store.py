"""Writing new cases in bulk (one or thousands): submitters, first clock, repeat links and first events.

Both intake (one case per request) and the importer (thousands per batch) go through `insert_cases`, with Core
inserts and ids reserved up front, so a case, its chain head and its first event are written together.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Float, insert
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from minyi.accounts.actor import Actor
from minyi.cases.events import insert_events, next_event_values
from minyi.cases.models import Case, CaseBand, CaseLink, Submitter
from minyi.cases.redaction import text_revision
from minyi.cases.rules import Status
from minyi.cases.search import index_cases, public_text
from minyi.db import UTCDateTime, reserve_ids_of, table_of
from minyi.deadlines.clock import calendar, load_policies
from minyi.deadlines.rules import STOPPED, choose_policy, compute_clock
from minyi.deadlines.workcal import WorkCalendar

DEFAULTS: dict[str, Any] = {
    "address": None, "latitude": None, "longitude": None, "topic_code": None, "visibility": "public",
    "round": 1, "urgent": False, "department_id": None, "anonymous": False, "on_behalf_of": None,
    "master_case_id": None, "external_source": None, "external_ref": None, "accepted_at": None,
    "assigned_at": None, "signed_at": None, "replied_at": None, "closed_at": None, "handling_due_at": None,
    "extension_days": 0, "reply_text": None, "decline_reason": None, "return_reason": None,
    "evaluation": None, "evaluation_comment": None, "evaluated_at": None, "topic_suggested": None,
    "topic_confidence": None, "needs_triage": False, "suggested_department_id": None, "emotion_negativity": None,
    "emotion_intensity": None, "urgency_flags": [], "repeat_of_case_id": None, "text_signature": None,
    "understood_at": None, "version": 1, "region_code": None,
}  # fmt: skip
PERSON: dict[str, Any] = {
    "name": None, "phone": None, "email": None, "id_number": None, "address": None, "wechat_openid": None,
    "notify_by": None, "language": None,
}  # fmt: skip


@dataclass
class Link:
    """An earlier case about the same matter."""

    other_id: int
    tracking_code: str
    similarity: float
    same_person: bool
    open: bool
    department_id: int | None


@dataclass
class NewCase:
    """A case about to be stored: its columns, who registers it, and what goes in its first events."""

    values: dict[str, Any]
    actor: Actor
    at: datetime
    event_data: dict[str, Any] = field(default_factory=dict)
    submitter: dict[str, Any] | None = None
    keys: list[int] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _clock(values: dict[str, Any], policies: list[Any], cal: WorkCalendar) -> None:
    policy = choose_policy(policies, values["kind"], values["channel"], bool(values["urgent"]))
    values["policy_name"] = policy.name
    if values["status"] == Status.registered:
        values.update(compute_clock("acceptance", values["registered_at"], policy, cal).as_values())
    else:
        values.update(STOPPED.as_values())


@dataclass
class Prepared:
    """The rows of new cases for every table they touch, ready for any bulk writer (Core inserts, COPY)."""

    submitters: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    bands: list[dict[str, Any]] = field(default_factory=list)
    links: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ids(self) -> list[int]:
        return [v["id"] for v in self.cases]

    def index_rows(self) -> list[tuple[int, str, str]]:
        """(id, public title, public body) of the cases whose masked text is known, for the word index."""
        return [
            (v["id"], v["public_title"], v["public_body"])
            for v in self.cases
            if v["public_title"] is not None
        ]


def prepare_cases(session: Session, items: list[NewCase], now: datetime, *, mask: bool = True) -> Prepared:
    """Every row the new cases need, ids reserved and first events chained (inside the caller's write transaction).

    `mask=False` leaves the public text empty, for the understanding job to mask later (bulk imports).
    """
    out = Prepared()
    if not items:
        return out
    policies = load_policies(session)
    cal = calendar(session)
    people = [i for i in items if i.submitter]
    person_ids, ids = reserve_ids_of(
        session, [(table_of(Submitter), len(people)), (table_of(Case), len(items))]
    )
    for p, pid in zip(people, person_ids, strict=True):
        out.submitters.append({**PERSON, "created_at": now, **(p.submitter or {}), "id": pid})
        p.values["submitter_id"] = pid
    rev = text_revision()
    base = {**DEFAULTS, "submitter_id": None, "created_at": now, "updated_at": now}
    for item, cid in zip(items, ids, strict=True):
        v = {**base, **item.values, "id": cid}
        if mask:
            v["public_title"], v["public_body"] = public_text(v["title"], v["body"], item.submitter)
            v["public_text_rev"] = rev
        else:
            v["public_title"] = v["public_body"] = v["public_text_rev"] = None
        _clock(v, policies, cal)
        opened = [lk for lk in item.links if lk.open]
        if item.links:
            v["repeat_of_case_id"] = (opened or item.links)[0].other_id
        ev = next_event_values(cid, 0, "", item.actor, "register", None, Status.registered.value,
                               at=item.at, data=item.event_data)  # fmt: skip
        out.events.append(ev)
        if v["status"] == Status.closed and v["reply_text"] is not None:  # imported, already answered
            ev = next_event_values(cid, ev["seq"], ev["hash"], item.actor, "reply", Status.registered.value,
                                   Status.closed.value, note=v["reply_text"], at=v["replied_at"] or item.at,
                                   data={**item.event_data, "imported": True})  # fmt: skip
            out.events.append(ev)
        v["event_count"], v["last_event_hash"] = ev["seq"], ev["hash"]
        out.cases.append(v)
        out.bands.extend({"case_id": cid, "band_key": k} for k in set(item.keys))
        out.links.extend({"case_id": cid, "other_case_id": lk.other_id, "similarity": lk.similarity,
                          "same_submitter": lk.same_person, "created_at": now} for lk in item.links)  # fmt: skip
    return out


def insert_cases(session: Session, items: list[NewCase], now: datetime, *, mask: bool = True) -> list[int]:
    """Insert the cases (inside the caller's write transaction); returns their ids in order. `mask=False`: the
    understanding job masks and indexes the public text (`cases.masking`)."""
    out = prepare_cases(session, items, now, mask=mask)
    write_prepared(session, out)
    return out.ids


def write_prepared(session: Session, out: Prepared) -> None:
    """Insert the rows `prepare_cases` built, with their events (and the events' hooks) and word index."""
    if not out.cases:
        return
    if out.submitters:
        session.execute(insert(table_of(Submitter)), out.submitters)
    session.execute(insert(table_of(Case)), out.cases)
    insert_events(session, out.events, cases=out.cases, submitters=out.submitters)
    if out.bands:
        session.execute(insert(table_of(CaseBand)), out.bands)
    if out.links:
        session.execute(insert(table_of(CaseLink)), out.links)
    index_cases(session, out.index_rows())


def _loaders() -> tuple[dict[str, Any], dict[str, Callable[[Any], Any]]]:
    """What a read of a case row gives for a column the insert left to its default, and how a read shapes a value
    (aware UTC datetimes, plain numbers); None for a column whose default only the database knows."""
    defaults: dict[str, Any] = {}
    shape: dict[str, Callable[[Any], Any]] = {}
    for col in table_of(Case).columns:
        if isinstance(col.type, UTCDateTime):
            shape[col.key] = lambda v: v.astimezone(UTC)
        elif isinstance(col.type, Float):
            shape[col.key] = float
        if col.server_default is not None:
            defaults[col.key] = _DATABASE
        elif col.default is None:
            defaults[col.key] = None
        elif col.default.is_scalar:
            defaults[col.key] = col.default.arg  # type: ignore[attr-defined]
        else:
            defaults[col.key] = _CALL
    return defaults, shape


_DATABASE, _CALL = object(), object()
_LOADERS: list[tuple[dict[str, Any], dict[str, Callable[[Any], Any]]]] = []


def loaded_case(session: Session, row: Mapping[str, Any]) -> Case | None:
    """The case just inserted as `row` (`prepare_cases`), put in the session as a read of it would load it, but
    without the read; None when that cannot be known here (the session holds the case already: a write in the same
    unit of work may have changed it; or a column's default is the database's), for the caller to read it."""
    if session.identity_map.get(identity_key(Case, row["id"])) is not None:
        return None
    if not _LOADERS:
        _LOADERS.append(_loaders())
    defaults, shape = _LOADERS[0]
    values: dict[str, Any] = {}
    for key, default in defaults.items():
        value = row.get(key, default)
        if value is _DATABASE:
            return None
        if value is _CALL:
            value = table_of(Case).c[key].default.arg({})  # type: ignore[union-attr]
        elif isinstance(value, list | dict):
            value = type(value)(value)  # a read gives each case its own
        values[key] = shape[key](value) if value is not None and key in shape else value
    case = Case.__mapper__.class_manager.new_instance()  # filled as a read fills it: no attribute events
    case.__dict__.update(values)
    make_transient_to_detached(case)
    session.add(case)
    return case
