"""Property-based: no sequence of actions breaks the invariants of a case."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from minyi.accounts.actor import CITIZEN
from minyi.audit.verify import verify_all
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.models import Case, CaseEvent, ExtensionRequest
from minyi.cases.rules import TERMINAL, Evaluation, Status
from minyi.db import make_engine, session_factory, utcnow
from minyi.deadlines.sweep import sweep
from minyi.errors import MinyiError
from tests.support.factories import make_org, submit

# the event whose time starts each stage's clock
CLOCK_STARTER = {
    "acceptance": "register",
    "handling": "accept",
    "sign_for": "assign",
    "rehandling": "evaluate",
    "evaluation": "reply",
}


def _moves(m: CaseLife, case: Case) -> dict[str, Callable[[], Any]]:
    o, s = m.org, m.session
    intake, sup, handler = o.actor("intake"), o.actor("supervisor"), o.actor("housing-handler")

    def approve_pending() -> None:
        pending = select(ExtensionRequest.id).where(
            ExtensionRequest.case_id == case.id, ExtensionRequest.status == "pending"
        )
        for req_id in s.scalars(pending).all():
            oversight.do_decide_extension(s, case, sup, request_id=req_id, approve=True)

    return {
        "accept": lambda: act.do_accept(s, case, intake),
        "decline": lambda: act.do_decline(s, case, intake, reason="不属于受理范围"),
        "assign": lambda: act.do_assign(s, case, intake, department_id=o.housing.id),
        "assign_other": lambda: act.do_assign(s, case, intake, department_id=o.transport.id),
        "sign_for": lambda: act.do_sign_for(s, case, handler),
        "sign_for_wrong_department": lambda: act.do_sign_for(s, case, o.actor("transport-handler")),
        "return": lambda: act.do_return(s, case, handler, reason="非本单位职责"),
        "reply": lambda: act.do_reply(s, case, handler, text="已处理完毕"),
        "evaluate_ok": lambda: act.do_evaluate(s, case, CITIZEN, evaluation=Evaluation.satisfied),
        "evaluate_bad": lambda: act.do_evaluate(s, case, CITIZEN, evaluation=Evaluation.unsatisfied),
        "extension": lambda: oversight.do_request_extension(s, case, handler, days=7, reason="会勘"),
        "approve": approve_pending,
        "withdraw": lambda: act.do_withdraw(s, case, CITIZEN),
        "merge": lambda: oversight.do_merge(s, case, intake, master=m.cases[0]),
        "supervise": lambda: oversight.do_supervise(s, case, sup),
    }


MOVE_NAMES = [
    "accept", "decline", "assign", "assign_other", "sign_for", "sign_for_wrong_department", "return", "reply",
    "evaluate_ok", "evaluate_bad", "extension", "approve", "withdraw", "merge", "supervise",
]  # fmt: skip


class CaseLife(RuleBasedStateMachine):
    """Random actors try random actions on a few cases; a refused action must leave no trace."""

    template: Path
    workdir: Path
    counter = itertools.count()

    @initialize()
    def setup(self) -> None:
        path = CaseLife.workdir / f"db{next(CaseLife.counter)}.sqlite3"
        shutil.copy(CaseLife.template, path)
        self.engine = make_engine(f"sqlite:///{path}")
        self.session = session_factory(self.engine)()
        self.org = make_org(self.session)
        self.cases = [
            submit(self.session, title=f"事项{i}", now=utcnow() - timedelta(days=40 * i)) for i in range(3)
        ]

    @rule(i=st.integers(0, 2), name=st.sampled_from(MOVE_NAMES))
    def try_a_move(self, i: int, name: str) -> None:
        case = self.cases[i]
        before = (case.status, case.event_count, case.version)
        try:
            _moves(self, case)[name]()
        except MinyiError:
            self.session.expire_all()
            fresh = self.session.get(Case, case.id)
            assert fresh is not None and (fresh.status, fresh.event_count, fresh.version) == before

    @rule()
    def run_the_sweep(self) -> None:
        sweep(self.engine)
        self.session.expire_all()

    @invariant()
    def invariants_hold(self) -> None:
        if not hasattr(self, "session"):
            return
        s = self.session
        s.rollback()
        for case in s.scalars(select(Case)):
            if case.status == Status.closed:
                assert case.reply_text, "a closed case has a reply"
            if case.status in TERMINAL:
                assert case.due_at is None and case.next_escalation_at is None, "a finished case has no clock"
            elif case.due_at is not None and case.stage in CLOCK_STARTER:
                started = s.scalar(
                    select(CaseEvent.at)
                    .where(CaseEvent.case_id == case.id, CaseEvent.action == CLOCK_STARTER[case.stage])
                    .order_by(CaseEvent.seq.desc())
                )
                assert started is not None and case.due_at >= started, (
                    "a deadline precedes the event that set it"
                )
            assert 0 <= case.extension_days <= 30
        assert list(verify_all(s)) == [], "the audit chain verifies"

    def teardown(self) -> None:
        if hasattr(self, "session"):
            self.session.close()
            self.engine.dispose()


def test_no_sequence_of_actions_breaks_the_invariants(tmp_path: Path, sqlite_template: Path) -> None:
    CaseLife.template, CaseLife.workdir = sqlite_template, tmp_path
    run = CaseLife.TestCase
    run.settings = settings(
        max_examples=30, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
    )
    run().runTest()
