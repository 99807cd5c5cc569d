"""Every lifecycle action, run on SQLite and on PostgreSQL through the do_* actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.audit.verify import verify_all
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.commands import STAFF_COMMANDS, execute
from minyi.cases.models import Case, CaseEvent, CoHandler, IdempotencyKey, Submitter
from minyi.cases.queries import QueueFilter, access_case_by_id, access_case_by_tracking_code, list_queue
from minyi.cases.rules import Evaluation, Status
from minyi.cases.schemas import NoteIn
from minyi.deadlines.workcal import WorkCalendar
from minyi.errors import Conflict, InvalidInput, InvalidTransition, NotFound, TooLarge
from minyi.intake.actions import do_submit_case
from minyi.uow import write
from tests.support.factories import Org, make_org, submission, submit
from tests.support.tamper import OUTSIDER


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _to_in_progress(session: Session, org: Org, case: Case) -> Case:
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    return case


def test_a_submission_is_registered_with_an_acceptance_deadline(session: Session, org: Org) -> None:
    case = submit(session, contact={"name": "王先生", "phone": "13912345678"})
    assert case.status == Status.registered
    assert case.stage == "acceptance"
    assert WorkCalendar().workdays_elapsed(case.registered_at, case.due_at) == 15
    assert session.get(Submitter, case.submitter_id).phone == "13912345678"  # type: ignore[union-attr]
    assert "13912345678" not in case.body
    assert case.event_count == 1


def test_full_life_satisfied(session: Session, org: Org) -> None:
    case = _to_in_progress(session, org, submit(session))
    assert case.status == Status.in_progress and case.stage == "handling"
    act.do_reply(session, case, org.actor("housing-handler"), text="已督促物业于本周内修复电梯。")
    assert case.status == Status.replied and case.stage == "evaluation"
    act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.satisfied)
    assert case.status == Status.closed and case.due_at is None and case.reply_text
    actions = [
        e.action
        for e in session.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq)
        )
    ]
    assert actions == ["register", "accept", "assign", "sign_for", "reply", "evaluate"]
    assert list(verify_all(session)) == []


def test_unsatisfied_reopens_and_keeps_both_rounds(session: Session, org: Org) -> None:
    case = _to_in_progress(session, org, submit(session))
    handler = org.actor("housing-handler")
    act.do_reply(session, case, handler, text="已转物业处理。")
    act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.unsatisfied, comment="没有修")
    assert case.status == Status.rehandling and case.round == 2 and case.stage == "rehandling"
    act.do_reply(session, case, handler, text="已现场修复并验收。")
    act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.unsatisfied)
    assert case.status == Status.closed  # one re-handling round by default, then it closes
    replies = session.scalar(
        select(func.count()).where(CaseEvent.case_id == case.id, CaseEvent.action == "reply")
    )
    assert replies == 2


def test_decline_needs_a_registered_case_and_records_the_reason(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_decline(session, case, org.actor("intake"), reason="属于诉讼程序")
    assert case.status == Status.declined and case.decline_reason == "属于诉讼程序"
    with pytest.raises(InvalidTransition):
        act.do_accept(session, case, org.actor("intake"))


def test_return_sends_the_case_back_to_dispatch(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(
        session, case, org.actor("intake"), department_id=org.transport.id, co_handler_ids=[org.housing.id]
    )
    assert (
        session.scalar(select(func.count()).select_from(CoHandler).where(CoHandler.case_id == case.id)) == 1
    )
    with pytest.raises(InvalidTransition):  # housing is only a co-handler
        act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_return(session, case, org.actor("transport-handler"), reason="不属于交通局职责")
    assert case.status == Status.returned and case.department_id is None
    items, total = list_queue(session, org.actor("supervisor"), QueueFilter(queue="returned"))
    assert total == 1 and items[0].id == case.id
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    assert case.status == Status.assigned


def test_extension_moves_the_deadline_and_is_capped(session: Session, org: Org) -> None:
    case = _to_in_progress(session, org, submit(session))
    due = case.due_at
    req = oversight.do_request_extension(
        session, case, org.actor("housing-handler"), days=20, reason="需要会勘"
    )
    with pytest.raises(Conflict):
        oversight.do_request_extension(session, case, org.actor("housing-handler"), days=5, reason="again")
    with pytest.raises(InvalidTransition):
        oversight.do_decide_extension(
            session, case, org.actor("housing-handler"), request_id=req.id, approve=True
        )
    oversight.do_decide_extension(session, case, org.actor("supervisor"), request_id=req.id, approve=True)
    assert case.extension_days == 20 and case.due_at > due  # type: ignore[operator]
    with pytest.raises(InvalidTransition):
        oversight.do_request_extension(session, case, org.actor("housing-handler"), days=11, reason="more")
    req2 = oversight.do_request_extension(
        session, case, org.actor("housing-handler"), days=10, reason="最后一次"
    )
    oversight.do_decide_extension(session, case, org.actor("supervisor"), request_id=req2.id, approve=False)
    assert case.extension_days == 20


def test_merge_points_the_duplicate_at_its_master(session: Session, org: Org) -> None:
    master = submit(session)
    dup = submit(session, title="电梯又坏了")
    oversight.do_merge(session, dup, org.actor("intake"), master=master)
    assert dup.status == Status.merged and dup.master_case_id == master.id
    with pytest.raises(InvalidInput):
        oversight.do_merge(session, master, org.actor("intake"), master=master)


def test_withdrawal_by_the_submitter(session: Session, org: Org) -> None:
    case = submit(session)
    act.do_withdraw(session, case, CITIZEN, reason="已解决")
    assert case.status == Status.withdrawn
    with pytest.raises(InvalidTransition):
        act.do_withdraw(session, case, CITIZEN)


def test_wrong_department_sees_nothing(session: Session, org: Org) -> None:
    case = _to_in_progress(session, org, submit(session))
    with pytest.raises(NotFound):
        access_case_by_id(session, org.actor("transport-handler"), case.id)
    assert access_case_by_id(session, org.actor("housing-handler"), case.id).id == case.id


def test_confidential_cases_need_an_explicit_grant(session: Session, org: Org) -> None:
    case = submit(session, visibility="confidential")
    with pytest.raises(NotFound):
        access_case_by_id(session, org.actor("supervisor"), case.id)
    assert access_case_by_id(session, org.actor("admin"), case.id)  # admin has clearance
    oversight.do_grant_access(session, case, org.actor("admin"), user_id=org.users["supervisor"].id)
    assert access_case_by_id(session, org.actor("supervisor"), case.id)


def test_a_stale_version_is_refused(session: Session, org: Org) -> None:
    case = submit(session)
    with pytest.raises(Conflict):
        execute(session, org.actor("intake"), case.id, STAFF_COMMANDS["accept"], NoteIn(),
                expected_version=case.version - 1)  # fmt: skip
    assert case.status == Status.registered


def test_nothing_is_half_written_on_failure(session: Session, org: Org) -> None:
    case = _to_in_progress(session, org, submit(session))
    before = case.event_count
    with pytest.raises(InvalidInput):
        act.do_assign(session, case, org.actor("intake"), department_id=999)
    session.expire_all()
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.event_count == before and fresh.status == Status.in_progress


def test_idempotent_submission(session: Session, org: Org) -> None:
    sub = submission()
    a, created_a = do_submit_case(session, sub, idempotency_key="k-1")
    b, created_b = do_submit_case(session, sub, idempotency_key="k-1")
    assert created_a and not created_b and a.id == b.id
    with pytest.raises(Conflict):
        do_submit_case(session, submission(title="另一件事"), idempotency_key="k-1")
    assert session.scalar(select(func.count()).select_from(IdempotencyKey)) == 1


def test_bad_input_is_refused_before_anything_is_written(session: Session, org: Org) -> None:
    with pytest.raises(InvalidInput):
        do_submit_case(session, submission(region_code="110101"))
    with pytest.raises(InvalidInput):
        do_submit_case(session, submission(topic_code="99.99"))
    with pytest.raises(InvalidInput):
        do_submit_case(session, submission(occurred_at=datetime.now(UTC) + timedelta(days=2)))
    with pytest.raises(TooLarge):
        do_submit_case(session, submission(body="长" * 10_001))
    assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_tracking_code_lookup_and_typos(session: Session, org: Org) -> None:
    case = submit(session)
    assert access_case_by_tracking_code(session, case.tracking_code.lower()).id == case.id
    wrong = case.tracking_code[:-1] + ("0" if case.tracking_code[-1] != "0" else "1")
    with pytest.raises(NotFound):
        access_case_by_tracking_code(session, wrong)


def test_deferred_understanding_runs_after_commit_and_catches_up(
    engine, session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import time

    from minyi.settings import get_settings
    from minyi.understanding import worker as understanding_worker

    monkeypatch.setattr(get_settings(), "understanding", "deferred")
    case = submit(
        session, title="燃气泄漏", body="我们楼道里燃气泄漏，味道很大，老人小孩都在家，请马上来处理！"
    )
    for _ in range(100):  # the background thread picks it up within moments
        session.rollback()
        session.expire_all()
        if session.get(Case, case.id).understood_at is not None:  # type: ignore[union-attr]
            break
        time.sleep(0.05)
    fresh = session.get(Case, case.id)
    assert fresh is not None and fresh.understood_at is not None
    assert fresh.urgent and fresh.policy_name == "紧急件"  # urgent cases are re-timed on the urgent clock
    actions = list(
        session.scalars(select(CaseEvent.action).where(CaseEvent.case_id == case.id).order_by(CaseEvent.seq))
    )
    assert actions == ["register", "understand"]
    monkeypatch.setattr(get_settings(), "understanding", "inline")
    stale = submit(session, title="路灯", body="路灯不亮")
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        session.execute(update(Case).where(Case.id == stale.id).values(understood_at=None))
    assert understanding_worker.catch_up(engine) == 1
    assert list(verify_all(session)) == []


def test_repeats_are_linked_and_the_same_person_is_recognised(session: Session, org: Org) -> None:
    from minyi.cases.models import CaseLink

    body = "翠湖花园小区3栋的电梯已经坏了一个月，物业一直不修，老人上下楼非常困难，请有关部门督促尽快维修。"
    first = submit(session, body=body, contact={"phone": "13900001111"})
    act.do_accept(session, first, org.actor("intake"))
    act.do_assign(session, first, org.actor("intake"), department_id=org.transport.id)
    from minyi.departments.models import RoutingRule
    from minyi.departments.queries import forget_routes

    with write(
        session, SYSTEM, bookkeeping=OUTSIDER
    ):  # no routing rule: the earlier case's department is the hint
        session.execute(delete(RoutingRule))
    forget_routes()
    again = submit(session, body=body + "再次反映！", region_code="990103", topic_code=None,
                   contact={"phone": "13900001111"})  # fmt: skip
    other = submit(session, body=body, contact={"phone": "13900002222"})
    links = {(lk.case_id, lk.other_case_id): lk for lk in session.scalars(select(CaseLink))}
    assert links[(again.id, first.id)].same_submitter
    assert not links[(other.id, first.id)].same_submitter
    assert again.repeat_of_case_id == first.id
    assert again.suggested_department_id == org.transport.id
    unrelated = submit(session, title="公交", body="建议增开夜间公交线路，方便下夜班的工人回家。")
    assert unrelated.repeat_of_case_id is None
