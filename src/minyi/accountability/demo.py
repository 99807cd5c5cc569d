"""Demo data of the accountability register: a decided public record and one awaiting the unit's response."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accountability.actions import do_open_record
from minyi.accountability.commands import COMMANDS, execute
from minyi.accountability.rules import Form, Ground
from minyi.accountability.schemas import DecisionIn, RecordIn, ResponseIn
from minyi.accounts.actions import actor_of
from minyi.inspection.models import RectificationItem


def load_accountability_demo(session: Session, ctx: dict[str, Any]) -> list[int]:
    """A public criticism of the housing bureau for a failed rectification item, decided and published; an
    admonishment proposed for the transport bureau's empty replies, waiting for its response."""
    users, depts = ctx["users"], ctx["depts"]
    sup, head = actor_of(users["supervisor"]), actor_of(users["zjj-head"])
    failed = session.scalar(select(RectificationItem.id).where(RectificationItem.status == "rejected"))
    first = do_open_record(session, sup, RecordIn(
        unit_id=depts["zjj"].id, post="建筑工程质量监督站站长", person="赵某某", ground=Ground.rectification_failed,
        form=Form.public_criticism, summary="巡察反馈的工程质量投诉答复空泛问题，整改期满仍未达到要求。",
        item_ids=[failed] if failed else []))  # fmt: skip
    execute(
        session,
        head,
        first.id,
        COMMANDS["respond"],
        ResponseIn(response="回访工作量大，已增派人员，申请延长一个月。"),
    )
    execute(session, sup, first.id, COMMANDS["decide"], DecisionIn(
        decision="整改不力属实，予以通报批评，限期一个月完成整改。", form=Form.public_criticism, public=True))  # fmt: skip
    second = do_open_record(session, sup, RecordIn(
        unit_id=depts["jtysj"].id, post="客运管理科", ground=Ground.empty_reply, form=Form.admonishment,
        summary="近一个月出租车投诉的答复多为“已转相关单位处理”，未写明处理结果。"))  # fmt: skip
    return [first.id, second.id]
