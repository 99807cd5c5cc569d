"""The scoreboard's rollup, kept by the unit of work: figures per department and month of registration.

Every case event names its case (`cases.events.on_events`: the ORM actions, the sweep and the bulk import
alike), so the unit of work knows which cases a write touched. Before it commits, each touched case's facts are
read again from the record, compared with what the case last counted (`scoreboard_cases`), and only the
difference is added to the months (`rollup_rules.difference`). The cold scoreboard then reads (departments ×
months) rows instead of every case. `rebuild` recomputes all of it from the record (the migration's backfill,
`minyi scoreboard rebuild` after a holiday change); it gives the same rows, and a test checks it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import BindParameter, bindparam, delete, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from minyi.cases.events import on_events
from minyi.cases.models import Case, CaseEvent
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import workdays_to_reply
from minyi.deadlines.workcal import WorkCalendar
from minyi.portal.models import FIGURES, ScoreboardCase, ScoreboardMonth
from minyi.portal.rollup_rules import Cell, Facts, difference
from minyi.settings import get_settings
from minyi.uow import before_commit, current_tx, on_record, write

TOUCHED = "minyi_scoreboard_touched"
BATCH = 2000


@on_events
def _note_cases(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    session.info.setdefault(TOUCHED, set()).update(r["case_id"] for r in rows if r.get("case_id"))


@before_commit
def _count_touched(session: Session) -> None:
    ids = session.info.pop(TOUCHED, None)
    if ids:
        from minyi.deadlines.clock import calendar

        update_cases(session, sorted(ids), calendar(session))


_IDS: BindParameter[list[int]] = bindparam("ids", expanding=True)
_RETURNS = (
    select(CaseEvent.case_id, CaseEvent.data)
    .where(CaseEvent.action == "return", CaseEvent.case_id.in_(_IDS))
    .order_by(CaseEvent.case_id, CaseEvent.seq)
)
_RUNGS = (
    select(EscalationNotice.case_id, EscalationNotice.department_id)
    .where(EscalationNotice.level >= 2, EscalationNotice.case_id.in_(_IDS))
    .order_by(EscalationNotice.case_id, EscalationNotice.id)
)
_CASES = select(Case.id, Case.department_id, Case.registered_at, Case.accepted_at, Case.replied_at,
                Case.handling_due_at, Case.evaluation, Case.round, Case.households).where(Case.id.in_(_IDS))  # fmt: skip


def facts_of(session: Session, ids: Sequence[int], cal: WorkCalendar) -> dict[int, Facts]:
    """The scoreboard facts of these cases, read from the record (their row, returns and rungs; the statements
    are built once: they run in every unit of work that touches a case)."""
    local = ZoneInfo(get_settings().timezone)
    params = {"ids": list(ids)}
    returns: dict[int, list[int | None]] = {}
    for case_id, data in session.execute(_RETURNS, params):
        returns.setdefault(case_id, []).append((data or {}).get("department_id"))
    rungs: dict[int, list[int | None]] = {}
    for case_id, dep in session.execute(_RUNGS, params):
        rungs.setdefault(case_id, []).append(dep)
    rows = session.execute(_CASES, params)
    out = {}
    for cid, dep, registered, accepted, replied, due, evaluation, rnd, households in rows:
        out[cid] = Facts(
            month=registered.astimezone(local).date().replace(day=1),
            department_id=dep,
            replied=replied is not None,
            on_time=replied is not None and due is not None and replied <= due,
            evaluated=evaluation is not None,
            satisfied=evaluation in ("satisfied", "partly"),
            rehandled=(rnd or 1) >= 2,
            reply_days=workdays_to_reply(cal, registered, replied, accepted) if dep is not None else None,
            households=households,
            returns=tuple(returns.get(cid, ())),
            escalations=tuple(rungs.get(cid, ())),
        )
    return out


def update_cases(session: Session, ids: Sequence[int], cal: WorkCalendar) -> None:
    """Add to the months the difference between what these cases count now and what they counted before."""
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        stmt = select(ScoreboardCase.case_id, ScoreboardCase.facts).where(ScoreboardCase.case_id.in_(chunk))
        if session.get_bind().dialect.name == "postgresql":
            stmt = stmt.with_for_update()  # two writers of one case add their differences one after the other
        old = {cid: Facts.loads(text) for cid, text in session.execute(stmt)}
        new = facts_of(session, chunk, cal)
        cells: dict[Cell, Counter[str]] = {}
        for cid in chunk:
            for cell, delta in difference(old.get(cid), new.get(cid)).items():
                cells.setdefault(cell, Counter()).update(delta)
        _add_to_months(session, cells)
        changed = [{"case_id": c, "facts": f.dumps()} for c, f in new.items() if old.get(c) != f]
        _upsert(session, ScoreboardCase, changed, ["case_id"], replace=True)


def rebuild(session: Session, cal: WorkCalendar) -> int:
    """Recompute every case's facts and every month from the record (idempotent); the number of cases."""
    session.execute(delete(ScoreboardCase))
    session.execute(delete(ScoreboardMonth))
    cells: dict[Cell, Counter[str]] = {}
    done, last = 0, 0
    while True:
        ids = list(session.scalars(select(Case.id).where(Case.id > last).order_by(Case.id).limit(BATCH)))
        if not ids:
            break
        facts = facts_of(session, ids, cal)
        for f in facts.values():
            for cell, delta in difference(None, f).items():
                cells.setdefault(cell, Counter()).update(delta)
        session.execute(
            insert(ScoreboardCase), [{"case_id": c, "facts": f.dumps()} for c, f in facts.items()]
        )
        done, last = done + len(ids), ids[-1]
    _add_to_months(session, cells)
    return done


