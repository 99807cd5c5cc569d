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
    system = "system"


STAFF_ROLES = frozenset(Role) - {Role.citizen, Role.system}
