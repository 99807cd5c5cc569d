"""Factories that build test data through the same actions the product uses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM, Actor
from minyi.accounts.models import User
from minyi.cases.models import Case
from minyi.cases.schemas import CaseSubmission
from minyi.departments.models import Department, Region, RoutingRule
from minyi.intake.actions import do_submit_case
from minyi.uow import write

PASSWORD = "correct horse battery"


@dataclass
class Org:
    """A tiny city: two districts, three departments, one user per role."""

    housing: Department
    transport: Department
    district: Department
    users: dict[str, User]

    def actor(self, username: str) -> Actor:
        return actor_of(self.users[username])


def _city(session: Session) -> tuple[Department, Department, Department]:
    session.add_all([
        Region(code="99", name="测试省", level=1),
        Region(code="9901", name="测试市", parent_code="99", level=2),
    ])  # fmt: skip
    session.flush()
    session.add_all([
        Region(code="990102", name="东区", parent_code="9901", level=3),
        Region(code="990103", name="西区", parent_code="9901", level=3),
    ])  # fmt: skip
    session.flush()
    housing = Department(code="housing", name="住建局", name_en="Housing", region_code="9901", active=True)
    transport = Department(
        code="transport", name="交通局", name_en="Transport", region_code="9901", active=True
    )
    district = Department(
        code="east", name="东区政府", name_en="East District", region_code="990102", active=True
    )
    session.add_all([housing, transport, district])
    session.flush()
    session.add_all([
        RoutingRule(topic_prefix="01", region_prefix="", department_id=housing.id),
        RoutingRule(topic_prefix="03", region_prefix="", department_id=transport.id),
    ])  # fmt: skip
    return housing, transport, district


def make_org(session: Session) -> Org:
    with write(session, SYSTEM) as tx:
        housing, transport, district = _city(session)
        tx.record("fixture.org", "city", "9901", {})
    users = {}
    for username, role, dept in [
        ("admin", "admin", None), ("intake", "intake", None), ("supervisor", "supervisor", None),
        ("housing-handler", "handler", housing.id), ("housing-head", "dept_head", housing.id),
        ("transport-handler", "handler", transport.id),
    ]:  # fmt: skip
        users[username] = do_create_user(session, SYSTEM, username=username, password=PASSWORD, role=role,
                                         department_id=dept, clearance=role == "admin")  # fmt: skip
    return Org(housing, transport, district, users)


def submission(**overrides: Any) -> CaseSubmission:
    data: dict[str, Any] = {
        "kind": "complaint",
        "channel": "web",
        "title": "小区电梯坏了",
        "body": "我们小区3栋电梯坏了一个月，物业不修，老人上下楼困难。",
        "region_code": "990102",
        "topic_code": "01",
    }
    data.update(overrides)
    return CaseSubmission(**data)


def submit(session: Session, **overrides: Any) -> Case:
    now = overrides.pop("now", None)
    case, _ = do_submit_case(session, submission(**overrides), now=now)
    return case
