"""Stage clocks for many starts at once (bulk imports): the calendar is asked once per policy and local day. Pure.

A stage's deadline, its ladder rungs and whether it is provisional depend on the start's local day only (every
deadline is the end of a working day); the one exception is the reminder of a stage too short for one, which
falls halfway from the start itself to the deadline. So `compute_clock` runs for the first start of each day and
the later starts of that day reuse its result, with that halfway reminder recomputed. The result is
`compute_clock`'s, column for column (tests/unit/test_import_fast.py compares them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from minyi.deadlines.rules import LADDER_STAGES, STAGE_DAYS, DeadlinePolicy, compute_clock
from minyi.deadlines.workcal import WorkCalendar

# stage, policy_name, due_at, remind_at, accountability_at, escalation_level, next_escalation_at, provisional
ClockRow = tuple[str, str, datetime, datetime, datetime, int, datetime | None, bool]


@dataclass
class StageClocks:
    """`compute_clock(stage, start, policy, cal)` for a stream of starts, memoised by the start's local day."""

    stage: str
    policy: DeadlinePolicy
    cal: WorkCalendar
    _days: dict[date, tuple[ClockRow, bool]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.stage == "handling":  # it also sets handling_due_at, which a ClockRow does not carry
            raise ValueError("StageClocks times the stages without a handling deadline")

    def at(self, start: datetime) -> ClockRow:
        """The clock columns of the stage started at `start` (no extension, no rung issued yet)."""
        day = start.astimezone(self.cal.tz).date()
        memo = self._days.get(day)
        if memo is None:
            c = compute_clock(self.stage, start, self.policy, self.cal)
            assert c.due_at is not None and c.remind_at is not None and c.accountability_at is not None
            halfway = not self._reminder_by_days(start, c.due_at)
            row: ClockRow = (self.stage, self.policy.name, c.due_at, c.remind_at, c.accountability_at,
                             c.escalation_level, c.next_escalation_at, c.provisional)  # fmt: skip
            self._days[day] = memo = (row, halfway)
            return row
        row, halfway = memo
        if not halfway:
            return row
        remind = start + (row[2] - start) / 2
        return (row[0], row[1], row[2], remind, row[4], row[5], remind if self.stage in LADDER_STAGES else None,
                row[7])  # fmt: skip

    def _reminder_by_days(self, start: datetime, due: datetime) -> bool:
        """Whether `stage_clock` took the reminder from the working days (not the halfway fallback)."""
        days = getattr(self.policy, STAGE_DAYS[self.stage])
        if days <= self.policy.remind_before_days:
            return False
        return self.cal.deadline(start, days - self.policy.remind_before_days) < due
