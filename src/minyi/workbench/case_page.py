"""The staff case page: everything about one case, and the action buttons the rules allow right now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.access import DEPARTMENT, may_see_tracking_code
from minyi.accounts.actor import Actor
from minyi.attachments.queries import list_for
from minyi.cases import actions
from minyi.cases.commands import STAFF_COMMANDS, allowed_commands, execute
from minyi.cases.models import Case
from minyi.cases.present import staff_view
from minyi.cases.queries import access_case_by_id, get_pending_extensions
from minyi.cases.rules import ACTION_ZH, Evaluation
from minyi.cases.tracking import display_code
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.errors import NotFound
from minyi.fields import CaseIdInPath
from minyi.locale import pick
from minyi.organisations.expert_panel import expert_panel
from minyi.web.auth import StaffPage, current_staff
from minyi.web.choices import topic_label
from minyi.web.dispatch import run_form_command
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf, sign, unsign
from minyi.workbench.queries import all_events, departments, linked_repeats
from minyi.workbench.reasons import department_reason
from minyi.workbench.templates_store import reply_templates

router = APIRouter(route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]
REGISTERED_COOKIE = "minyi_registered"


def shown_tracking_code(request: Request, actor: Actor, case: Case) -> str | None:
    """The tracking code, once: on the first view of the case its operator just registered (then forgotten)."""
    if unsign("registered", request.cookies.get(REGISTERED_COOKIE)) != case.id:
        return None
    return display_code(case.tracking_code) if may_see_tracking_code(actor, registering=True) else None


def remember_registration(response: Response, case_id: int) -> None:
    """Let the next view of this case (and only that one) show its operator the tracking code to read out."""
    response.set_cookie(REGISTERED_COOKIE, sign("registered", case_id, 600), max_age=600, httponly=True,
                        samesite="strict", path="/staff")  # fmt: skip


def _page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    case: Case,
    error: str | None,
    status: int,
    weak_draft: str | None = None,
) -> Response:
    depts = departments(session)
    names = {d.id: pick(d.name, d.name_en or d.name) for d in depts}
    events = all_events(session, case.id)
    first = (events[0].data or {}) if events else {}
    context: dict[str, Any] = {
        "case": staff_view(session, case, actor), "events": events,
        "allowed": allowed_commands(actor, case, session), "pending": get_pending_extensions(session, case.id),
        "departments": depts, "dept_names": names, "repeats": linked_repeats(session, actor, case.id),
        "topic": topic_label(case.topic_code), "topic_suggested": topic_label(case.topic_suggested),
        "templates": reply_templates(session), "error": error, "now": utcnow(), "anonymous": case.anonymous,
        "evaluations": [e.value for e in Evaluation], "weak_draft": weak_draft,
        "department_reason": department_reason(session, first.get("understanding", {}).get("department_reason")),
        "tracking": shown_tracking_code(request, actor, case),
        "files": list_for(session, "case", case.id),  # the case is the actor's to see (checked by the caller)
        "expert_panel": expert_panel(session, actor, "case", case.id),  # experts asked, and the form to ask one
    }  # fmt: skip
    response = render(request, "workbench/case.html", context, status=status)
    if context["tracking"]:
        response.delete_cookie(REGISTERED_COOKIE, path="/staff")
    return response


@router.get("/cases/{case_id}")
def case_detail(request: Request, session: SessionDep, actor: StaffPage, case_id: CaseIdInPath) -> Response:
    """One case for staff who may see it; others get the same 404 as for a case that does not exist."""
    case = access_case_by_id(session, actor, case_id)
    return _page(request, session, actor, case, None, 200)


@router.post("/cases/{case_id}/act/{name}")
def case_action(
    request: Request, session: SessionDep, form: Form, case_id: CaseIdInPath, name: str
) -> Response:
    """Run one command from the table; on refusal show the page again with the reason, else back (PRG)."""
    actor = current_staff(request, session)
    command = STAFF_COMMANDS.get(name)
    if command is None:
        raise NotFound("操作", "action")
    error = run_form_command(
        session, form, command, ACTION_ZH.get(name, name),
        lambda body, version: execute(session, actor, case_id, command, body, expected_version=version),
    )  # fmt: skip
    if error is not None:
        case = access_case_by_id(session, actor, case_id)
        draft = text(form, "text") if isinstance(error, actions.WeakReply) else None
        return _page(
            request, session, actor, case, pick(error.message_zh, error.message_en), error.status, draft
        )
    if text(form, "back") == "board":
        return redirect(f"/staff/board?done={name}")
    if name in ("return", "merge") and actor.role in DEPARTMENT:
        return redirect(f"/staff?done={name}")
    return redirect(f"/staff/cases/{case_id}?done={name}#top")
