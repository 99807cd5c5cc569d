"""The pure rules of a report: its statuses as the reporter sees them, and which changes are allowed."""

from __future__ import annotations

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