def months(session: Session) -> Iterable[tuple[int, dict[str, int]]]:
    """Each department's figures summed over its months: (department, figure → total)."""
    sums = [func.coalesce(func.sum(getattr(ScoreboardMonth, f)), 0) for f in FIGURES]
    stmt = select(ScoreboardMonth.department_id, *sums).group_by(ScoreboardMonth.department_id)
    for dep, *totals in session.execute(stmt):
        yield dep, dict(zip(FIGURES, (int(t) for t in totals), strict=True))


def _add_to_months(session: Session, cells: Mapping[Cell, Counter[str]]) -> None:
    rows = [
        {"department_id": d, "month": m, **{f: delta.get(f, 0) for f in FIGURES}}
        for (d, m), delta in cells.items()
    ]
    _upsert(session, ScoreboardMonth, rows, ["department_id", "month"], replace=False)


_UPSERTS: dict[tuple[str, str, bool], Any] = {}


def _upsert(
    session: Session, model: Any, rows: list[dict[str, Any]], keys: list[str], *, replace: bool
) -> None:
    """Insert rows, or on a key already there replace its values (`replace`) or add to them (the statement is
    built once per table and dialect: it runs in every unit of work that touches a case)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    stmt = _UPSERTS.get((dialect, model.__tablename__, replace))
    if stmt is None:
        ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(model)
        table = model.__table__
        values = {c.key: (ins.excluded[c.key] if replace else table.c[c.key] + ins.excluded[c.key])
                  for c in table.columns if c.key not in keys}  # fmt: skip
        stmt = _UPSERTS[(dialect, model.__tablename__, replace)] = ins.on_conflict_do_update(
            index_elements=keys, set_=values
        )
    session.execute(stmt, rows)


@on_record
def _restamp_after_a_holiday_change(
    session: Session, action: str, object_id: Any, data: dict[str, Any]
) -> None:
    """An administrator made a day a holiday or a working day: the replies whose clock ran over that day are
    counted again, on the new calendar, once the change has committed (its own unit of work, on the record)."""
    if action != "calendar.set_day" or object_id is None:
        return
    local = ZoneInfo(get_settings().timezone)
    start = datetime.combine(date.fromisoformat(str(object_id)), time.min, tzinfo=local)
    ids = list(session.scalars(select(Case.id).where(
        Case.replied_at >= start, Case.registered_at < start + timedelta(days=1))))  # fmt: skip
    tx = current_tx(session)
    if ids and tx is not None:
        tx.after_commit(lambda: _restamp(session, ids))


def _restamp(session: Session, ids: list[int]) -> None:
    from minyi.accounts.actor import SYSTEM
    from minyi.deadlines.clock import calendar, forget_calendar

    forget_calendar()  # the calendar the change made, not the one cached before it
    with write(session, SYSTEM) as tx:
        update_cases(session, ids, calendar(session))
        tx.record("scoreboard.restamp", "scoreboard", None, {"cases": len(ids)})
