"""Demo data of supervision: a finished inspection round with its published rectification report, a round under
way with its mailbox open, and an accountability register (a public decision and one awaiting the response)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import CITIZEN
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.inspection.actions import do_open_round, do_send_letter
from minyi.inspection.commands import COMMANDS, execute
from minyi.inspection.schemas import DecisionIn, FindingsIn, ItemIn, LetterIn, NothingIn, ProgressIn, RoundIn

ITEMS = [
    ("住房保障资格审核把关不严，部分不符合条件家庭获得公租房", "住房保障科科长", "全面复核在保家庭资格，清退不符合条件的家庭，建立季度抽查制度", "复核台账和清退名单", True),
    ("工程质量投诉答复空泛，群众反映的问题未实际解决", "建筑工程质量监督站站长", "对近一年质量投诉逐件回访，答复须写明处理结果和依据", "回访记录和答复抽查表", False),
    ("物业维修资金使用审批周期过长", "房地产市场监管科科长", "压缩审批时限至10个工作日，实行网上公示", "审批流程文件和公示截图", None),
]  # fmt: skip


def load_inspection_demo(session: Session, ctx: dict[str, Any]) -> dict[str, int]:
    """Rounds on the housing bureau (finished, report published) and the transport bureau (under way)."""
    users, depts = ctx["users"], ctx["depts"]
    lead, member = actor_of(users["inspector"]), actor_of(users["inspector2"])
    head = actor_of(users["zjj-head"])
    today = calendar(session).local_date(utcnow())
    done = do_open_round(session, lead, RoundIn(
        title="市委第一巡察组巡察市住房和城乡建设局党组", unit_id=depts["zjj"].id, starts_on=today - timedelta(days=120),
        ends_on=today - timedelta(days=90), phone="0999-12388", member_ids=[member.user_id or 0]))  # fmt: skip
    items = [ItemIn(problem=p, unit_id=depts["zjj"].id, post=post, measures=m, due_on=today - timedelta(days=10 + 5 * i),
                    evidence_required=e) for i, (p, post, m, e, _ok) in enumerate(ITEMS)]  # fmt: skip
    execute(session, lead, done.id, COMMANDS["give_findings"], FindingsIn(
        findings="巡察发现：落实全面从严治党主体责任有差距，住房保障和工程质量监管领域群众反映集中，整改台账不健全。",
        items=items))  # fmt: skip
    for n, (_p, _post, _m, _e, outcome) in enumerate(ITEMS, start=1):
        item_id = next(i.id for i in _items(session, done.id) if i.number == n)
        if outcome is None:
            continue  # the unit never reported on this one: the report shows it unfinished
        execute(session, head, done.id, COMMANDS["report_progress"], ProgressIn(
            item_id=item_id, done="已完成整改：" + ITEMS[n - 1][2], evidence="已上传" + ITEMS[n - 1][3], complete=True))  # fmt: skip
        execute(session, lead, done.id, COMMANDS["decide_item"], DecisionIn(
            item_id=item_id, accept=outcome, reason="佐证材料齐全，验收通过" if outcome else "回访记录不全，未达到整改要求"))  # fmt: skip
    execute(session, lead, done.id, COMMANDS["publish_report"], NothingIn())
    open_round = do_open_round(session, member, RoundIn(
        title="市委第二巡察组巡察市交通运输局党组", unit_id=depts["jtysj"].id, starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=40), phone="0999-12389", member_ids=[lead.user_id or 0]))  # fmt: skip
    do_send_letter(
        session,
        CITIZEN,
        open_round,
        LetterIn(body="客运站周边出租车长期拒载、绕路，多次投诉没有下文，希望巡察组关注。"),
    )
    execute(session, actor_of(users["intake"]), open_round.id, COMMANDS["register_call"],
            LetterIn(body="来电反映：公交线路调整未征求沿线居民意见，老人出行不便。"))  # fmt: skip
    return {"published_round": done.id, "open_round": open_round.id}


def _items(session: Session, round_id: int) -> list[Any]:
    from sqlalchemy import select

    from minyi.inspection.models import RectificationItem

    return list(session.scalars(select(RectificationItem).where(RectificationItem.round_id == round_id)))
