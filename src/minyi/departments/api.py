"""JSON API of the organisation: departments, regions, topics and routing (reads public, writes admin)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from fastapi import APIRouter, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from minyi.cases.calendar_days import do_set_calendar_day, list_calendar_days
from minyi.cases.clock import load_policies
from minyi.cases.policies import do_set_policy
from minyi.cases.rules import Channel, Kind
from minyi.departments.actions import do_add_department, do_add_routing_rule
from minyi.departments.models import Department, Region
from minyi.deps import SessionDep, StaffDep
from minyi.fields import Id, Text
from minyi.taxonomy import load_taxonomy

router = APIRouter(tags=["organisation"])


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str | None
    region_code: str | None


class DepartmentIn(BaseModel):
    code: Text = Field(min_length=1, max_length=40)
    name: Text = Field(min_length=1, max_length=200)
    name_en: Text | None = Field(None, max_length=200)
    region_code: Text | None = Field(None, max_length=12)


class RoutingIn(BaseModel):
    department_id: Id
    topic_prefix: Text = Field("", max_length=40)
    region_prefix: Text = Field("", max_length=12)
    priority: int = Field(0, ge=-1000, le=1000)


@router.get("/departments", response_model=list[DepartmentOut])
def list_departments(session: SessionDep) -> list[DepartmentOut]:
    rows = session.scalars(select(Department).where(Department.active.is_(True)).order_by(Department.id))
    return [
        DepartmentOut(id=d.id, code=d.code, name=d.name, name_en=d.name_en, region_code=d.region_code)
        for d in rows
    ]


@router.post("/departments", response_model=DepartmentOut, status_code=status.HTTP_201_CREATED)
def add_department(body: DepartmentIn, actor: StaffDep, session: SessionDep) -> DepartmentOut:
    d = do_add_department(session, actor, **body.model_dump())
    return DepartmentOut(id=d.id, code=d.code, name=d.name, name_en=d.name_en, region_code=d.region_code)


@router.post("/routing-rules", status_code=status.HTTP_201_CREATED)
def add_routing_rule(body: RoutingIn, actor: StaffDep, session: SessionDep) -> dict[str, int]:
    rule = do_add_routing_rule(session, actor, **body.model_dump())
    return {"id": rule.id}


@router.get("/regions")
def list_regions(session: SessionDep) -> list[dict[str, object]]:
    rows = session.scalars(select(Region).order_by(Region.code))
    return [{"code": r.code, "name": r.name, "parent_code": r.parent_code, "level": r.level} for r in rows]


@router.get("/topics")
def list_topics() -> list[dict[str, str]]:
    return [{"code": t.code, "name": t.name, "path": t.path} for t in load_taxonomy().topics.values()]


class PolicyIn(BaseModel):
    """A deadline policy in working days; kind, channel and urgent narrow where it applies (null: any)."""

    name: str = Field(min_length=1, max_length=100)
    kind: Kind | None = None
    channel: Channel | None = None
    urgent: bool | None = None
    accept_days: int = Field(15, ge=0, le=365)
    sign_days: int = Field(3, ge=0, le=365)
    handle_days: int = Field(60, ge=0, le=365)
    rehandle_days: int = Field(30, ge=0, le=365)
    evaluation_days: int = Field(10, ge=0, le=365)
    extension_max_days: int = Field(30, ge=0, le=30)
    remind_before_days: int = Field(5, ge=0, le=365)
    accountability_after_days: int = Field(10, ge=0, le=365)


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
