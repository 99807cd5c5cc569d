"""Pages of expert opinions: staff ask an expert body's member about a case or suggestion and decide publication
(/staff/experts); the invited expert reads the requests addressed to them and gives the signed opinion
(/org/experts). Thin: the same command table as the API; the case and suggestion pages post here too."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.locale import pick
from minyi.organisations.expert_commands import COMMANDS, execute
from minyi.organisations.expert_panel import expert_panel
from minyi.organisations.expert_queries import expert_inbox
from minyi.organisations.pages import MemberPage, current_member
from minyi.organisations.schemas import ExpertAnswerIn, ExpertInviteIn, PublishIn
from minyi.web.auth import StaffPage, current_staff
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
RequestId = Annotated[int, Path(ge=1, le=2**31 - 1)]
SUBJECTS = {"case", "suggestion"}


def _message(exc: Exception) -> str:
    if isinstance(exc, MinyiError):
        return pick(exc.message_zh, exc.message_en)
    fields = {e["loc"][0] for e in exc.errors() if e["loc"]} if isinstance(exc, ValidationError) else set()
    if "due_on" in fields:
        return pick("请填写有效的答复期限（年-月-日）", "enter a valid due date (year-month-day)")
    if "body" in fields:
        return pick("请填写意见（不超过两万字）", "write the opinion (20,000 characters at most)")
    return pick("请检查填写的内容", "please check what you entered")


def _staff_page(request: Request, session: SessionDep, actor: Actor, subject_type: str, subject_id: int, *,
                error: str | None = None, status: int = 200) -> Response:  # fmt: skip
    subject = (subject_type, subject_id) if subject_type in SUBJECTS and subject_id > 0 else None
    context = {"subject": subject, "error": error,
               "panel": expert_panel(session, actor, *subject) if subject else None}  # fmt: skip
    return render(request, "organisations/experts_staff.html", context, status=status)


def _int(raw: str) -> int:
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _back(form: FormData, subject_type: str, subject_id: int, done: str) -> Response:
    """Back to the page the form was on: the case or suggestion page itself, or the experts' page."""
    if text(form, "back") == "subject":
        page = {"case": "cases", "suggestion": "suggestions"}[subject_type]
        return redirect(f"/staff/{page}/{subject_id}?done=expert_{done}#experts")
    return redirect(f"/staff/experts?subject_type={subject_type}&subject_id={subject_id}&done={done}")


@router.get("/staff/experts")
def staff_experts(request: Request, session: SessionDep, actor: StaffPage, subject_type: str = "",
                  subject_id: str = "") -> Response:  # fmt: skip
    """The requests on one case or suggestion (404 if you may not see it) and the form to ask an expert."""
    return _staff_page(request, session, actor, subject_type, _int(subject_id))


@router.post("/staff/experts")
def invite(request: Request, session: SessionDep, form: Form) -> Response:
    """Ask an expert (the invite command); the request waits in the expert's own page."""
    actor = current_staff(request, session)
    kind, number = text(form, "subject_type"), _int(text(form, "subject_id"))
    try:
        body = ExpertInviteIn.model_validate({"subject_type": kind, "subject_id": number,
                                              "expert_user_id": _int(text(form, "expert_user_id")),
                                              "question": text(form, "question"), "due_on": text(form, "due_on") or None})  # fmt: skip
        execute(session, actor, COMMANDS["invite"], body)
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        if isinstance(exc, MinyiError) and exc.status == 404:
            raise
        return _staff_page(request, session, actor, kind, number, error=_message(exc), status=422)
    return _back(form, kind, number, "invite")


@router.post("/staff/experts/{request_id}/publication")
def publish(request: Request, session: SessionDep, form: Form, request_id: RequestId) -> Response:
    """The inviter publishes the opinion on the subject's public page, or withdraws it (the publish command)."""
    actor = current_staff(request, session)
    body = PublishIn(publish=text(form, "publish") == "1")
    row = execute(session, actor, COMMANDS["publish"], body, request_id)
    return _back(form, row.subject_type, row.subject_id, "publish")


@router.get("/org/experts")
def inbox(request: Request, session: SessionDep, actor: MemberPage) -> Response:
    """The requests addressed to the signed-in expert, with the form to answer each once."""
    return render(
        request, "organisations/experts_inbox.html", {"requests": expert_inbox(session, actor), "error": None}
    )


@router.post("/org/experts/{request_id}")
def answer(request: Request, session: SessionDep, form: Form, request_id: RequestId) -> Response:
    """Give the signed opinion (the answer command: only the invited expert; 404 for anyone else)."""
    actor = current_member(request, session)
    try:
        body = ExpertAnswerIn.model_validate({"body": text(form, "body")})
        execute(session, actor, COMMANDS["answer"], body, request_id)
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        if isinstance(exc, MinyiError) and exc.status == 404:
            raise
        context = {"requests": expert_inbox(session, actor), "error": _message(exc)}
        status = exc.status if isinstance(exc, MinyiError) else 422
        return render(request, "organisations/experts_inbox.html", context, status=status)
    return redirect("/org/experts?done=answer")
