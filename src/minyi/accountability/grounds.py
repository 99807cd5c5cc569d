"""Records on the grounds beyond a late case: empty replies rated unsatisfied, cases re-handled more than twice
(from the rating's case event, in its unit of work), rectification failed (from every sweep).

Registered on the case events (`cases.events.on_events`) and the sweep (`deadlines.sweep.on_sweep`), so neither
the cases nor the inspection slice imports this one. One record per ground and subject (`rules.ground_key`); the
unit and the post, never a private name; the evidence linked on the record and its audit entry.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from minyi.accountability.actions import add_record
from minyi.accountability.models import AccountabilityRecord
from minyi.accountability.rules import Form, Ground, case_grounds, ground_key, rectification_failed
from minyi.accountability.schemas import RecordIn
from minyi.accounts.actor import SYSTEM
from minyi.cases.events import on_events
from minyi.cases.models import Case
from minyi.deadlines.clock import calendar
from minyi.deadlines.sweep import on_sweep
from minyi.inspection.models import RectificationItem
from minyi.uow import end_read, write

CASE_SUMMARY = {
    Ground.empty_reply: "诉求 #{id} 的答复经质量研判为空泛敷衍，群众评价不满意",
    Ground.rehandled: "诉求 #{id} 经群众评价不满意，已第 {round} 次退回重办（超过两次）",
}


def _taken(session: Session, keys: set[str]) -> set[str]:
    rows = session.scalars(
        select(AccountabilityRecord.ladder_key).where(AccountabilityRecord.ladder_key.in_(keys))
    )
    return {key for key in rows if key}


@on_events
def open_records_for_ratings(session: Session, events: Sequence[Mapping[str, Any]]) -> int:
    """An unsatisfied rating of a weak reply, or one that sends a case back a third time, opens a record."""
    wanted: dict[str, tuple[Ground, Case, int]] = {}
    for ev in events:
        data = ev.get("data") or {}
        if (
            ev.get("action") != "evaluate"
            or not isinstance(data, dict)
            or data.get("evaluation") != "unsatisfied"
        ):
            continue
        case = session.get(Case, ev["case_id"])
        if case is None or case.department_id is None:
            continue
        round_no = int(data.get("round") or case.round)
        for ground in case_grounds(data.get("evaluation"), ev.get("to_status"), round_no, case.reply_weak):
            wanted[ground_key(ground, "case", case.id)] = (ground, case, round_no)
    if not wanted:
        return 0
    fresh = {k: v for k, v in wanted.items() if k not in _taken(session, set(wanted))}
    for key, (ground, case, round_no) in fresh.items():
        assert case.department_id is not None
        body = RecordIn(unit_id=case.department_id, ground=ground, form=Form.public_criticism, case_ids=[case.id],
                        summary=CASE_SUMMARY[ground].format(id=case.id, round=round_no))  # fmt: skip
        add_record(session, SYSTEM, body, source="ladder", ladder_key=key)
    return len(fresh)


@on_sweep
def sweep_rectification_failed(session: Session, now: datetime) -> dict[str, int]:
    """Open a record for every rectification item rejected, or still open past its deadline, once."""
    today = calendar(session).local_date(now)
    rows = session.execute(
        select(RectificationItem.id, RectificationItem.unit_id, RectificationItem.post, RectificationItem.status,
               RectificationItem.due_on, RectificationItem.number, RectificationItem.round_id)
        .where(or_(RectificationItem.status == "rejected",
                   (RectificationItem.status == "open") & (RectificationItem.due_on < today)))
        .order_by(RectificationItem.id)
    ).all()  # fmt: skip
    failed = {ground_key(Ground.rectification_failed, "item", r.id): r for r in rows
              if rectification_failed(r.status, r.due_on, today)}  # fmt: skip
    fresh = {k: r for k, r in failed.items() if k not in _taken(session, set(failed))} if failed else {}
    end_read(session)
    if fresh:
        with write(session, SYSTEM):
            for key, r in fresh.items():
                if session.scalar(
                    select(AccountabilityRecord.id).where(AccountabilityRecord.ladder_key == key)
                ):
                    continue  # a parallel sweep opened it since the read
                why = (
                    "整改未通过验收"
                    if r.status == "rejected"
                    else f"整改期限（{r.due_on.isoformat()}）已过仍未完成"
                )
                body = RecordIn(unit_id=r.unit_id, post=r.post, ground=Ground.rectification_failed,
                                form=Form.public_criticism, item_ids=[r.id],
                                summary=f"巡视巡察 #{r.round_id} 整改清单第 {r.number} 项：{why}")  # fmt: skip
                add_record(session, SYSTEM, body, source="ladder", ladder_key=key)
    return {"accountability_rectification": len(fresh)}
