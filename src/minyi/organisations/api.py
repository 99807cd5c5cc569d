"""JSON API of organisations for administrators: list, register, one organisation, one route per command. Thin."""

from __future__ import annotations

from fastapi import APIRouter, status
from pydantic import BaseModel

from minyi.deps import SessionDep, StaffDep
from minyi.organisations.actions import do_add_organisation
from minyi.organisations.admin_queries import (
    access_organisation_by_id,
    check_organisation_admin,
    list_organisations,
    organisation_view,
)
from minyi.organisations.commands import COMMANDS, OrganisationCommand, execute
from minyi.organisations.schemas import OrganisationIn, OrganisationOut
from minyi.uow import end_read

router = APIRouter(prefix="/admin/organisations", tags=["organisations"])


@router.get("", response_model=list[OrganisationOut])
def organisations(actor: StaffDep, session: SessionDep) -> list[OrganisationOut]:
    """Every organisation (administrators; anyone else finds nothing)."""
    out = [
        OrganisationOut(id=o.id, name=o.name, kind=o.kind, region_code=o.region_code, active=o.active)
        for o, _members in list_organisations(session, actor)
    ]
    end_read(session)
    return out


@router.post("", status_code=status.HTTP_201_CREATED, response_model=OrganisationOut)
def add_organisation(body: OrganisationIn, actor: StaffDep, session: SessionDep) -> OrganisationOut:
    """Register an organisation."""
    check_organisation_admin(actor)
    return organisation_view(session, do_add_organisation(session, actor, body))


@router.get("/{organisation_id}", response_model=OrganisationOut)
def organisation(organisation_id: int, actor: StaffDep, session: SessionDep) -> OrganisationOut:
    """One organisation with its members and its figures (response time, satisfaction)."""
    out = organisation_view(session, access_organisation_by_id(session, actor, organisation_id))
    end_read(session)
    return out


def _route(command: OrganisationCommand) -> None:
    """<METHOD> /admin/organisations/{id}<path>: one route per command, dispatched through the table."""

    def endpoint(
        organisation_id: int, body: BaseModel, actor: StaffDep, session: SessionDep
    ) -> OrganisationOut:
        once = execute(session, actor, organisation_id, command, body)
        org = access_organisation_by_id(session, actor, organisation_id)
        return organisation_view(session, org, temporary_password=once)

    endpoint.__annotations__["body"] = command.schema
    router.add_api_route(
        f"/{{organisation_id}}{command.path}", endpoint, methods=[command.method], response_model=OrganisationOut,
        summary=command.summary, name=f"organisation_{command.name}", operation_id=f"organisation_{command.name}",
    )  # fmt: skip


for _command in COMMANDS.values():
    _route(_command)
