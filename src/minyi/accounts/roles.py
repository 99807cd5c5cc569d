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
    system = "system"


STAFF_ROLES = frozenset(Role) - {Role.citizen, Role.system}
