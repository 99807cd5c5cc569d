"""Pure deadline rules: policies, stage clocks, the escalation ladder, when a clock starts and what "overdue" means.

Every writer of a case's clock columns goes through `compute_clock`; every count of working days goes through the
calendar's `workdays_elapsed` from `clock_start`; every "is it late?" goes through `is_overdue` / `LATE_STATUSES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from minyi.cases.rules import OPEN, Status
from minyi.deadlines.workcal import WorkCalendar
from minyi.errors import InvalidTransition


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


LADDER_STAGES = frozenset({"acceptance", "sign_for", "handling", "rehandling"})


def next_escalation(clock: Clock, level: int) -> datetime | None:
    """When the next rung above `level` falls due."""
    if level <= 0:
        return clock.remind_at
    if level == 1:
        return clock.due_at + timedelta(seconds=1)
    if level == 2:
        return clock.accountability_at
    return None


@dataclass(frozen=True)
class ClockColumns:
    """Every clock column of a case, as one value: what `compute_clock` gives and every writer stores."""

    stage: str | None
    policy_name: str | None
    due_at: datetime | None
    remind_at: datetime | None
    accountability_at: datetime | None
    escalation_level: int
    next_escalation_at: datetime | None
    provisional: bool
    handling_due_at: datetime | None = None

    def as_values(self) -> dict[str, object]:
        """The columns as a dict (for Core inserts, or setattr on a mapped case); handling_due_at only if set."""
        values: dict[str, object] = {
            "stage": self.stage, "due_at": self.due_at, "remind_at": self.remind_at,
            "accountability_at": self.accountability_at, "escalation_level": self.escalation_level,
            "next_escalation_at": self.next_escalation_at, "deadline_provisional": self.provisional,
        }  # fmt: skip
        if self.policy_name is not None:
            values["policy_name"] = self.policy_name
        if self.handling_due_at is not None:
            values["handling_due_at"] = self.handling_due_at
        return values


STOPPED = ClockColumns(None, None, None, None, None, 0, None, False)


def is_provisional(cal: WorkCalendar, start: datetime, *instants: datetime) -> bool:
    """True when a day between `start` and the last instant (the deadline) lies in a year the calendar does not
    cover: the count there knows weekends only, so the deadline may still move (暂定)."""
    first, last = cal.local_date(start).year, max(cal.local_date(i).year for i in (start, *instants))
    return any(not cal.covers(year) for year in range(first, last + 1))


def compute_clock(
    stage: str,
    start: datetime,
    policy: DeadlinePolicy,
    cal: WorkCalendar,
    extra_days: int = 0,
    issued_level: int = 0,
) -> ClockColumns:
    """All clock columns of `stage` started at `start`; the ladder resumes above the highest rung already issued.

    The handling deadline (handling_due_at) is set whenever the handling stage is timed.
    """
    clock = stage_clock(stage, start, policy, cal, extra_days)
    on_ladder = stage in LADDER_STAGES
    level = issued_level if on_ladder else 0
    return ClockColumns(
        stage=stage,
        policy_name=policy.name,
        due_at=clock.due_at,
        remind_at=clock.remind_at,
        accountability_at=clock.accountability_at,
        escalation_level=level,
        next_escalation_at=next_escalation(clock, level) if on_ladder else None,
        provisional=is_provisional(cal, start, clock.due_at),
        handling_due_at=clock.due_at if stage == "handling" else None,
    )


def handling_due(start: datetime, policy: DeadlinePolicy, cal: WorkCalendar, extra_days: int = 0) -> datetime:
    """The handling deadline alone (while another stage's clock runs, e.g. an extension during sign-for)."""
    return stage_clock("handling", start, policy, cal, extra_days).due_at


# ---- when the clock starts, and what "overdue" means (one definition each) ----------------------

LATE_STATUSES = tuple(sorted(s.value for s in OPEN if s != Status.replied))


def clock_start(registered_at: datetime, accepted_at: datetime | None = None) -> datetime:
    """Where the handling clock, reply lateness and every "working days to reply" figure start: acceptance, else
    registration."""
    return accepted_at or registered_at


def is_overdue(status: str, due_at: datetime | None, now: datetime) -> bool:
    """A case is overdue when it still waits on staff (not finished, not awaiting evaluation) past its deadline."""
    return status in LATE_STATUSES and due_at is not None and due_at < now


def workdays_to_reply(
    cal: WorkCalendar,
    registered_at: datetime,
    replied_at: datetime | None,
    accepted_at: datetime | None = None,
) -> int | None:
    """Working days from the clock's start to the reply, on the calendar in force (administrators' days included)."""
    if replied_at is None:
        return None
    return cal.workdays_elapsed(clock_start(registered_at, accepted_at), replied_at)
