"""Every administrators' step on an organisation, declared once: its input, its do_* function, where the API
takes it. The JSON API generates one route per command; the admin page runs the same command from its form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.organisations import manage
from minyi.organisations.admin_queries import access_organisation_by_id
from minyi.organisations.schemas import MemberRef, NewMemberIn, OrganisationEdit


@dataclass(frozen=True)
class OrganisationCommand:
    """One step: how and where the API takes it, what it takes, what it runs (a one-time password, or None)."""

    name: str
    method: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, Actor, int, Any], str | None]
    summary: str


def _commands() -> list[OrganisationCommand]:
    return [
        OrganisationCommand("edit", "PUT", "", OrganisationEdit, manage.do_edit_organisation,
                            "修改 change an organisation; active: false deactivates it"),
        OrganisationCommand("add_member", "POST", "/members", NewMemberIn, manage.do_enrol_member,
                            "添加成员 a member's account, its temporary password shown once"),
        OrganisationCommand("remove_member", "POST", "/members/removal", MemberRef, manage.do_remove_member,
                            "移除成员 end a membership; the account is disabled"),
        OrganisationCommand("reset_member_password", "POST", "/members/password-reset", MemberRef,
                            manage.do_reset_member_password, "重置密码 a temporary password, shown once"),
    ]  # fmt: skip


COMMANDS: dict[str, OrganisationCommand] = {c.name: c for c in _commands()}


def execute(
    session: Session, actor: Actor, organisation_id: int, command: OrganisationCommand, body: BaseModel
) -> str | None:
    """Run one step: a non-administrator, or an organisation that does not exist, finds nothing (404) first."""
    access_organisation_by_id(session, actor, organisation_id)
    return command.run(session, actor, organisation_id, body)
