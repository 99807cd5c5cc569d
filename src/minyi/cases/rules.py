"""Pure rules of a case: kinds, channels, states, who may do what from which state."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from minyi.access import DEPARTMENT, DISPATCH, OVERSIGHT
from minyi.accounts.roles import STAFF_ROLES, Role
from minyi.errors import InvalidTransition, NotPermitted


class Kind(StrEnum):
    """性质."""

    complaint = "complaint"
    suggestion = "suggestion"
    inquiry = "inquiry"
    help = "help"
    report = "report"
    criticism = "criticism"
    praise = "praise"


KIND_ZH = {
    "complaint": "投诉", "suggestion": "建议", "inquiry": "咨询", "help": "求助",
    "report": "举报", "criticism": "批评", "praise": "表扬",
}  # fmt: skip


class Channel(StrEnum):
    """渠道."""

    web = "web"
    hotline = "hotline"
    letters_visits = "letters_visits"
    deputy = "deputy"
    cppcc = "cppcc"
    mass_org = "mass_org"
    committee = "committee"
    expert = "expert"
    media = "media"


CHANNEL_ZH = {
    "web": "网上留言", "hotline": "12345热线", "letters_visits": "信访", "deputy": "人大代表",
    "cppcc": "政协委员/民主党派", "mass_org": "群团组织", "committee": "村(居)委会",
    "expert": "专家智库", "media": "媒体",
}  # fmt: skip


class Visibility(StrEnum):
    public = "public"
    private = "private"
    confidential = "confidential"


class Status(StrEnum):
    """Where a case stands."""

    registered = "registered"
    accepted = "accepted"
    declined = "declined"
    assigned = "assigned"
    returned = "returned"
    in_progress = "in_progress"
    replied = "replied"
    rehandling = "rehandling"
    closed = "closed"
    withdrawn = "withdrawn"
    merged = "merged"


STATUS_ZH = {
    "registered": "已登记", "accepted": "已受理", "declined": "不予受理", "assigned": "已交办",
    "returned": "已退回", "in_progress": "办理中", "replied": "已答复", "rehandling": "重办中",
    "closed": "已办结", "withdrawn": "已撤回", "merged": "已并案",
}  # fmt: skip

TERMINAL = frozenset({Status.closed, Status.declined, Status.withdrawn, Status.merged})
# what the public may read: accepted cases and later (a demand is published once someone has looked at it)
PUBLIC_STATUSES = (
    Status.accepted, Status.assigned, Status.returned, Status.in_progress, Status.replied, Status.rehandling,
    Status.closed,
)  # fmt: skip
OPEN = frozenset(Status) - TERMINAL


class Evaluation(StrEnum):
    satisfied = "satisfied"
    partly = "partly"
    unsatisfied = "unsatisfied"


EVALUATION_ZH = {"satisfied": "满意", "partly": "基本满意", "unsatisfied": "不满意"}


HANDLING = frozenset({Status.assigned, Status.in_progress, Status.rehandling})


@dataclass(frozen=True)
class Transition:
    """One action: from which states, by which roles, to which state (None keeps the state).

    `own_department`: department staff may take it only on their own department's cases.
    """

    sources: frozenset[Status]
    roles: frozenset[Role]
    target: Status | None
    own_department: bool = False


TRANSITIONS: dict[str, Transition] = {
    "accept": Transition(frozenset({Status.registered}), DISPATCH, Status.accepted),
    "decline": Transition(frozenset({Status.registered}), DISPATCH, Status.declined),
    "assign": Transition(
        frozenset({Status.accepted, Status.returned, Status.assigned}), DISPATCH, Status.assigned
    ),
    "sign_for": Transition(frozenset({Status.assigned}), DEPARTMENT, Status.in_progress, True),
    "return": Transition(frozenset({Status.assigned, Status.in_progress}), DEPARTMENT, Status.returned, True),
    "reply": Transition(frozenset({Status.in_progress, Status.rehandling}), DEPARTMENT, Status.replied, True),
    "evaluate": Transition(frozenset({Status.replied}), frozenset({Role.citizen}), None),
    "close_unevaluated": Transition(frozenset({Status.replied}), frozenset({Role.system}), Status.closed),
    "request_extension": Transition(HANDLING, DEPARTMENT, None, True),
    "decide_extension": Transition(HANDLING, OVERSIGHT, None),
    "merge": Transition(
        frozenset({Status.registered, Status.accepted, Status.returned, Status.assigned, Status.in_progress}),
        DISPATCH,
        Status.merged,
    ),
    "withdraw": Transition(OPEN, frozenset({Role.citizen}), Status.withdrawn),
    "supervise": Transition(OPEN, OVERSIGHT, None),
    "escalate": Transition(OPEN, frozenset({Role.system}), None),
    "note": Transition(frozenset(Status), STAFF_ROLES, None),
    "correct": Transition(frozenset(Status), DISPATCH | DEPARTMENT, None, True),
    "grant": Transition(frozenset(Status), OVERSIGHT, None),
}

ACTION_ZH = {
    "register": "登记", "accept": "受理", "decline": "不予受理", "assign": "交办", "sign_for": "签收",
    "return": "退回", "reply": "答复", "evaluate": "评价", "rehandle": "重办", "close": "办结",
    "close_unevaluated": "超时未评价办结", "request_extension": "申请延期", "decide_extension": "延期审批",
    "merge": "并案", "withdraw": "撤回", "supervise": "督办", "escalate": "催督办", "note": "备注",
    "correct": "更正", "grant": "授权查看", "retime": "期限重算",
}  # fmt: skip


def check_transition(action: str, status: Status, role: Role, *, same_department: bool = True) -> Transition:
    """The transition for `action`, or InvalidTransition explaining why it is not allowed now."""
    t = TRANSITIONS.get(action)
    if t is None:
        raise InvalidTransition(f"未知操作：{action}", f"unknown action: {action}")
    if status not in t.sources:
        raise InvalidTransition(
            f"案件当前状态为“{STATUS_ZH[status]}”，不能执行“{ACTION_ZH.get(action, action)}”",
            f"cannot {action} a case that is {status}",
            field="status",
        )
    if role not in t.roles and not (role == Role.admin and t.roles & STAFF_ROLES):
        raise NotPermitted(
            f"当前角色不能执行“{ACTION_ZH.get(action, action)}”", f"role {role} may not {action}"
        )
    if t.own_department and role in DEPARTMENT and not same_department:
        raise NotPermitted("只有承办单位可以执行此操作", f"only the assigned department may {action}")
    return t


def evaluation_outcome(evaluation: Evaluation, round_no: int, max_rehandle_rounds: int) -> Status:
    """Satisfied (or partly) closes; unsatisfied reopens for re-handling until the rounds run out."""
    if evaluation == Evaluation.unsatisfied and round_no <= max_rehandle_rounds:
        return Status.rehandling
    return Status.closed


def channel_not_given(notify_by: str | None, email: object, phone: object, wechat_openid: object) -> bool:
    """A preferred channel was named without its address (refused at input)."""
    given = {"email": email, "sms": phone, "wechat": wechat_openid}
    return notify_by is not None and not given.get(notify_by)
