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

from sqlalchemy import BindParameter, bindparam, delete, event, func, insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from minyi.access import counts_in_group_figures
from minyi.cases.events import FINAL, on_events
from minyi.cases.models import Case, CaseEvent
from minyi.deadlines.models import EscalationNotice
from minyi.deadlines.rules import workdays_to_reply
from minyi.deadlines.workcal import WorkCalendar
from minyi.portal.models import FIGURES, ScoreboardCase, ScoreboardMonth
from minyi.portal.rollup_rules import Cell, Facts, difference
from minyi.settings import get_settings
from minyi.uow import before_commit, current_tx, on_record, write

TOUCHED = "minyi_scoreboard_touched"
FRESH_IDS = "minyi_scoreboard_fresh"  # cases inserted in this unit of work, with no event but their first
BATCH = 2000


@on_events
def _note_cases(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Note the cases these events touch. A case inserted with them (intake hands its row to the hooks) has no
    earlier facts, returns or rungs: only its row is read before the commit (later writes in the same unit of work,
    households set by a committee, included)."""
    from minyi.cases.events import fresh_row, is_import

    touched: set[int] = session.info.setdefault(TOUCHED, set())
    fresh: dict[int, Mapping[str, Any] | None] = session.info.setdefault(FRESH_IDS, {})
    returned = {r["case_id"] for r in rows if r.get("action") == "return"}
    inserted = is_import(session)  # an import's new cases: no row handed over, but new all the same
    for cid in {r["case_id"] for r in rows if r.get("case_id")}:
        row = fresh_row(session, 0, cid)
        if cid in fresh or cid in touched or cid in returned or (row is None and not inserted):
            fresh.pop(cid, None)  # events again for a case inserted earlier in this unit of work: read it all
            touched.add(cid)
        else:
            fresh[cid] = row  # counted from it if its writer says nothing changed it since (`rows_final`); an
            # import's case has none here: its row is read


@event.listens_for(Session, "after_rollback")
def _forget_touched(session: Session) -> None:
    """What a rolled-back write touched was never written: forget it (an inserted id may be given again)."""
    for key in (TOUCHED, FRESH_IDS, FINAL):
        session.info.pop(key, None)


@before_commit
def _count_touched(session: Session) -> None:
    ids = session.info.pop(TOUCHED, None)
    fresh: dict[int, Mapping[str, Any] | None] = session.info.pop(FRESH_IDS, None) or {}
    final: set[int] = session.info.pop(FINAL, None) or set()
    if not ids and not fresh:
        return
    from minyi.deadlines.clock import calendar

    cal = calendar(session)
    if known := {cid: row for cid, row in fresh.items() if cid in final and row is not None}:
        update_cases(session, sorted(known), cal, new=True, rows=known)
    if unknown := [cid for cid in fresh if cid not in known]:
        update_cases(session, sorted(unknown), cal, new=True)
    if ids:
        update_cases(session, sorted(ids), cal)


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
                Case.handling_due_at, Case.evaluation, Case.round, Case.households, Case.visibility,
                ).where(Case.id.in_(_IDS))  # fmt: skip


_KEPT = select(ScoreboardCase.case_id, ScoreboardCase.facts).where(ScoreboardCase.case_id.in_(_IDS))
_KEPT_LOCKED = _KEPT.with_for_update()


def facts_of(
    session: Session, ids: Sequence[int], cal: WorkCalendar, *, history: bool = True
) -> dict[int, Facts]:
    """The scoreboard facts of these cases, read from the record (their row, returns and rungs; the statements
    are built once: they run in every unit of work that touches a case). `history=False`: cases inserted in this
    unit of work, which have neither returns nor rungs yet (their row alone is read)."""
    local = ZoneInfo(get_settings().timezone)
    params = {"ids": list(ids)}
    returns: dict[int, list[int | None]] = {}
    rungs: dict[int, list[int | None]] = {}
    if history:
        for case_id, data in session.execute(_RETURNS, params):
            returns.setdefault(case_id, []).append((data or {}).get("department_id"))
        for case_id, dep in session.execute(_RUNGS, params):
            rungs.setdefault(case_id, []).append(dep)
    rows = session.execute(_CASES, params)
    return {cid: _facts(dep, registered, accepted, replied, due, evaluation, rnd,
                        households if counts_in_group_figures(visibility) else None,
                        returns=tuple(returns.get(cid, ())), rungs=tuple(rungs.get(cid, ())), cal=cal, local=local)
            for cid, dep, registered, accepted, replied, due, evaluation, rnd, households, visibility in rows}  # fmt: skip


def _facts_of_rows(rows: Mapping[int, Mapping[str, Any]], cal: WorkCalendar) -> dict[int, Facts]:
    """The facts of cases inserted in this unit of work, from their rows as inserted (`rows_final`)."""
    local = ZoneInfo(get_settings().timezone)
    return {cid: _facts(r["department_id"], r["registered_at"], r["accepted_at"], r["replied_at"],
                        r["handling_due_at"], r["evaluation"], r["round"],
                        r.get("households") if counts_in_group_figures(r.get("visibility") or "public") else None,
                        returns=(), rungs=(), cal=cal, local=local) for cid, r in rows.items()}  # fmt: skip


def _facts(
    dep: int | None, registered: datetime, accepted: datetime | None, replied: datetime | None,
    due: datetime | None, evaluation: str | None, rnd: int | None, households: int | None, *,
    returns: tuple[int | None, ...], rungs: tuple[int | None, ...], cal: WorkCalendar, local: ZoneInfo,
) -> Facts:  # fmt: skip
    return Facts(
        month=registered.astimezone(local).date().replace(day=1),
        department_id=dep,
        replied=replied is not None,
        on_time=replied is not None and due is not None and replied <= due,
        evaluated=evaluation is not None,
        satisfied=evaluation in ("satisfied", "partly"),
        rehandled=(rnd or 1) >= 2,
        reply_days=workdays_to_reply(cal, registered, replied, accepted) if dep is not None else None,
        households=households,
        returns=returns,
        escalations=rungs,
    )


def update_cases(
    session: Session,
    ids: Sequence[int],
    cal: WorkCalendar,
    *,
    new: bool = False,
    rows: Mapping[int, Mapping[str, Any]] | None = None,
) -> None:
    """Add to the months the difference between what these cases count now and what they counted before.
    `new`: cases inserted in this unit of work, which counted nothing before and have no history yet (their row
    alone is read, or nothing when `rows` holds them as inserted)."""
    for i in range(0, len(ids), BATCH):
        chunk = ids[i : i + BATCH]
        old: dict[int, Facts] = {}
        if not new:
            # on PostgreSQL two writers of one case add their differences one after the other
            stmt = _KEPT_LOCKED if session.get_bind().dialect.name == "postgresql" else _KEPT
            old = {cid: Facts.loads(text) for cid, text in session.execute(stmt, {"ids": list(chunk)})}
        now = (
            _facts_of_rows({c: rows[c] for c in chunk}, cal)
            if rows is not None
            else facts_of(session, chunk, cal, history=not new)
        )
        _add_to_months(session, _sum_differences((old.get(cid), now.get(cid)) for cid in chunk))
        changed = [{"case_id": c, "facts": f.dumps()} for c, f in now.items() if old.get(c) != f]
        _upsert(session, ScoreboardCase, changed, ["case_id"], replace=True)


def _sum_differences(pairs: Iterable[tuple[Facts | None, Facts | None]]) -> dict[Cell, Counter[str]]:
    """What (before, after) pairs of facts add to each (department, month) cell."""
    cells: dict[Cell, Counter[str]] = {}
    for before, after in pairs:
        for cell, delta in difference(before, after).items():
            cells.setdefault(cell, Counter()).update(delta)
    return cells


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
        for cell, delta in _sum_differences((None, f) for f in facts.values()).items():
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
        ins = (pg_insert if dialect == "postgresql" else sqlite_insert)(
            model.__table__
        )  # Core: no ORM bulk path
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
