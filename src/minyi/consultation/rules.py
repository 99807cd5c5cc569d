"""The rules of a consultation: states, dates, limits and warnings. Pure: plain data in, plain data out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from minyi.errors import Conflict, Forbidden, InvalidInput, MinyiError, RateLimited

STATEMENT_MAX = 140
COMMENT_MAX = 2000
TITLE_MAX = 200
MAJOR_MIN_DAYS = 30  # 《重大行政决策程序暂行条例》: normally at least 30 days
RATE_WINDOW = timedelta(minutes=1)
RATE_LIMIT = 120  # writes (votes, comments, statements, reactions) per participant per window
COMMENT_LIMIT = 20  # comments per participant per consultation
STATEMENT_LIMIT = 10  # statements per participant per consultation


class State(StrEnum):
    draft = "draft"
    scheduled = "scheduled"  # opened by the organiser before its open date: the sweep opens it on time
    open = "open"
    closed = "closed"
    answered = "answered"


class Kind(StrEnum):
    major = "major"
    community = "community"


class Requirement(StrEnum):
    none = "none"
    tracking_code = "tracking_code"
    account = "account"
    resident = "resident"  # a tracking code of a case in the scope region, or an account of that region


CODE_ATTEMPTS = 10  # tracking-code joins per address and window, answered alike whatever the code
CODE_WINDOW_S = 600.0


class Answer(StrEnum):
    adopted = "adopted"
    partly = "partly"
    not_adopted = "not_adopted"


class Moderation(StrEnum):
    held = "held"
    published = "published"
    hidden = "hidden"


STATE_ZH = {
    State.draft: "草稿",
    State.scheduled: "待开始",
    State.open: "征求意见中",
    State.closed: "已截止",
    State.answered: "已反馈",
}
ANSWER_ZH = {Answer.adopted: "采纳", Answer.partly: "部分采纳", Answer.not_adopted: "未采纳"}
# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[State], State]] = {
    "open": (frozenset({State.draft}), State.open),
    "schedule": (frozenset({State.draft}), State.scheduled),
    "start": (frozenset({State.scheduled}), State.open),  # the sweep, at the open date
    "close": (frozenset({State.scheduled, State.open}), State.closed),
    "publish_report": (frozenset({State.closed}), State.answered),
}


class ConsultationClosed(Conflict):
    """A participant's write outside the open period."""

    code = "consultation_not_open"


class NotEligible(MinyiError):
    """One answer for an unknown tracking code and one that may not take part: the answer tells nothing."""

    status = 403
    code = "not_eligible"

    def __init__(self) -> None:
        super().__init__("无法以此身份参加此次征求意见（查询码或账号无效，或不在议事范围内）",
                         "this cannot verify you for this consultation (unknown, or outside its scope)",
                         field="tracking_code")  # fmt: skip


def check_method(requirement: str, kind: str | None) -> None:
    """Before any lookup: the way of verifying offered (None, tracking_code, account) suits the requirement."""
    if requirement == Requirement.none or kind == requirement:
        return
    if requirement == Requirement.resident and kind is not None:
        return
    if kind is None:
        raise Forbidden("参加此次征求意见需要先验证身份（查询码或账号）",
                        "this consultation requires a verified participant (tracking code or account)",
                        code="verification_required")  # fmt: skip
    raise Forbidden("此次征求意见需以另一种方式验证身份", "this consultation requires the other way of verifying",
                    code="verification_required")  # fmt: skip


def check_resident(requirement: str, scope_region: str | None, region: str | None) -> None:
    """A `resident` consultation takes only those whose case or account is in its region (a code prefix)."""
    if requirement != Requirement.resident:
        return
    if not scope_region or not region or not region.startswith(scope_region):
        raise NotEligible()


def check_transition(action: str, state: str) -> State:
    """The state `action` leads to from `state`, or a 409 naming both."""
    starts, to = TRANSITIONS[action]
    if State(state) not in starts:
        raise Conflict(
            f"征求意见处于“{STATE_ZH[State(state)]}”状态，不能执行此操作",
            f"cannot {action} a consultation that is {state}",
            code="invalid_transition",
        )
    return to


def check_dates(opens_at: datetime, closes_at: datetime) -> None:
    """The period must end after it starts (both aware UTC)."""
    if closes_at <= opens_at:
        raise InvalidInput(
            "截止时间必须晚于开始时间", "the close date must be after the open date", field="closes_at"
        )


