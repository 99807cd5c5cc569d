"""JSON API of the organisation: departments, regions, topics and routing (reads public, writes admin)."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel, Field
from sqlalchemy import select

from minyi.departments.actions import do_add_department, do_add_routing_rule
from minyi.departments.models import Department, Region
from minyi.deps import SessionDep, StaffDep
from minyi.taxonomy import load_taxonomy

router = APIRouter(tags=["organisation"])


class DepartmentOut(BaseModel):
    id: int
    code: str
    name: str
    name_en: str | None
    region_code: str | None


class DepartmentIn(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    region_code: str | None = None


class RoutingIn(BaseModel):
    department_id: int
    topic_prefix: str = Field("", max_length=40)
    region_prefix: str = Field("", max_length=12)
    priority: int = 0


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
