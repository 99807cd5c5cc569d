"""Every write of an inspection round: one unit of work each, on the audit chain by the round's id only.

The audit entries carry ids and statuses, never what a letter or a call said (administrators read the chain).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.access import INSPECTION_TEAM, same_department
from minyi.accounts.actor import Actor
from minyi.accounts.models import User
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.departments.models import Department
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.inspection.models import (
    InspectionRound,
    ProblemClue,
    RectificationItem,
    RectificationProgress,
    RoundMember,
    RoundSubmission,
)
from minyi.inspection.queries import access_clue, access_item, submissions
from minyi.inspection.report import build_report
from minyi.inspection.rules import (
    ItemStatus,
    Stage,
    mailbox_open,
    may_decide,
    may_report,
    rectification_window,
    report_due,
    window_valid,
)
from minyi.inspection.schemas import (
    ClueIn,
    DecisionIn,
    FindingsIn,
    HandOnIn,
    ItemIn,
    LetterIn,
    ProgressIn,
    ReleaseIn,
    RoundIn,
)
from minyi.uow import current_tx, unit_of_work, write


def _record(session: Session, action: str, rnd: InspectionRound, data: dict[str, Any] | None = None) -> None:
    tx = current_tx(session)
    assert tx is not None
    rnd.version += 1
    tx.record(action, "inspection_round", rnd.id, data or {})


def check_open_round(session: Session, actor: Actor, body: RoundIn) -> list[int]:
    """Refuse a round before anything is written; returns the team (the opener first, as its leader)."""
    if actor.role not in INSPECTION_TEAM or actor.user_id is None:
        raise Forbidden(
            "仅纪检监察人员可以组建巡视巡察组", "only discipline inspectors open an inspection round"
        )
    if session.get(Department, body.unit_id) is None:
        raise InvalidInput("被巡视单位不存在", "unknown unit", field="unit_id")
    if same_department(actor, body.unit_id):
        raise Forbidden("不能巡视本单位", "an inspector may not inspect their own unit")
    today = calendar(session).local_date(utcnow())
    if not window_valid(body.starts_on, body.ends_on) or abs((body.starts_on - today).days) > 3660:
        raise InvalidInput(
            "巡视时间段无效", "the window must end after it starts, within a year", field="ends_on"
        )
    team = list(dict.fromkeys([actor.user_id, *body.member_ids]))
    rows = session.execute(select(User.id, User.role, User.department_id).where(User.id.in_(team))).all()
    ok = {r.id for r in rows if r.role == "inspector" and r.department_id != body.unit_id}
    if set(team) - ok:
        raise InvalidInput("巡视组成员须为纪检监察人员，且不属于被巡视单位",
                           "team members must be inspectors not of the unit inspected", field="member_ids")  # fmt: skip
    return team


def do_open_round(session: Session, actor: Actor, body: RoundIn) -> InspectionRound:
    """Open a round with its team; the opener leads it."""
    team = check_open_round(session, actor, body)
    with write(session, actor) as tx:
        rnd = InspectionRound(title=body.title, unit_id=body.unit_id, starts_on=body.starts_on, ends_on=body.ends_on,
                              phone=body.phone, stage=Stage.inspecting, version=1, created_by=actor.user_id,
                              created_at=utcnow())  # fmt: skip
        session.add(rnd)
        session.flush()
        session.add_all(RoundMember(round_id=rnd.id, user_id=u, leader=i == 0) for i, u in enumerate(team))
        tx.record(
            "inspection.round_opened", "inspection_round", rnd.id, {"unit_id": body.unit_id, "team": team}
        )
    return rnd


def check_letter(session: Session, rnd: InspectionRound) -> None:
    today = calendar(session).local_date(utcnow())
    if not mailbox_open(rnd.stage, rnd.starts_on, rnd.ends_on, today):
        raise Conflict(
            "该巡视巡察的来信受理时间已过或尚未开始", "the round's mailbox is not open", field="round"
        )


@unit_of_work
def do_send_letter(
    session: Session, actor: Actor, rnd: InspectionRound, body: LetterIn, *, held: bool = False
) -> None:
    """A letter to the round's mailbox (for the team only; no address or user agent is read); `held` when the
    round's cap was reached: kept for a team member's review instead of refused (a flood cannot shut it)."""
    check_letter(session, rnd)
    row = RoundSubmission(
        round_id=rnd.id,
        channel="mailbox",
        body=body.body,
        contact=body.contact,
        created_at=utcnow(),
        held=held,
    )
    session.add(row)
    session.flush()
    _record(session, "inspection.letter", rnd, {"submission_id": row.id, **({"held": True} if held else {})})


@unit_of_work
def do_release_letter(session: Session, actor: Actor, rnd: InspectionRound, body: ReleaseIn) -> None:
    """A team member releases a held letter: from now on it is listed and counted like any other."""
    row = session.get(RoundSubmission, body.submission_id, with_for_update=True)
    if row is None or row.round_id != rnd.id or not row.held:
        raise NotFound("待审来信", "held letter")
    row.held = False
    _record(session, "inspection.letter_released", rnd, {"submission_id": row.id})


@unit_of_work
def do_register_call(session: Session, actor: Actor, rnd: InspectionRound, body: LetterIn) -> None:
    """An operator registers a call to the round's line (the operator does not see it afterwards)."""
    row = RoundSubmission(round_id=rnd.id, channel="phone", body=body.body, contact=body.contact,
                          registered_by=actor.user_id, created_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    _record(session, "inspection.call", rnd, {"submission_id": row.id})


@unit_of_work
def do_mark_clue(session: Session, actor: Actor, rnd: InspectionRound, body: ClueIn) -> None:
    """The team marks a problem clue (问题线索), from a letter or call or from its own work."""
    if body.submission_id is not None and body.submission_id not in {
        s.id for s in submissions(session, rnd.id)
    }:
        raise InvalidInput("来信来电不存在", "no such letter or call in this round", field="submission_id")
    clue = ProblemClue(round_id=rnd.id, submission_id=body.submission_id, summary=body.summary, status="marked",
                       marked_by=actor.user_id, created_at=utcnow())  # fmt: skip
    session.add(clue)
    session.flush()
    _record(session, "inspection.clue_marked", rnd, {"clue_id": clue.id})


@unit_of_work
def do_hand_on_clue(session: Session, actor: Actor, rnd: InspectionRound, body: HandOnIn) -> None:
    """Hand a clue on to the inspectors or another organ, on the record."""
    clue = access_clue(session, actor, rnd, body.clue_id)
    if clue.status == "handed_on":
        raise Conflict("该线索已移交", "the clue was already handed on", field="clue_id")
    clue.status, clue.handed_to, clue.handover_note, clue.handed_at = (
        "handed_on",
        body.handed_to,
        body.note,
        utcnow(),
    )
    _record(session, "inspection.clue_handed_on", rnd, {"clue_id": clue.id, "handed_to": body.handed_to})


def _check_item(session: Session, rnd: InspectionRound, item: ItemIn) -> None:
    if session.get(Department, item.unit_id) is None:
        raise InvalidInput("责任单位不存在", "unknown responsible unit", field="unit_id")
    if not rectification_window(rnd.ends_on, item.due_on):
        raise InvalidInput("整改期限须在巡视结束后三年以内", "the deadline must fall within three years after the window",
                           field="due_on")  # fmt: skip


def _add_item(session: Session, rnd: InspectionRound, item: ItemIn) -> RectificationItem:
    _check_item(session, rnd, item)
    number = (session.scalar(select(func.max(RectificationItem.number)).where(RectificationItem.round_id == rnd.id))
              or 0) + 1  # fmt: skip
    row = RectificationItem(round_id=rnd.id, number=number, problem=item.problem, unit_id=item.unit_id, post=item.post,
                            measures=item.measures, due_on=item.due_on, evidence_required=item.evidence_required,
                            status=ItemStatus.open, created_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    rnd.rectification_due = max(rnd.rectification_due or item.due_on, item.due_on)
    return row


@unit_of_work
def do_give_findings(session: Session, actor: Actor, rnd: InspectionRound, body: FindingsIn) -> None:
    """The team's findings (反馈意见) and the rectification list (整改清单): the unit starts rectifying."""
    for item in body.items:
        _check_item(session, rnd, item)
    rnd.findings, rnd.findings_at, rnd.stage = body.findings, utcnow(), Stage.rectifying
    ids = [_add_item(session, rnd, item).id for item in body.items]
    _record(session, "inspection.findings", rnd, {"items": ids})


@unit_of_work
def do_add_item(session: Session, actor: Actor, rnd: InspectionRound, body: ItemIn) -> None:
    """One more item on the rectification list."""
    row = _add_item(session, rnd, body)
    _record(session, "inspection.item_added", rnd, {"item_id": row.id})


@unit_of_work
def do_report_progress(session: Session, actor: Actor, rnd: InspectionRound, body: ProgressIn) -> None:
    """The responsible unit reports on an item with its evidence; `complete` asks the team to accept it."""
    item = access_item(session, actor, rnd, body.item_id)
    if actor.department_id != item.unit_id:
        raise Forbidden("仅责任单位可以报告整改进展", "only the responsible unit reports progress")
    if not may_report(item.status):
        raise Conflict("该事项已验收完成", "the item was already accepted", field="item_id")
    row = RectificationProgress(item_id=item.id, done=body.done, evidence=body.evidence, complete=body.complete,
                                reported_by=actor.user_id, created_at=utcnow())  # fmt: skip
    session.add(row)
    session.flush()
    if body.complete:
        item.status = ItemStatus.reported
    _record(
        session,
        "inspection.progress",
        rnd,
        {"item_id": item.id, "progress_id": row.id, "complete": body.complete},
    )


@unit_of_work
def do_decide_item(session: Session, actor: Actor, rnd: InspectionRound, body: DecisionIn) -> None:
    """The team accepts an item reported complete, or rejects it with the reason (the unit reports again)."""
    item = access_item(session, actor, rnd, body.item_id)
    if not may_decide(item.status):
        raise Conflict("该事项尚未报告完成", "the unit has not reported the item complete", field="item_id")
    item.status = ItemStatus.accepted if body.accept else ItemStatus.rejected
    item.decision_reason, item.done_at = body.reason, utcnow() if body.accept else None
    _record(session, "inspection.item_decided", rnd, {"item_id": item.id, "accept": body.accept})


@unit_of_work
def do_publish_report(
    session: Session, actor: Actor, rnd: InspectionRound, body: object = None, *, now: datetime | None = None
) -> None:
    """Generate and publish the rectification report (整改情况通报) once the last deadline has passed."""
    now = now or utcnow()
    if not report_due(rnd.stage, rnd.rectification_due, calendar(session).local_date(now)):
        raise Conflict(
            "整改期限未满，不能发布整改情况通报", "the rectification deadlines have not all passed"
        )
    rnd.report_json, rnd.report_published_at, rnd.stage = build_report(session, rnd), now, Stage.published
    _record(session, "inspection.report_published", rnd, {})
