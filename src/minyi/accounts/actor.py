"""Who is acting: a member of staff, a citizen with a tracking code, or the system. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from minyi.accounts.roles import Role


@dataclass(frozen=True)
class Actor:
    """The identity every action records in the audit trail."""

    role: Role
    label: str
    user_id: int | None = None
    department_id: int | None = None
    clearance: bool = False

    @property
    def is_staff(self) -> bool:
        return self.role not in (Role.citizen, Role.system, Role.member)


SYSTEM = Actor(Role.system, "system")
CITIZEN = Actor(Role.citizen, "submitter")
