"""JSON API of the open-data slice: administrators register Open311 client applications. Thin."""

from __future__ import annotations

from fastapi import APIRouter, status

from minyi.accounts.roles import Role
from minyi.deps import SessionDep, StaffDep
from minyi.errors import Forbidden
from minyi.opendata.actions import do_register_client, list_clients
from minyi.opendata.models import Open311Client
from minyi.opendata.schemas import ClientIn, ClientOut

router = APIRouter(tags=["open data"])


def _out(client: Open311Client, key: str | None = None) -> ClientOut:
    return ClientOut(id=client.id, name=client.name, contact=client.contact,
                     rate_limit_per_hour=client.rate_limit_per_hour, active=client.active, api_key=key)  # fmt: skip


@router.post("/open311/clients", status_code=status.HTTP_201_CREATED, response_model=ClientOut)
def register_client(body: ClientIn, actor: StaffDep, session: SessionDep) -> ClientOut:
    """Register a client application; the answer carries its API key, shown this once only."""
    client, key = do_register_client(session, actor, body)
    return _out(client, key)


@router.get("/open311/clients", response_model=list[ClientOut])
def get_clients(actor: StaffDep, session: SessionDep) -> list[ClientOut]:
    """The registered client applications (never their keys)."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可查看客户端应用", "only administrators see client applications")
    return [_out(c) for c in list_clients(session)]
