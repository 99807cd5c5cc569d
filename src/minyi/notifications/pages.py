"""The workbench's notification page: my notifications, the outbox, the dead letters (retry for administrators)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.notifications.actions import do_retry_notification
from minyi.notifications.channels import configured_channels
from minyi.notifications.queries import notifications_page
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf
from minyi.workbench.auth import StaffPage, current_staff

router = APIRouter(prefix="/staff/notifications", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("")
def notifications(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """What the platform told me, and (for oversight) what it told everyone and what it could not deliver."""
    context = {**notifications_page(session, actor), "configured": sorted(configured_channels())}
    return render(request, "workbench/notifications.html", context)


@router.post("/{notification_id}/retry")
def retry(request: Request, session: SessionDep, form: Form, notification_id: int) -> Response:
    """Put a dead letter back in the queue (administrators)."""
    actor = current_staff(request, session)
    do_retry_notification(session, actor, notification_id)
    return redirect("/staff/notifications?done=retry#dead")
