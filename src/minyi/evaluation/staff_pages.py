"""The supervisors' page of evaluation: open a period over every active department, close it to publish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.evaluation import actions as act
from minyi.evaluation.present import period_view
from minyi.evaluation.queries import list_periods
from minyi.locale import pick
from minyi.uow import end_read
from minyi.web.auth import StaffPage, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/evaluation", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _page(request: Request, session: SessionDep, error: str = "", status: int = 200) -> Response:
    items = [period_view(session, p) for p in list_periods(session)]
    end_read(session)
    return render(request, "evaluation/staff.html", {"periods": items, "error": error}, status=status)


@router.get("")
def periods(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Every period with its raters so far (supervisors and administrators)."""
    require_role(actor, "supervisor", "admin")
    return _page(request, session)


@router.post("")
def open_period(request: Request, session: SessionDep, actor: StaffPage, form: Form) -> Response:
    require_role(actor, "supervisor", "admin")
    try:
        act.do_open_period(session, actor, text(form, "title")[:300])
    except MinyiError as exc:
        return _page(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/evaluation")


@router.post("/{period_id}/close")
def close_period(
    request: Request, period_id: int, session: SessionDep, actor: StaffPage, form: Form
) -> Response:
    require_role(actor, "supervisor", "admin")
    try:
        act.do_close_period(session, actor, period_id)
    except MinyiError as exc:
        if exc.status == 404:
            raise
        return _page(request, session, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/staff/evaluation")
