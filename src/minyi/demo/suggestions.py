"""Demo suggestions and proposals: a congress session and a CPPCC session with items in every state."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.deadlines.workcal import CHINA
from minyi.suggestions import actions as act
from minyi.suggestions import assignment as asg
from minyi.suggestions.models import Suggestion
from minyi.suggestions.rules import AnswerDraft, Category, Satisfaction
from minyi.suggestions.schemas import SuggestionIn

CONGRESS = "明川市第十五届人民代表大会第三次会议"
CPPCC = "政协明川市第十五届委员会第三次会议"
ANSWER = "经认真研究，我局会同相关部门对您提出的问题进行了实地调研，已制定专项工作方案，明确责任分工和完成时限，并将持续跟踪落实情况。"
# (kind, session, proposer, proposer kind, subject, lead unit, where it ends)
ITEMS = [
    ("deputy_suggestion", CONGRESS, "李建国代表", "deputy", "关于优化人民路与解放大道交叉口信号灯配时的建议", "jtysj", "reanswering"),
    ("deputy_suggestion", CONGRESS, "王秀英代表", "deputy", "关于加快老旧小区加装电梯的建议", "zjj", "evaluated_a"),
    ("deputy_suggestion", CONGRESS, "李建国代表", "deputy", "关于增加中小学课后服务供给的建议", "jyj", "answered_b"),
    ("deputy_suggestion", CONGRESS, "陈志强代表", "deputy", "关于整治湖滨路夜间噪声扰民的建议", "sthjj", "overdue"),
    ("deputy_suggestion", CONGRESS, "赵丽华代表", "deputy", "关于规范农贸市场秩序的建议", "scjgj", "disputed"),
    ("deputy_suggestion", CONGRESS, "王秀英代表", "deputy", "关于建设城市绿道的建议", "cgj", "assigned_key"),
    ("deputy_suggestion", CONGRESS, "陈志强代表", "deputy", "关于个人住房纠纷的意见", None, "not_accepted"),
    ("deputy_suggestion", CONGRESS, "赵丽华代表", "deputy", "关于发展社区养老服务的建议", None, "registered"),
    ("deputy_suggestion", CONGRESS, "李建国代表", "deputy", "关于建设智慧停车系统的建议", None, "accepted"),
    ("cppcc_proposal", CPPCC, "民盟明川市委", "party", "关于完善灵活就业人员社会保障的提案", "rsj", "evaluated_c"),
    ("cppcc_proposal", CPPCC, "周明委员", "cppcc_member", "关于提升基层医疗服务能力的提案", "wjw", "answered_b"),
    ("cppcc_proposal", CPPCC, "市妇联", "organisation", "关于建设母婴室的提案", "swj", "reanswering"),
    ("cppcc_proposal", CPPCC, "周明委员", "cppcc_member", "关于加强校园周边交通安全的提案", None, "accepted"),
    ("cppcc_proposal", CPPCC, "政协社会法制委员会", "committee", "关于推进背街小巷改造的提案", "dhq", "assigned_key"),
    ("cppcc_proposal", CPPCC, "民盟明川市委", "party", "关于引进外资的提案", None, "not_accepted"),
    ("cppcc_proposal", CPPCC, "市妇联", "organisation", "关于增设公共卫生间的提案", "cgj", "disputed"),
    ("cppcc_proposal", CPPCC, "周明委员", "cppcc_member", "关于保护历史街区的提案", None, "registered"),
]  # fmt: skip


def load_suggestions(session: Session, ctx: dict[str, Any], now: datetime) -> dict[str, str]:
    """Register and drive the demo items through the same actions staff use; the proposers' codes come back."""
    users, depts = ctx["users"], ctx["depts"]
    office = actor_of(users["intake"])
    codes: dict[str, str] = {}
    proposers: dict[str, int] = {}
    for n, (kind, session_label, who, who_kind, subject, unit, end) in enumerate(ITEMS, start=1):
        known = proposers.get(who)
        body = SuggestionIn(
            kind=kind, session=session_label, number=n, proposer_id=known,
            proposer=None if known else {"name": who, "kind": who_kind}, cosigners=["钱伟代表"] if n % 3 == 0 else [],
            subject=subject, body=subject.removeprefix("关于").removesuffix("的建议").removesuffix("的提案") + "，群众反映强烈，建议有关部门统筹研究解决。",
        )  # fmt: skip
        item, code = act.do_register_suggestion(session, office, body)
        if code:
            codes[who], proposers[who] = code, item.proposer_id
        head = actor_of(users[f"{unit}-head"]) if unit else office
        _drive(session, item, office, head, depts[unit].id if unit else None, end, now)
    return codes


def _drive(session: Session, item: Suggestion, office: Actor, head: Actor, unit_id: int | None, end: str,
           now: datetime) -> None:  # fmt: skip
    if end == "registered":
        return
    if end == "not_accepted":
        act.do_not_accept(
            session, item, office, reason="属于个人具体诉求，转交有关部门按信访渠道办理", to_opinion=True
        )
        return
    act.do_accept(session, item, office)
    if unit_id is None:
        return
    assigned = now - timedelta(days=100 if end == "overdue" else 40)
    asg.do_assign(session, item, office, lead_unit_id=unit_id, co_unit_ids=[], now=assigned)
    if end == "assigned_key":
        act.do_mark_key(session, item, office, leader="常务副市长 刘强")
    if end == "disputed":
        asg.do_dispute(session, item, head, reason="该事项主要职责在区政府", now=assigned + timedelta(days=2))
    if end in ("overdue", "assigned_key", "disputed"):
        return
    today = now.astimezone(CHINA).date()
    act.do_record_contact(session, item, head, way="meeting", contacted_on=today - timedelta(days=10),
                          who="提出人", summary="面商办理思路，提出人同意分步实施")  # fmt: skip
    category = {"evaluated_a": Category.A, "evaluated_c": Category.C}.get(end, Category.B)
    draft = AnswerDraft(category, ANSWER, plan="分两期实施，年底前完成第一期" if category == Category.B else None,
                        plan_date=today + timedelta(days=200) if category == Category.B else None,
                        reason="受财力所限，暂列入远期规划" if category == Category.C else None)  # fmt: skip
    act.do_answer(session, item, head, draft=draft, now=now - timedelta(days=5))
    if end == "answered_b":
        return
    judged = {"evaluated_a": Satisfaction.satisfied, "evaluated_c": Satisfaction.basically_satisfied}
    proposer = Actor(Role.citizen, "proposer")
    act.do_evaluate(session, item, proposer, satisfaction=judged.get(end, Satisfaction.unsatisfied),
                    comment="进度偏慢，希望加快" if end == "reanswering" else None)  # fmt: skip
