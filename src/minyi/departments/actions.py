"""Writes to the organisation: departments, regions and routing rules (administrators only)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.rules import Role
from minyi.db import writes
from minyi.departments.models import Department, Region, RoutingRule
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound


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


@writes
def do_edit_department(
    session: Session,
    actor: Actor,
    department_id: int,
    *,
    name: str,
    name_en: str | None = None,
    region_code: str | None = None,
    active: bool = True,
) -> Department:
    """Rename a department or disable it (a disabled one gets no new cases; its open cases stay with it)."""
    _admin_only(actor)
    dept = session.get(Department, department_id)
    if dept is None:
        raise NotFound("单位", "department")
    if not name.strip():
        raise InvalidInput("请填写单位名称", "the name is required", field="name")
    if region_code and session.get(Region, region_code) is None:
        raise InvalidInput("行政区划代码不存在", "unknown region code", field="region_code")
    dept.name, dept.name_en, dept.region_code, dept.active = (
        name.strip(),
        name_en or None,
        region_code,
        active,
    )
    _forget_routes()
    return dept


def _rule(session: Session, actor: Actor, rule_id: int) -> RoutingRule:
    _admin_only(actor)
    rule = session.get(RoutingRule, rule_id)
    if rule is None:
        raise NotFound("分派规则", "routing rule")
    return rule


@writes
def do_edit_routing_rule(
    session: Session,
    actor: Actor,
    rule_id: int,
    *,
    department_id: int,
    topic_prefix: str = "",
    region_prefix: str = "",
    priority: int = 0,
) -> RoutingRule:
    """Change where a routing rule sends cases."""
    rule = _rule(session, actor, rule_id)
    if session.get(Department, department_id) is None:
        raise InvalidInput("单位不存在", "unknown department", field="department_id")
    rule.department_id, rule.topic_prefix, rule.region_prefix, rule.priority = (
        department_id, topic_prefix, region_prefix, priority,
    )  # fmt: skip
    _forget_routes()
    return rule


@writes
def do_remove_routing_rule(session: Session, actor: Actor, rule_id: int) -> None:
    """Stop a routing rule from sending cases anywhere."""
    session.delete(_rule(session, actor, rule_id))
    _forget_routes()


def _forget_routes() -> None:
    from minyi.cases.understanding import forget_routes

    forget_routes()
