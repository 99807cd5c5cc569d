"""The staff case page: everything about one case, and the action buttons the rules allow right now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.cases import actions
from minyi.cases.models import Case
from minyi.cases.present import staff_view
from minyi.cases.queries import access_case_by_id, get_pending_extensions
from minyi.cases.rules import DEPARTMENT, Evaluation, Role, Status, check_transition
from minyi.cases.tracking import display_code
from minyi.db import utcnow
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, InvalidTransition, MinyiError
from minyi.fields import Id, form_int
from minyi.locale import pick
from minyi.portal.forms import text
from minyi.portal.queries import topic_label
from minyi.portal.rendering import PageRoute, redirect, render
from minyi.portal.signing import check_csrf
from minyi.workbench.auth import StaffPage, current_staff
from minyi.workbench.queries import all_events, departments, linked_repeats
from minyi.workbench.templates_store import reply_templates

router = APIRouter(route_class=PageRoute)
Form = Annotated[FormData, Depends(check_csrf)]
BUTTONS = (
    "accept", "decline", "assign", "sign_for", "return", "reply", "request_extension", "decide_extension",
    "merge", "supervise", "note",
)  # fmt: skip


def allowed_actions(actor: Actor, case: Case, has_pending_extension: bool) -> list[str]:
    """The actions the pure rules let this actor take on this case now (buttons for nothing else)."""
    same = actor.department_id is not None and actor.department_id == case.department_id
    out = []
    for name in BUTTONS:
        try:
            check_transition(name, Status(case.status), actor.role, same_department=same)
        except InvalidTransition:
            continue
        if name == "decide_extension" and not has_pending_extension:
            continue
        if name == "request_extension" and has_pending_extension:
            continue
        out.append(name)
    return out


def contact_allowed(actor: Actor, case: Case) -> bool:
    """Dispatchers and oversight see contact; the department too, unless the submitter chose anonymity."""
    if actor.role in (Role.intake, Role.supervisor, Role.admin):
        return True
    same = actor.department_id is not None and actor.department_id == case.department_id
    return same and not (case.anonymous and actor.role in DEPARTMENT)


def _page(
    request: Request,
    session: SessionDep,
    actor: Actor,
    case: Case,
    error: str | None,
    status: int,
    weak_draft: str | None = None,
) -> Response:
    pending = get_pending_extensions(session, case.id)
    depts = departments(session)
    names = {d.id: pick(d.name, d.name_en or d.name) for d in depts}
    context: dict[str, Any] = {
        "case": staff_view(session, case, with_contact=contact_allowed(actor, case)),
        "events": all_events(session, case.id), "allowed": allowed_actions(actor, case, bool(pending)),
        "pending": pending, "departments": depts, "dept_names": names, "repeats": linked_repeats(session, actor, case.id),
        "topic": topic_label(case.topic_code), "topic_suggested": topic_label(case.topic_suggested),
        "templates": reply_templates(session), "error": error, "now": utcnow(), "anonymous": case.anonymous,
        "evaluations": [e.value for e in Evaluation], "weak_draft": weak_draft,
        "tracking": display_code(case.tracking_code) if actor.role in (Role.intake, Role.supervisor, Role.admin) else None,
    }  # fmt: skip
    return render(request, "workbench/case.html", context, status=status)


@router.get("/cases/{case_id}")
def case_detail(request: Request, session: SessionDep, actor: StaffPage, case_id: Id) -> Response:
    """One case for staff who may see it; others get the same 404 as for a case that does not exist."""
    case = access_case_by_id(session, actor, case_id)
    return _page(request, session, actor, case, None, 200)


def _int(form: FormData, name: str) -> int:
    return form_int(text(form, name), name)


def _run(session: SessionDep, actor: Actor, case: Case, name: str, form: FormData) -> str:
    """Call the one core action behind a button; returns the message to show."""
    kw: dict[str, Any] = {"expected_version": _int(form, "version")}
    note = text(form, "note") or None
    reason = text(form, "reason")
    if name in ("decline", "return") and not reason:
        raise InvalidInput("请填写理由", "a reason is required", field="reason")
    if name == "accept":
        actions.do_accept(session, case, actor, note=note, **kw)
    elif name == "decline":
        actions.do_decline(session, case, actor, reason=reason, **kw)
    elif name == "assign":
        co = [form_int(str(v), "co_handler_ids", 1) for v in form.getlist("co_handler_ids") if str(v).strip()]
        actions.do_assign(
            session,
            case,
            actor,
            department_id=_int(form, "department_id"),
            co_handler_ids=co,
            note=note,
            **kw,
        )
    elif name == "sign_for":
        actions.do_sign_for(session, case, actor, note=note, **kw)
    elif name == "return":
        actions.do_return(session, case, actor, reason=reason, **kw)
    elif name == "reply":
        reply = text(form, "text")
        if not reply:
            raise InvalidInput("请填写答复内容", "the reply is empty", field="text")
        actions.do_reply(
            session, case, actor, text=reply, confirm_weak=text(form, "confirm_weak") == "1", **kw
        )
    elif name == "request_extension":
        actions.do_request_extension(
            session, case, actor, days=_int(form, "days"), reason=reason or "-", **kw
        )
    elif name == "decide_extension":
        approve = text(form, "approve") == "1"
        actions.do_decide_extension(
            session, case, actor, request_id=_int(form, "request_id"), approve=approve, note=note, **kw
        )
    elif name == "merge":
        master = access_case_by_id(session, actor, _int(form, "master_case_id"))
        actions.do_merge(session, case, actor, master=master, note=note, **kw)
    elif name == "supervise":
        actions.do_supervise(session, case, actor, note=note, **kw)
    elif name == "note":
        if not note:
            raise InvalidInput("请填写备注", "the note is empty", field="note")
        actions.do_add_note(session, case, actor, note=note, **kw)
    else:
        raise InvalidTransition("未知操作", f"unknown action {name}")
    return name


@router.post("/cases/{case_id}/act/{name}")
def case_action(request: Request, session: SessionDep, form: Form, case_id: Id, name: str) -> Response:
    """Run one action; on refusal show the page again with the reason, else back to the case (PRG)."""
    actor = current_staff(request, session)
    case = access_case_by_id(session, actor, case_id, for_update=True)
    try:
        done = _run(session, actor, case, name, form)
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        case = access_case_by_id(session, actor, case_id)
        draft = text(form, "text") if isinstance(exc, actions.WeakReply) else None
        return _page(request, session, actor, case, pick(exc.message_zh, exc.message_en), exc.status, draft)
    if text(form, "back") == "board":
        return redirect(f"/staff/board?done={done}")
    if done in ("return", "merge") and actor.role in DEPARTMENT:
        return redirect(f"/staff?done={done}")
    return redirect(f"/staff/cases/{case_id}?done={done}#top")