def warnings(kind: str, opens_at: datetime, closes_at: datetime) -> list[tuple[str, str]]:
    """What the organiser should know before opening (zh, en): a major decision is normally open 30 days."""
    out = []
    if kind == Kind.major and closes_at - opens_at < timedelta(days=MAJOR_MIN_DAYS):
        days = (closes_at - opens_at).days
        out.append((f"重大行政决策征求意见期一般不少于 {MAJOR_MIN_DAYS} 日（当前 {days} 日）",
                    f"a major decision is normally open at least {MAJOR_MIN_DAYS} days (this one: {days})"))  # fmt: skip
    return out


def opening_state(opens_at: datetime, now: datetime) -> str:
    """What the organiser's "open" leads to: open at once, or scheduled until the open date (the sweep opens it)."""
    return "schedule" if opens_at > now else "open"


def sweep_action(state: str, opens_at: datetime, closes_at: datetime, now: datetime) -> str | None:
    """What the sweep does to a consultation at `now`: start a scheduled one, close an open one, or nothing."""
    if state == State.scheduled and opens_at <= now < closes_at:
        return "start"
    if state in (State.scheduled, State.open) and closes_at <= now:
        return "close"
    return None


def check_open_now(state: str, opens_at: datetime, closes_at: datetime, now: datetime) -> None:
    """Participants write only while the consultation is open and inside its dates (the server's clock)."""
    if state != State.open or not (opens_at <= now < closes_at):
        raise ConsultationClosed("征求意见未开放或已截止", "the consultation is not open for participation")


def check_statement(text: str) -> str:
    """A statement: non-empty, at most 140 characters after trimming."""
    text = text.strip()
    if not text:
        raise InvalidInput("观点不能为空", "a statement cannot be empty", field="text")
    if len(text) > STATEMENT_MAX:
        raise InvalidInput(f"观点不能超过 {STATEMENT_MAX} 字", f"a statement is at most {STATEMENT_MAX} characters",
                           field="text", code="too_long")  # fmt: skip
    return text


def check_comment(text: str) -> str:
    """A comment: non-empty, at most COMMENT_MAX characters after trimming."""
    text = text.strip()
    if not text:
        raise InvalidInput("意见不能为空", "a comment cannot be empty", field="body")
    if len(text) > COMMENT_MAX:
        raise InvalidInput(f"意见不能超过 {COMMENT_MAX} 字", f"a comment is at most {COMMENT_MAX} characters",
                           field="body", code="too_long")  # fmt: skip
    return text


def check_vote(value: int) -> int:
    if value not in (1, 0, -1):
        raise InvalidInput(
            "表态只能是 1（赞成）、-1（反对）或 0（跳过）", "a vote is 1, -1 or 0", field="vote"
        )
    return value


def check_quota(count: int, limit: int, what_zh: str, what_en: str) -> None:
    """At most `limit` comments or statements per participant and consultation."""
    if count >= limit:
        raise RateLimited(
            f"每位参与者最多提交 {limit} 条{what_zh}", f"at most {limit} {what_en} per participant"
        )


@dataclass(frozen=True)
class Rate:
    """A participant's fixed-window write counter."""

    window_start: datetime | None
    count: int


def next_rate(rate: Rate, now: datetime) -> Rate:
    """The counter after one more write, or 429 when the participant writes faster than RATE_LIMIT a minute."""
    if rate.window_start is None or now - rate.window_start >= RATE_WINDOW:
        return Rate(now, 1)
    if rate.count >= RATE_LIMIT:
        raise RateLimited("操作过于频繁，请稍后再试", "too many writes: slow down and try again shortly")
    return Rate(rate.window_start, rate.count + 1)


def check_answerable(answers: Iterable[str | None]) -> None:
    """ "Answered" only when every comment group has an answer."""
    missing = sum(1 for a in answers if a is None)
    if missing:
        raise Conflict(f"还有 {missing} 组意见未答复，不能发布反馈报告",
                       f"{missing} comment group(s) have no answer yet", code="unanswered_groups")  # fmt: skip


def pick_next_statement(candidates: Sequence[tuple[int, int]], salt: int) -> int | None:
    """The next statement to show: among those not yet voted on, the least seen (ties broken by `salt`).

    `candidates` is (statement id, times seen); a statement shown to few is shown next, so every statement
    gathers votes at a similar pace (Polis's balanced order, without its priority weights).
    """
    if not candidates:
        return None
    fewest = min(seen for _, seen in candidates)
    tied = sorted(sid for sid, seen in candidates if seen == fewest)
    return tied[salt % len(tied)]
