"""Pure rules of a case: kinds, channels, states, who may do what from which state, and the deadline policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from minyi.access import DEPARTMENT, DISPATCH, OVERSIGHT
from minyi.accounts.roles import STAFF_ROLES, Role
from minyi.errors import InvalidTransition, NotPermitted
from minyi.workcal import WorkCalendar


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
    "correct": "更正", "grant": "授权查看",
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


# ---- deadlines -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeadlinePolicy:
    """Working-day limits for each stage and the rungs of the escalation ladder."""

    name: str
    accept_days: int = 15
    sign_days: int = 3
    handle_days: int = 60
    rehandle_days: int = 30
    evaluation_days: int = 10
    extension_max_days: int = 30
    remind_before_days: int = 5
    accountability_after_days: int = 10
    kind: str | None = None
    channel: str | None = None
    urgent: bool | None = None

    def specificity(self) -> int:
        return (self.kind is not None) + (self.channel is not None) + (self.urgent is not None)

    def matches(self, kind: str, channel: str, urgent: bool) -> bool:
        return (
            (self.kind in (None, kind))
            and (self.channel in (None, channel))
            and (self.urgent is None or self.urgent == urgent)
        )


XINFANG = DeadlinePolicy("信访工作条例")
HOTLINE = DeadlinePolicy(
    "12345热线一般件", accept_days=1, sign_days=1, handle_days=5, rehandle_days=5, evaluation_days=5,
    extension_max_days=10, remind_before_days=1, accountability_after_days=3, channel="hotline",
)  # fmt: skip
URGENT = DeadlinePolicy(
    "紧急件", accept_days=0, sign_days=0, handle_days=0, rehandle_days=1, evaluation_days=5,
    extension_max_days=3, remind_before_days=0, accountability_after_days=1, urgent=True,
)  # fmt: skip
DEFAULT_POLICIES = (XINFANG, HOTLINE, URGENT)


def choose_policy(
    policies: tuple[DeadlinePolicy, ...] | list[DeadlinePolicy], kind: str, channel: str, urgent: bool
) -> DeadlinePolicy:
    """The most specific policy that matches; ties go to the later one in the list (administrators' own)."""
    best: DeadlinePolicy | None = None
    for p in policies:
        if p.matches(kind, channel, urgent) and (best is None or p.specificity() >= best.specificity()):
            best = p
    return best or XINFANG


STAGE_DAYS = {
    "acceptance": "accept_days",
    "sign_for": "sign_days",
    "handling": "handle_days",
    "rehandling": "rehandle_days",
    "evaluation": "evaluation_days",
}


@dataclass(frozen=True)
class Clock:
    """The deadline of one stage and the instants the ladder's rungs fall due."""

    stage: str
    due_at: datetime
    remind_at: datetime
    accountability_at: datetime


def stage_clock(
    stage: str, start: datetime, policy: DeadlinePolicy, cal: WorkCalendar, extra_days: int = 0
) -> Clock:
    """Deadline and ladder for a stage that starts at `start`; `extra_days` are approved extension days."""
    days = getattr(policy, STAGE_DAYS[stage]) + extra_days
    due = cal.deadline(start, days)
    remind = (
        cal.deadline(start, days - policy.remind_before_days) if days > policy.remind_before_days else None
    )
    if remind is None or remind >= due:
        remind = start + (due - start) / 2
    return Clock(stage, due, remind, cal.deadline(due, policy.accountability_after_days))


LEVELS = {1: "reminder", 2: "supervision", 3: "accountability"}
LEVEL_ZH = {1: "催办", 2: "督办", 3: "通报/问责"}


def escalation_due(now: datetime, clock: Clock) -> int:
    """The highest rung of the ladder that is due at `now` (0 for none)."""
    if now >= clock.accountability_at:
        return 3
    if now > clock.due_at:
        return 2
    if now >= clock.remind_at:
        return 1
    return 0


def check_extension(days: int, already_granted: int, policy: DeadlinePolicy) -> None:
    """Refuse extensions that are not positive or would pass the policy's total limit."""
    if days <= 0:
        raise InvalidTransition("延期天数必须为正数", "extension days must be positive", field="days")
    if already_granted + days > policy.extension_max_days:
        left = policy.extension_max_days - already_granted
        raise InvalidTransition(
            f"延期累计不得超过{policy.extension_max_days}个工作日（尚可延期{left}日）",
            f"extensions may total at most {policy.extension_max_days} working days ({left} left)",
            field="days",
        )
