"""Writes to the organisation: departments, regions and routing rules (administrators only)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.rules import Role
from minyi.departments.models import Department, Region, RoutingRule
from minyi.errors import Conflict, Forbidden, InvalidInput


def _admin_only(actor: Actor) -> None:
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可操作", "administrators only")


def do_add_region(session: Session, actor: Actor, *, code: str, name: str) -> Region:
    """Add a region; its parent is the longest existing prefix of its code."""
    _admin_only(actor)
    if not code.isdigit() or len(code) not in (2, 4, 6, 9, 12):
        raise InvalidInput(
            "行政区划代码须为2/4/6/9/12位数字", "region code must have 2, 4, 6, 9 or 12 digits", field="code"
        )
    parent = None
    for n in (9, 6, 4, 2):
        if n < len(code) and session.get(Region, code[:n]) is not None:
            parent = code[:n]
            break
    region = Region(
        code=code, name=name, parent_code=parent, level={2: 1, 4: 2, 6: 3, 9: 4, 12: 5}[len(code)]
    )
    session.add(region)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("行政区划代码已存在", "region code exists", field="code") from exc
    return region


def do_add_department(
    session: Session,
    actor: Actor,
    *,
    code: str,
    name: str,
    name_en: str | None = None,
    region_code: str | None = None,
) -> Department:
    """Add a department that can be assigned cases."""
    _admin_only(actor)
    if region_code and session.get(Region, region_code) is None:
        raise InvalidInput("行政区划代码不存在", "unknown region code", field="region_code")
    dept = Department(code=code, name=name, name_en=name_en, region_code=region_code, active=True)
    session.add(dept)
    try:
        session.commit()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("单位代码已存在", "department code exists", field="code") from exc
    return dept


def do_add_routing_rule(
    session: Session,
    actor: Actor,
    *,
    department_id: int,
    topic_prefix: str = "",
    region_prefix: str = "",
    priority: int = 0,
) -> RoutingRule:
    """Route cases of a topic (prefix) in a region (prefix) to a department."""
    _admin_only(actor)
    if session.get(Department, department_id) is None:
        raise InvalidInput("单位不存在", "unknown department", field="department_id")
    rule = RoutingRule(topic_prefix=topic_prefix, region_prefix=region_prefix, department_id=department_id,
                       priority=priority)  # fmt: skip
    session.add(rule)
    session.commit()
    from minyi.cases.understanding import forget_routes

    forget_routes()
    return rule
