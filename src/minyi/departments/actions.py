"""Writes to the organisation: departments, regions and routing rules (administrators only, on the record)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.departments.models import Department, Region, RoutingRule
from minyi.departments.queries import check_region, forget_departments, forget_regions, forget_routes
from minyi.errors import Conflict, Forbidden, InvalidInput, NotFound
from minyi.uow import write

LEVELS = {2: 1, 4: 2, 6: 3, 9: 4, 12: 5}


def _admin_only(actor: Actor) -> None:
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可操作", "administrators only")


def do_add_region(
    session: Session, actor: Actor, *, code: str, name: str, name_en: str | None = None
) -> Region:
    """Add a region; its parent is the longest existing prefix of its code."""
    _admin_only(actor)
    if not code.isdigit() or len(code) not in LEVELS:
        raise InvalidInput(
            "行政区划代码须为2/4/6/9/12位数字", "region code must have 2, 4, 6, 9 or 12 digits", field="code"
        )
    if session.get(Region, code) is not None:
        raise Conflict("行政区划代码已存在", "region code exists", field="code")
    parent = None
    for n in (9, 6, 4, 2):
        if n < len(code) and session.get(Region, code[:n]) is not None:
            parent = code[:n]
            break
    try:
        with write(session, actor) as tx:
            region = Region(
                code=code, name=name, name_en=name_en, parent_code=parent, level=LEVELS[len(code)]
            )
            session.add(region)
            session.flush()
            tx.record("region.add", "region", code, {"name": name, "name_en": name_en, "parent_code": parent})
            tx.after_commit(forget_regions)
    except IntegrityError as exc:
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
    check_region(session, region_code)
    try:
        with write(session, actor) as tx:
            dept = Department(code=code, name=name, name_en=name_en, region_code=region_code, active=True)
            session.add(dept)
            session.flush()
            tx.record("department.add", "department", dept.id,
                      {"code": code, "name": name, "name_en": name_en, "region_code": region_code})  # fmt: skip
            tx.after_commit(forget_departments)
    except IntegrityError as exc:
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
    with write(session, actor) as tx:
        rule = RoutingRule(topic_prefix=topic_prefix, region_prefix=region_prefix, department_id=department_id,
                           priority=priority)  # fmt: skip
        session.add(rule)
        session.flush()
        tx.record("routing_rule.add", "routing_rule", rule.id, _rule_data(rule))
        tx.after_commit(forget_routes)
    return rule


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
    if session.get(Department, department_id) is None:
        raise NotFound("单位", "department")
    if not name.strip():
        raise InvalidInput("请填写单位名称", "the name is required", field="name")
    check_region(session, region_code)
    with write(session, actor) as tx:
        dept = session.get(Department, department_id, with_for_update=True, populate_existing=True)
        assert dept is not None
        before = {
            "name": dept.name,
            "name_en": dept.name_en,
            "region_code": dept.region_code,
            "active": dept.active,
        }
        dept.name, dept.name_en, dept.region_code, dept.active = (
            name.strip(),
            name_en or None,
            region_code,
            active,
        )
        after = {
            "name": dept.name,
            "name_en": dept.name_en,
            "region_code": dept.region_code,
            "active": dept.active,
        }
        tx.record("department.edit", "department", dept.id, {"before": before, "after": after})
        tx.after_commit(forget_routes)
        tx.after_commit(forget_departments)
    return dept


def _rule_data(rule: RoutingRule) -> dict[str, object]:
    return {"department_id": rule.department_id, "topic_prefix": rule.topic_prefix,
            "region_prefix": rule.region_prefix, "priority": rule.priority}  # fmt: skip


def _existing_rule(session: Session, actor: Actor, rule_id: int) -> None:
    _admin_only(actor)
    if session.get(RoutingRule, rule_id) is None:
        raise NotFound("分派规则", "routing rule")


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
    _existing_rule(session, actor, rule_id)
    if session.get(Department, department_id) is None:
        raise InvalidInput("单位不存在", "unknown department", field="department_id")
    with write(session, actor) as tx:
        rule = session.get(RoutingRule, rule_id, with_for_update=True, populate_existing=True)
        if rule is None:
            raise NotFound("分派规则", "routing rule")
        before = _rule_data(rule)
        rule.department_id, rule.topic_prefix, rule.region_prefix, rule.priority = (
            department_id, topic_prefix, region_prefix, priority,
        )  # fmt: skip
        tx.record("routing_rule.edit", "routing_rule", rule.id, {"before": before, "after": _rule_data(rule)})
        tx.after_commit(forget_routes)
    return rule


def do_remove_routing_rule(session: Session, actor: Actor, rule_id: int) -> None:
    """Stop a routing rule from sending cases anywhere."""
    _existing_rule(session, actor, rule_id)
    with write(session, actor) as tx:
        rule = session.get(RoutingRule, rule_id, with_for_update=True)
        if rule is None:
            raise NotFound("分派规则", "routing rule")
        tx.record("routing_rule.remove", "routing_rule", rule.id, _rule_data(rule))
        session.delete(rule)
        tx.after_commit(forget_routes)
