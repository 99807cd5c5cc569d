"""JSON API of deadlines: policies, the working-day calendar and its coverage (reads public, writes admin)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from minyi.cases.rules import Channel, Kind
from minyi.deadlines.actions import (
    do_load_schedule,
    do_set_calendar_day,
    do_set_policy,
    list_calendar_days,
    make_schedule,
)
from minyi.deadlines.clock import calendar, load_policies
from minyi.deps import SessionDep, StaffDep
from minyi.fields import Text

router = APIRouter(tags=["deadlines"])


class PolicyIn(BaseModel):
    """A deadline policy in working days; kind, channel and urgent narrow where it applies (null: any)."""

    name: Text = Field(min_length=1, max_length=100)
    kind: Kind | None = None
    channel: Channel | None = None
    urgent: bool | None = None
    accept_days: int = Field(15, ge=0, le=365, strict=True)
    sign_days: int = Field(3, ge=0, le=365, strict=True)
    handle_days: int = Field(60, ge=0, le=365, strict=True)
    rehandle_days: int = Field(30, ge=0, le=365, strict=True)
    evaluation_days: int = Field(10, ge=0, le=365, strict=True)
    extension_max_days: int = Field(30, ge=0, le=30, strict=True)
    remind_before_days: int = Field(5, ge=0, le=365, strict=True)
    accountability_after_days: int = Field(10, ge=0, le=365, strict=True)


@router.get("/policies")
def list_policies(session: SessionDep) -> list[dict[str, object]]:
    """The deadline policies in force (built-in first, then the administrators' own)."""
    return [asdict(p) for p in load_policies(session)]


@router.put("/policies", status_code=status.HTTP_200_OK)
def set_policy(body: PolicyIn, actor: StaffDep, session: SessionDep) -> dict[str, object]:
    """Add or change an administrator's deadline policy (by name)."""
    fields = body.model_dump()
    fields["kind"] = body.kind.value if body.kind else None
    fields["channel"] = body.channel.value if body.channel else None
    row = do_set_policy(session, actor, **fields)
    return {"id": row.id, "name": row.name}


class CalendarDayIn(BaseModel):
    """holiday: not a working day; workday: a working day; official: follow the State Council's schedule."""

    kind: str = Field(pattern="^(holiday|workday|official)$")
    note: Text | None = Field(None, max_length=200)


@router.get("/calendar/overrides")
def list_calendar_overrides(session: SessionDep) -> list[dict[str, object]]:
    """The administrators' changes to the official working-day calendar."""
    return [
        {"day": d.day.isoformat(), "workday": d.workday, "note": d.note} for d in list_calendar_days(session)
    ]


@router.put("/calendar/{day}")
def set_calendar_day(
    day: date, body: CalendarDayIn, actor: StaffDep, session: SessionDep
) -> dict[str, object]:
    """Make a day a holiday or a working day (deadlines started afterwards follow it)."""
    do_set_calendar_day(session, actor, day, body.kind, body.note)
    return {"day": day.isoformat(), "kind": body.kind}


class ScheduleIn(BaseModel):
    """A year's official schedule, as the State Council publishes it (must include 1 January as a holiday)."""

    holidays: list[date] = Field(default_factory=list, max_length=400)
    workdays: list[date] = Field(default_factory=list, max_length=400)
    note: Text | None = Field(None, max_length=200)


@router.get("/calendar/coverage")
def calendar_coverage(session: SessionDep) -> dict[str, list[int]]:
    """The years whose official schedule is known; deadlines in other years are provisional (暂定)."""
    return {"covered_years": sorted(calendar(session).covered_years())}


@router.post("/calendar/schedule")
def load_calendar_schedule(body: ScheduleIn, actor: StaffDep, session: SessionDep) -> dict[str, object]:
    """Load a year's official schedule as administrators' days."""
    n = do_load_schedule(session, actor, make_schedule(body.holidays, body.workdays), body.note)
    return {"loaded": n, "covered_years": sorted(calendar(session).covered_years())}
