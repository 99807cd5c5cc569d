"""Pure rules of the reports: the year as the city counts it, its months, the scope of a report, rates. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

FIRST_YEAR = 2000  # no report before the platform could have held a record


@dataclass(frozen=True)
class Scope:
    """What one report covers: a year, and a department (None: the whole city, the annual report)."""

    year: int
    department_id: int | None = None
    department_code: str | None = None
    department_name: str = ""

    @property
    def kind(self) -> str:
        return "annual" if self.department_id is None else "department"


def year_window(year: int, local: tzinfo) -> tuple[datetime, datetime]:
    """[1 January, next 1 January) of `year` in the city's time zone, as aware UTC instants."""
    start = datetime(year, 1, 1, tzinfo=local).astimezone(UTC)
    return start, datetime(year + 1, 1, 1, tzinfo=local).astimezone(UTC)


def month_edges(year: int, local: tzinfo) -> list[datetime]:
    """The 13 local month boundaries of `year` (1 January … next 1 January), as aware UTC instants."""
    edges = [datetime(year, m, 1, tzinfo=local) for m in range(1, 13)]
    edges.append(datetime(year + 1, 1, 1, tzinfo=local))
    return [e.astimezone(UTC) for e in edges]


def reportable_year(year: int, now: datetime, local: tzinfo) -> bool:
    """A report exists for a year that has begun (the current year reads as a report so far)."""
    return FIRST_YEAR <= year <= now.astimezone(local).year


def rate(part: int, whole: int) -> float | None:
    """part ÷ whole, or None where there is nothing to divide."""
    return part / whole if whole else None


def pct(value: float | None) -> str:
    """A rate as every report prints it."""
    return "—" if value is None else f"{100 * value:.1f}%"
