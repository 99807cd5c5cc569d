"""Administrators' page for staff contacts: the e-mail, phone or WeChat id each member of staff is told at, their
preferred channel and language (on the audit record). Thin."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from sqlalchemy import select
from starlette.datastructures import FormData

from minyi.accounts.models import User
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError
from minyi.fields import form_int
from minyi.locale import pick
from minyi.notifications.actions import do_set_staff_contact
from minyi.notifications.models import StaffContact
from minyi.notifications.schemas import StaffContactIn
from minyi.uow import end_read
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/admin/contacts", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
FIELDS = ("email", "phone", "wechat_openid", "notify_by", "language")


def _page(
    request: Request, session: SessionDep, error: str | None = None, field: str | None = None
) -> Response:
    rows = session.execute(
        select(User, StaffContact).outerjoin(StaffContact, StaffContact.user_id == User.id)
        .where(User.active.is_(True)).order_by(User.department_id, User.username)
    ).all()  # fmt: skip
    end_read(session)
    context = {"rows": rows, "error": error, "field": field}
    return render(request, "notifications/contacts.html", context, status=422 if error else 200)


def contact_in(form: FormData) -> StaffContactIn:
    """The form's contact, checked by the same schema as the command line's."""
    data = {name: text(form, name) or None for name in FIELDS}
    data["language"] = data["language"] or "zh"
    try:
        return StaffContactIn.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        raise InvalidInput("联系方式有误，请检查后重试（所选通知渠道须填写对应的联系方式）",
                           f"invalid contact: {first.get('msg', '')}", field=field) from None  # fmt: skip


@router.get("")
def contacts(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Every active member of staff with the contact they are told at."""
    require_role(actor, "admin")
    return _page(request, session)


@router.post("/{user_id}")
def set_contact(request: Request, session: SessionDep, form: Form, user_id: str) -> Response:
    """Set (or, with every field empty, clear) one member of staff's contact."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        do_set_staff_contact(session, actor, form_int(user_id, "user_id", 1), contact_in(form))
    except MinyiError as exc:
        return _page(request, session, pick(exc.message_zh, exc.message_en), exc.field)
    return redirect(f"/staff/admin/contacts?done={user_id}#u-{user_id}")
