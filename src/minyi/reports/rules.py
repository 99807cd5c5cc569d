"""The pure rules of a report: its statuses as the reporter sees them, and which changes are allowed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from minyi.locale import pick


class ReportStatus(StrEnum):
    received = "received"
    verifying = "verifying"
    concluded = "concluded"


STATUS_ZH = {"received": "已受理", "verifying": "核查中", "concluded": "已办结"}
STATUS_EN = {"received": "received", "verifying": "under verification", "concluded": "concluded"}

# from -> the statuses an inspector may move a report to
NEXT_STATUS: dict[ReportStatus, frozenset[ReportStatus]] = {
    ReportStatus.received: frozenset({ReportStatus.verifying, ReportStatus.concluded}),
    ReportStatus.verifying: frozenset({ReportStatus.concluded}),
    ReportStatus.concluded: frozenset(),
}


def status_label(status: str) -> str:
    """The status in the reader's language."""
    return pick(STATUS_ZH.get(status, status), STATUS_EN.get(status, status))


def may_move(current: str, target: str) -> bool:
    """Whether a report in `current` may move to `target` (concluded is final)."""
    return ReportStatus(target) in NEXT_STATUS[ReportStatus(current)]


def reporter_may_write(status: str) -> bool:
    """The reporter may add messages until the report is concluded."""
    return status != ReportStatus.concluded


# ---- deadlines of a report, and the rungs of its ladder (reminder, supervision notice) ---------------------

ACKNOWLEDGE, CONCLUDE = "acknowledge", "conclude"
REMINDER, SUPERVISION = 1, 2
NOTICE_ZH = {REMINDER: "催办", SUPERVISION: "督办"}
STAGE_ZH = {ACKNOWLEDGE: "受理告知", CONCLUDE: "办结"}


@dataclass(frozen=True)
class ReportClock:
    """One deadline of a report and the instant its reminder falls due."""

    stage: str
    remind_at: datetime
    due_at: datetime


def stage_running(stage: str, status: str) -> bool:
    """Acknowledgement runs until an inspector takes the report up; conclusion until it is concluded."""
    if stage == ACKNOWLEDGE:
        return status == ReportStatus.received
    return status != ReportStatus.concluded


def notices_due(
    now: datetime, status: str, clocks: list[ReportClock], issued: set[tuple[str, int]]
) -> list[tuple[str, int]]:
    """The (stage, rung) notices due at `now` and not yet issued: a reminder from `remind_at`, a supervision
    notice once `due_at` has passed; none for a stage that is no longer running."""
    out = []
    for c in clocks:
        if not stage_running(c.stage, status):
            continue
        for level, since in ((REMINDER, c.remind_at), (SUPERVISION, c.due_at)):
            passed = now > since if level == SUPERVISION else now >= since
            if passed and (c.stage, level) not in issued:
                out.append((c.stage, level))
    return out
