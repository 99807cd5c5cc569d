"""The roles a person acts in. Pure."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    citizen = "citizen"
    intake = "intake"
    handler = "handler"
    dept_head = "dept_head"
    supervisor = "supervisor"
    admin = "admin"
    inspector = "inspector"  # 纪检监察: discipline inspector, the only role that sees misconduct reports
    member = (
        "member"  # a member of an organisation (群团组织、社会组织、居村委会…): not staff, sees only its own
    )
    system = "system"


STAFF_ROLES = frozenset(Role) - {Role.citizen, Role.system, Role.member}
