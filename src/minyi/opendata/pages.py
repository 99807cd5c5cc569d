"""The administrators' page of Open311 client applications: register (the key shown once), change, disable. Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.fields import form_int
from minyi.locale import pick
from minyi.opendata.actions import do_edit_client, do_register_client, list_clients
from minyi.opendata.schemas import ClientEdit, ClientIn
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/admin/open311", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
ClientId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _page(request: Request, session: SessionDep, *, key: tuple[str, str] | None = None, error: str | None = None,
          status: int = 200) -> Response:  # fmt: skip
    context = {"clients": list_clients(session), "new_key": key, "error": error}
    return render(request, "opendata/clients.html", context, status=status)


def _refusal(exc: Exception) -> str:
    if isinstance(exc, MinyiError):
        return pick(exc.message_zh, exc.message_en)
    loc = exc.errors()[0]["loc"] if isinstance(exc, ValidationError) and exc.errors() else ()
    field = ".".join(str(p) for p in loc)
    return pick(f"输入有误：{field}", f"invalid input: {field}")


def _limit(form: FormData) -> int:
    return form_int(text(form, "rate_limit_per_hour") or "60", "rate_limit_per_hour", 1, 100_000)


@router.get("")
def clients_page(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Every client application: name, contact, rate limit, state (never a key)."""
    require_role(actor, "admin")
    return _page(request, session)


@router.post("/clients")
def register_client(request: Request, session: SessionDep, form: Form) -> Response:
    """Register a client application; the answer shows its API key this once (only its hash is kept)."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        data = ClientIn(
            name=text(form, "name"), contact=text(form, "contact"), rate_limit_per_hour=_limit(form)
        )
        client, key = do_register_client(session, actor, data)
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        return _page(request, session, error=_refusal(exc), status=422)
    response = _page(request, session, key=(client.name, key))
    response.headers["Cache-Control"] = "no-store"  # the key must not stay in any cache
    return response


@router.post("/clients/{client_id}/edit")
def edit_client(request: Request, session: SessionDep, form: Form, client_id: ClientId) -> Response:
    """Change the contact or the rate limit, or disable (enable) a client application."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        data = ClientEdit(contact=text(form, "contact"), rate_limit_per_hour=_limit(form),
                          active=text(form, "active") == "1")  # fmt: skip
        do_edit_client(session, actor, client_id, data)
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        return _page(request, session, error=_refusal(exc), status=422)
    return redirect("/staff/admin/open311?done=1")
