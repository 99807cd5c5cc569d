"""Inspection fixtures: inspectors, a round on the housing department in its window, a rectification list."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM, Actor
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.inspection.actions import do_open_round
from minyi.inspection.models import InspectionRound
from minyi.inspection.schemas import ItemIn, RoundIn
from tests.support.factories import PASSWORD, Org

LETTER = "住建局王科长在审批中索要好处费，联系电话13911112222"


def today(session: Session) -> date:
    return calendar(session).local_date(utcnow())


def make_inspectors(session: Session, org: Org) -> dict[str, Actor]:
    """Two inspectors of the office, one of the housing department (conflicted)."""
    out = {}
    for name, dept in [("inspector", None), ("inspector2", None), ("housing-inspector", org.housing.id)]:
        user = do_create_user(
            session, SYSTEM, username=name, password=PASSWORD, role="inspector", department_id=dept
        )
        out[name] = actor_of(user)
    return out


def open_round(session: Session, org: Org, lead: Actor, members: list[int]) -> InspectionRound:
    t = today(session)
    body = RoundIn(title="市委第一巡察组巡察住建局", unit_id=org.housing.id, starts_on=t - timedelta(days=1),
                   ends_on=t + timedelta(days=10), phone="0991-12388", member_ids=members)  # fmt: skip
    return do_open_round(session, lead, body)


def item(org: Org, due_on: date, *, unit_id: int | None = None, n: int = 1) -> ItemIn:
    return ItemIn(problem=f"问题{n}：审批环节吃拿卡要", unit_id=unit_id or org.housing.id, post="审批科科长",
                  measures="建立审批全程留痕制度，联系人电话13800001111", due_on=due_on,
                  evidence_required="制度文件和抽查记录")  # fmt: skip


def published_round_with(session: Session, sentences: list[str]) -> int:
    """A round whose findings, items and reported work carry `sentences`, its report published (past window)."""
    from sqlalchemy import select

    from minyi.accounts.models import User
    from minyi.departments.models import Department
    from minyi.inspection.commands import COMMANDS, execute
    from minyi.inspection.models import RectificationItem
    from minyi.inspection.schemas import DecisionIn, FindingsIn, NothingIn, ProgressIn

    unit = session.scalars(select(Department).order_by(Department.id)).first()
    assert unit is not None
    lead = actor_of(
        do_create_user(session, SYSTEM, username="pii-inspector", password=PASSWORD, role="inspector")
    )
    head = session.scalar(
        select(User).where(User.department_id == unit.id, User.role.in_(["dept_head", "handler"]))
    )
    t = today(session)
    body = RoundIn(
        title="巡察", unit_id=unit.id, starts_on=t - timedelta(days=60), ends_on=t - timedelta(days=40)
    )
    rnd = do_open_round(session, lead, body)
    texts = [s for s in sentences if len(s) >= 2][:100] or ["内容"]
    items = [ItemIn(problem=s, unit_id=unit.id, post="科长", measures=s, due_on=t - timedelta(days=5),
                    evidence_required="材料") for s in texts]  # fmt: skip
    execute(
        session,
        lead,
        rnd.id,
        COMMANDS["give_findings"],
        FindingsIn(findings="；".join(texts)[:10000], items=items),
    )
    if head is not None:
        unit_actor = actor_of(head)
        ids = session.scalars(
            select(RectificationItem.id)
            .where(RectificationItem.round_id == rnd.id)
            .order_by(RectificationItem.number)
        ).all()
        for n, (item_id, s) in enumerate(zip(ids, texts, strict=True)):
            execute(session, unit_actor, rnd.id, COMMANDS["report_progress"],
                    ProgressIn(item_id=item_id, done=s, evidence=s, complete=True))  # fmt: skip
            decision = DecisionIn(item_id=item_id, accept=n % 2 == 0, reason=s)
            execute(session, lead, rnd.id, COMMANDS["decide_item"], decision)
    execute(session, lead, rnd.id, COMMANDS["publish_report"], NothingIn())
    return rnd.id


def public_records_with(session: Session, sentences: list[str]) -> None:
    """Decided, published accountability records whose summary, response and decision carry `sentences`."""
    from sqlalchemy import select

    from minyi.accountability.actions import do_open_record
    from minyi.accountability.commands import COMMANDS, execute
    from minyi.accountability.rules import Form, Ground
    from minyi.accountability.schemas import DecisionIn, RecordIn, ResponseIn
    from minyi.accounts.models import User

    sup = session.scalar(select(User).where(User.role == "supervisor"))
    head = session.scalar(select(User).where(User.role == "dept_head"))
    assert sup is not None and head is not None and head.department_id is not None
    for s in [s for s in sentences if len(s) >= 2][:50]:
        body = RecordIn(
            unit_id=head.department_id,
            post="科长",
            ground=Ground.empty_reply,
            form=Form.admonishment,
            summary=s,
        )
        record = do_open_record(session, actor_of(sup), body)
        execute(session, actor_of(head), record.id, COMMANDS["respond"], ResponseIn(response=s))
        execute(
            session,
            actor_of(sup),
            record.id,
            COMMANDS["decide"],
            DecisionIn(decision=s, form=Form.admonishment, public=True),
        )


def report_then_decide(
    session: Session, unit: Actor, lead: Actor, round_id: int, item_id: int, *, accept: bool
) -> None:
    """The unit reports an item done; the team accepts or rejects it."""
    from minyi.inspection.commands import COMMANDS, execute
    from minyi.inspection.schemas import DecisionIn, ProgressIn

    done = ProgressIn(item_id=item_id, done="已整改", evidence="文件", complete=True)
    execute(session, unit, round_id, COMMANDS["report_progress"], done)
    decision = DecisionIn(item_id=item_id, accept=accept, reason="完成" if accept else "缺记录")
    execute(session, lead, round_id, COMMANDS["decide_item"], decision)
