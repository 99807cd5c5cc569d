"""Every action on a case, declared once: its input schema, its do_* function and who may run it.

The staff JSON API (`cases/api.py`) generates one route per staff command and the workbench case page runs the
same command from its form, both through `execute`, so validation, versions, errors and permissions cannot drift.
Who may run a command, and from which states, is the pure transition table (`rules.TRANSITIONS`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.access import may_act_as_citizen
from minyi.accounts.actor import CITIZEN, Actor
from minyi.cases import actions as act
from minyi.cases import oversight
from minyi.cases.models import Case
from minyi.cases.queries import access_case_by_id, access_case_by_tracking_code, get_pending_extensions
from minyi.cases.rules import TRANSITIONS, Status, Transition, check_transition
from minyi.cases.schemas import (
    AssignIn,
    CorrectionIn,
    EvaluationIn,
    ExtensionDecisionIn,
    ExtensionIn,
    GrantIn,
    MergeIn,
    NoteIn,
    ReasonIn,
    ReplyIn,
)
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.uow import write


@dataclass(frozen=True)
class CaseCommand:
    """One action on a case: the transition it makes, where the API takes it, what it takes, what it runs."""

    name: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, Case, Actor, Any], object]
    summary: str

    @property
    def transition(self) -> Transition:
        return TRANSITIONS[self.name]


def _merge(session: Session, case: Case, actor: Actor, body: MergeIn) -> object:
    try:
        master = access_case_by_id(session, actor, body.master_case_id, for_update=True)
    except NotFound:
        raise InvalidInput("主案件不存在", "master case not found", field="master_case_id") from None
    return oversight.do_merge(session, case, actor, master=master, note=body.note)


def _staff() -> list[CaseCommand]:
    return [
        CaseCommand("accept", "accept", NoteIn, lambda s, c, a, b: act.do_accept(s, c, a, note=b.note),
                    "受理 accept a demand as ours to handle"),
        CaseCommand("decline", "decline", ReasonIn, lambda s, c, a, b: act.do_decline(s, c, a, reason=b.reason),
                    "不予受理 decline, with the reason the submitter will see"),
        CaseCommand("assign", "assign", AssignIn,
                    lambda s, c, a, b: act.do_assign(s, c, a, department_id=b.department_id,
                                                     co_handler_ids=b.co_handler_ids, note=b.note),
                    "交办 assign to the responsible department, with co-handlers"),
        CaseCommand("sign_for", "sign-for", NoteIn, lambda s, c, a, b: act.do_sign_for(s, c, a, note=b.note),
                    "签收 the department takes the case"),
        CaseCommand("return", "return", ReasonIn, lambda s, c, a, b: act.do_return(s, c, a, reason=b.reason),
                    "退回 not ours, with a reason"),
        CaseCommand("reply", "reply", ReplyIn,
                    lambda s, c, a, b: act.do_reply(s, c, a, text=b.text, confirm_weak=b.confirm_weak),
                    "答复 the official answer (a weak one needs confirm_weak)"),
        CaseCommand("request_extension", "extension", ExtensionIn,
                    lambda s, c, a, b: oversight.do_request_extension(s, c, a, days=b.days, reason=b.reason),
                    "延期申请 ask a supervisor for more working days"),
        CaseCommand("decide_extension", "extension/decision", ExtensionDecisionIn,
                    lambda s, c, a, b: oversight.do_decide_extension(s, c, a, request_id=b.request_id,
                                                               approve=b.approve, note=b.note),
                    "延期审批 approve or refuse an extension request"),
        CaseCommand("merge", "merge", MergeIn, _merge, "并案 merge a duplicate into its master case"),
        CaseCommand("supervise", "supervise", NoteIn, lambda s, c, a, b: oversight.do_supervise(s, c, a, note=b.note),
                    "督办 issue a supervision notice by hand"),
        CaseCommand("note", "notes", ReasonIn, lambda s, c, a, b: oversight.do_add_note(s, c, a, note=b.reason),
                    "备注 an internal note on the record"),
        CaseCommand("correct", "correction", CorrectionIn,
                    lambda s, c, a, b: oversight.do_correct_understanding(
                        s, c, a, **b.model_dump(exclude={"note"}, exclude_none=True), note=b.note),
                    "更正 correct what the understanding suggested"),
        CaseCommand("grant", "grant", GrantIn, lambda s, c, a, b: oversight.do_grant_access(s, c, a, user_id=b.user_id),
                    "授权查看 let one more member of staff see a confidential case"),
    ]  # fmt: skip


STAFF_COMMANDS: dict[str, CaseCommand] = {c.name: c for c in _staff()}
CITIZEN_COMMANDS: dict[str, CaseCommand] = {
    "evaluate": CaseCommand("evaluate", "evaluation", EvaluationIn,
                            lambda s, c, a, b: act.do_evaluate(s, c, a, evaluation=b.evaluation, comment=b.comment),
                            "评价 the submitter judges the reply; 不满意 reopens the case"),
    "withdraw": CaseCommand("withdraw", "withdrawal", NoteIn,
                            lambda s, c, a, b: act.do_withdraw(s, c, a, reason=b.note),
                            "撤回 the submitter takes the demand back"),
}  # fmt: skip


def _same_department(case: Case, actor: Actor) -> bool:
    return actor.department_id is not None and case.department_id == actor.department_id


def _check(case: Case, actor: Actor, command: CaseCommand, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != case.version:
        raise Conflict(
            "案件已被他人修改，请刷新后重试", "the case changed since you loaded it", field="version"
        )
    check_transition(
        command.name, Status(case.status), actor.role, same_department=_same_department(case, actor)
    )


def execute(
    session: Session,
    actor: Actor,
    case_id: int,
    command: CaseCommand,
    body: BaseModel,
    *,
    expected_version: int | None = None,
) -> Case:
    """Run one staff command: every check that can refuse it first, then one unit of work on the locked case."""
    _check(access_case_by_id(session, actor, case_id), actor, command, expected_version)
    with write(session, actor):
        case = access_case_by_id(session, actor, case_id, for_update=True)
        _check(case, actor, command, expected_version)
        command.run(session, case, actor, body)
    return case


def execute_citizen(
    session: Session, tracking_code: str, command: CaseCommand, body: BaseModel, *, staff_credentials: bool
) -> Case:
    """Run a citizen command by tracking code; refused to anyone who comes with staff credentials."""
    if not may_act_as_citizen(CITIZEN, staff_credentials=staff_credentials):
        raise Forbidden(
            "工作人员不能代替群众评价或撤回", "staff may not evaluate or withdraw in the citizen's place"
        )
    _check(access_case_by_tracking_code(session, tracking_code), CITIZEN, command, None)
    with write(session, CITIZEN):
        case = access_case_by_tracking_code(session, tracking_code, for_update=True)
        _check(case, CITIZEN, command, None)
        command.run(session, case, CITIZEN, body)
    return case


def allowed_commands(actor: Actor, case: Case, session: Session) -> list[str]:
    """The staff commands the rules let this actor run on this case now (the page shows buttons for these)."""
    pending = bool(get_pending_extensions(session, case.id))
    out = []
    for name in STAFF_COMMANDS:
        try:
            _check(case, actor, STAFF_COMMANDS[name], None)
        except (Conflict, Forbidden):
            continue
        if (name == "decide_extension" and not pending) or (name == "request_extension" and pending):
            continue
        out.append(name)
    return out
