"""The demo consultation: a draft on lifts in old compounds, with comments, statements, votes and a map."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.consultation import participation as part
from minyi.consultation.actions import do_create_consultation, do_open
from minyi.consultation.models import Clause, Consultation
from minyi.consultation.recompute import recompute
from minyi.consultation.schemas import ConsultationIn
from minyi.db import utcnow
from minyi.departments.models import Department

DRAFT = """第一条 目的
为推进明川市既有住宅加装电梯，方便居民出行，制定本办法。
第二条 适用范围
本办法适用于本市行政区域内四层以上、未设电梯的既有住宅。
第三条 同意比例
加装电梯应当经本单元房屋专有部分面积占比三分之二以上的业主同意。
第四条 费用分摊
加装电梯费用由本单元业主按楼层系数分摊，一楼业主不承担费用。
第五条 财政补助
市财政对每台加装电梯给予二十万元补助。
"""
STATEMENTS = [
    ("一楼业主应当获得适当补偿", 0),
    ("补助标准应提高到三十万元", 0),
    ("同意比例三分之二太高了", 0),
    ("加装电梯会影响低层采光，应先评估", 1),
    ("施工期间应保障消防通道畅通", None),
    ("电梯维保费用应写进办法", None),
    ("高层业主应多承担费用", 0),
    ("应先在试点小区推行", 1),
    ("老人多的单元应优先安排", None),
    ("噪音问题必须解决", 1),
]
COMMENTS = [
    (3, "三分之二的比例在实践中很难达到，建议降低到过半数。"),
    (3, "同意比例太高，很多单元因为一两户反对做不成。"),
    (4, "一楼不承担费用但要承受采光和噪音影响，应给予补偿。"),
    (5, "二十万元补助不够，电梯造价普遍在六十万元以上。"),
    (None, "希望尽快出台，家里老人下楼太难了。"),
    (5, "补助应与单元住户数挂钩。"),
]


def load_demo_consultation(session: Session, seed: int = 2026) -> int | None:
    """Create the demo consultation once (None when it exists or the city is missing)."""
    if session.scalars(select(Consultation.id)).first() is not None:
        return None
    dept = session.scalars(select(Department).where(Department.code == "zjj")).first()
    head = session.scalars(select(User).where(User.username == "zjj-head")).first()
    if dept is None or head is None:
        return None
    rng = random.Random(seed)
    actor = actor_of(head)
    now = utcnow()
    body = ConsultationIn(title="明川市既有住宅加装电梯管理办法（征求意见稿）", department_id=dept.id,
                          background="为回应群众关于老旧小区加装电梯的大量诉求，市住建局起草了本办法，现公开征求意见。",
                          opens_at=now - timedelta(days=5), closes_at=now + timedelta(days=30), draft=DRAFT)  # fmt: skip
    c = do_create_consultation(session, actor, body)
    do_open(session, c, actor)
    people = [part.do_join(session, c) for _ in range(40)]
    clauses = {x.number: x.id for x in session.scalars(select(Clause).where(Clause.consultation_id == c.id))}
    for i, (number, text) in enumerate(COMMENTS):
        part.do_comment(session, c, people[i], clause_id=clauses[number] if number else None, body=text)
    statements = [
        (part.do_write_statement(session, c, people[i], text=t), side)
        for i, (t, side) in enumerate(STATEMENTS)
    ]
    for i, p in enumerate(people):
        group = 0 if i < 24 else 1
        for s, side in statements:
            if rng.random() < 0.15:
                continue
            if side is None:
                vote = 1 if rng.random() < 0.85 else 0
            else:
                vote = 1 if (side == group) == (rng.random() < 0.85) else -1
            part.do_vote(session, c, p, statement_id=s.id, value=vote)
    recompute(session, c.id)
    _experts_and_hearing(session, c, actor)
    return c.id


def _experts_and_hearing(session: Session, c: Consultation, actor: Actor) -> None:
    """One signed expert opinion, one invitation still open, and a hearing with two registrations."""
    from minyi.consultation import experts

    done = experts.do_invite(
        session, c, actor, role="expert", name="周明远", affiliation="明川大学土木工程学院"
    )
    experts.do_submit_opinion(session, c, done, body=EXPERT_OPINION)
    experts.do_invite(session, c, actor, role="deputy", name="林秀英", affiliation="明川市人大代表")
    experts.do_set_hearing(session, c, actor, at=utcnow() + timedelta(days=20), place="明川市民中心三楼会议室",
                           capacity=30)  # fmt: skip
    for name, phone, position in [("陈女士", "13900000101", "support"), ("郑先生", "13900000102", "oppose")]:
        experts.do_register(session, c, name=name, phone=phone, position=position, note="")


EXPERT_OPINION = (
    "一、第二条关于三分之二业主同意的比例与《民法典》第二百七十八条一致，建议保留。"
    "二、费用分摊宜按楼层设置系数，并对一层住户的采光、噪声影响给予适当补偿。"
    "三、建议明确电梯投入使用后的维保责任主体和费用来源，避免建成后无人维护。"
)
