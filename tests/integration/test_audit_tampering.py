"""The four tamperings of issue 9 that `minyi audit verify` must catch, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.audit.checkpoint import RecordTampered, do_seal_checkpoint, seal_if_due
from minyi.audit.models import AuditCheckpoint
from minyi.audit.verify import check_record, verify_all
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.db import utcnow
from minyi.settings import PLACEHOLDER_SECRET
from minyi.uow import write
from tests.support.factories import Org, make_org, submit
from tests.support.tamper import OUTSIDER, delete_case, delete_tail, rewrite_chain


def _replied(session: Session, org: Org, title: str) -> Case:
    case = submit(session, title=title, body=f"{title}：已经反映多次，一直没人处理，希望尽快解决。")
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    act.do_sign_for(session, case, org.actor("housing-handler"))
    act.do_reply(session, case, org.actor("housing-handler"), text="已派人现场核查并完成维修。")
    return case


def _problems_of(session: Session, case_id: int) -> list[str]:
    session.rollback()
    return [p for p in check_record(session).problems if p.startswith(f"case {case_id}:") or
            p.startswith(f"case {case_id} ")]  # fmt: skip


def test_an_untouched_record_verifies_with_its_checkpoint(session: Session) -> None:
    org = make_org(session)
    case = _replied(session, org, "路灯不亮")
    act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.unsatisfied, comment="没修好")
    do_seal_checkpoint(session)
    report = check_record(session)
    assert report.problems == [] and report.warning is None


def test_a_deleted_tail_with_counters_stepped_back_is_caught_by_the_checkpoint(session: Session) -> None:
    org = make_org(session)
    case = _replied(session, org, "路灯不亮")
    do_seal_checkpoint(session)
    delete_tail(session, case.id, status="in_progress", reply_text=None)  # the reply never happened
    assert list(verify_all(session)) == []  # the chain and the state alone agree with the forgery
    assert _problems_of(session, case.id) == [
        f"case {case.id}: event 5 sealed by checkpoint 1 is missing (tail or case deleted)"
    ]


def test_edited_state_columns_are_named(session: Session) -> None:
    org = make_org(session)
    status, evaluation, reply = (_replied(session, org, t) for t in ("路灯不亮", "噪音扰民", "垃圾清运"))
    act.do_evaluate(session, evaluation, CITIZEN, evaluation=Evaluation.unsatisfied)
    with write(session, SYSTEM, bookkeeping=OUTSIDER):
        for case_id, values in [(status.id, {"status": "closed"}), (evaluation.id, {"evaluation": "satisfied"}),
                                (reply.id, {"reply_text": "已办结"})]:  # fmt: skip
            session.execute(update(Case).where(Case.id == case_id).values(**values))
    problems = {p.case_id: p.problem for p in verify_all(session)}
    assert problems[status.id].startswith("state column status: the case row says 'closed'")
    assert problems[evaluation.id].startswith("state column evaluation: the case row says 'satisfied', "
                                              "its events say 'unsatisfied'")  # fmt: skip
    assert problems[reply.id].startswith("state column reply_text")


def test_a_deleted_case_is_caught_by_the_checkpoint(session: Session) -> None:
    org = make_org(session)
    kept, gone = _replied(session, org, "路灯不亮"), _replied(session, org, "噪音扰民")
    do_seal_checkpoint(session)
    gone_id = gone.id
    session.expunge_all()
    delete_case(session, gone_id)
    problems = check_record(session).problems
    assert f"case {gone_id}: event 5 sealed by checkpoint 1 is missing (tail or case deleted)" in problems
    assert not [p for p in problems if p.startswith(f"case {kept.id}")]


def test_a_chain_recomputed_with_the_default_secret_is_caught_and_warned(session: Session) -> None:
    org = make_org(session)
    case = _replied(session, org, "路灯不亮")
    do_seal_checkpoint(session)
    rewrite_chain(
        session, case.id, PLACEHOLDER_SECRET, notes={5: "已办结。"}, columns={"reply_text": "已办结。"}
    )
    report = check_record(session)
    assert f"case {case.id} event 1: event content does not match its hash (edited)" in report.problems
    assert f"case {case.id}: event 5 sealed by checkpoint 1 differs (chain rewritten)" in report.problems
    assert (
        report.warning is not None and "default secret" in report.warning and str(case.id) in report.warning
    )


def test_sealing_refuses_to_launder_a_deleted_tail_or_case(engine: Engine, session: Session) -> None:
    org = make_org(session)
    gone, cut = _replied(session, org, "路灯不亮"), _replied(session, org, "噪音扰民")
    do_seal_checkpoint(session)
    cut_id, gone_id = cut.id, gone.id
    session.expunge_all()
    delete_tail(session, cut_id, status="in_progress", reply_text=None)
    with pytest.raises(RecordTampered, match=f"case {cut_id}: its chain head went back from event 5"):
        do_seal_checkpoint(session)
    delete_case(session, gone_id)
    with pytest.raises(RecordTampered, match=f"case {gone_id} was sealed by checkpoint 1 but is gone"):
        do_seal_checkpoint(session)
    assert seal_if_due(engine, utcnow() + timedelta(days=1)) is None  # the sweep logs it and goes on
    assert session.scalar(select(func.count()).select_from(AuditCheckpoint)) == 1
