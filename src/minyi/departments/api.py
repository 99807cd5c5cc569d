"""JSON API of the organisation: departments, regions, topics and routing (reads public, writes admin)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from minyi.departments.actions import (
    do_add_department,
    do_add_routing_rule,
    do_edit_department,
    do_edit_routing_rule,
    do_remove_routing_rule,
)
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


class DepartmentEdit(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    region_code: str | None = None
    active: bool = True


@router.put("/departments/{department_id}", response_model=DepartmentOut)
def edit_department(
    department_id: int, body: DepartmentEdit, actor: StaffDep, session: SessionDep
) -> DepartmentOut:
    """Rename a department or disable it (active: false)."""
    d = do_edit_department(session, actor, department_id, **body.model_dump())
    return DepartmentOut(id=d.id, code=d.code, name=d.name, name_en=d.name_en, region_code=d.region_code)


@router.put("/routing-rules/{rule_id}")
def edit_routing_rule(rule_id: int, body: RoutingIn, actor: StaffDep, session: SessionDep) -> dict[str, int]:
    """Change where a routing rule sends cases."""
    rule = do_edit_routing_rule(session, actor, rule_id, **body.model_dump())
    return {"id": rule.id}


@router.delete("/routing-rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT)
def remove_routing_rule(rule_id: int, actor: StaffDep, session: SessionDep) -> None:
    """Remove a routing rule."""
    do_remove_routing_rule(session, actor, rule_id)


@router.get("/regions")
def list_regions(session: SessionDep) -> list[dict[str, object]]:
    rows = session.scalars(select(Region).order_by(Region.code))
    return [{"code": r.code, "name": r.name, "parent_code": r.parent_code, "level": r.level} for r in rows]


@router.get("/topics")
def list_topics() -> list[dict[str, str]]:
    return [{"code": t.code, "name": t.name, "path": t.path} for t in load_taxonomy().topics.values()]
