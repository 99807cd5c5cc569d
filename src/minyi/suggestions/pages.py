"""Workbench pages of 建议提案办理: the office's list and register form, one item with the steps allowed now."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import ValidationError
from starlette.datastructures import FormData

from minyi.accounts.actor import Actor
from minyi.attachments.api import form_uploads
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError, NotFound
from minyi.locale import pick
from minyi.suggestions import labels  # noqa: F401 - registers the slice's labels
from minyi.suggestions.actions import do_register_suggestion
from minyi.suggestions.commands import STAFF_COMMANDS, allowed_steps, execute
from minyi.suggestions.files import do_attach_to_answer, files_of, own_answer_ids
from minyi.suggestions.page_hooks import staff_panels
from minyi.suggestions.queries import (
    access_suggestion_by_id,
    list_suggestions,
    list_views,
    suggestion_view,
    unit_choices,
)
from minyi.suggestions.rules import OFFICE, STEPS, Category, SuggestionKind, SuggestionStatus
from minyi.suggestions.schemas import SuggestionIn
from minyi.web.auth import StaffPage, current_staff
from minyi.web.dispatch import run_form_command
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/suggestions", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _names(session: SessionDep) -> dict[int, str]:
    return {d.id: pick(d.name, d.name_en or d.name) for d in unit_choices(session)}


@router.get("")
def suggestion_list(request: Request, session: SessionDep, actor: StaffPage, session_label: str = "",
                    status: str = "") -> Response:  # fmt: skip
    """The items the member of staff may see (the office: all; a unit: those it leads or co-operates on)."""
    status_ok = status if status in {s.value for s in SuggestionStatus} else None
    items = list_suggestions(session, actor, session_label=session_label[:100] or None, status=status_ok)
    context = {
        "items": list_views(session, items), "unit_names": _names(session),
        "session_label": session_label[:100], "status": status_ok or "", "statuses": [s.value for s in SuggestionStatus],
        "office": actor.role in OFFICE,
    }  # fmt: skip
    return render(request, "suggestions/list.html", context)


def _new_page(request: Request, context: dict[str, Any], status: int = 200) -> Response:
    context.setdefault("error", None)
    context.setdefault("values", {})
    return render(
        request,
        "suggestions/new.html",
        {**context, "kinds": [k.value for k in SuggestionKind]},
        status=status,
    )


@router.get("/new")
def new_form(request: Request, actor: StaffPage) -> Response:
    """The office's register form."""
    return _new_page(request, {})


@router.post("/new")
def register(request: Request, session: SessionDep, form: Form) -> Response:
    """Register an item; a new proposer's code is shown once on the next page."""
    actor = current_staff(request, session)
    values = {k: text(form, k) for k in ("kind", "session", "number", "proposer_name", "proposer_kind",
                                         "cosigners", "subject", "body")}  # fmt: skip
    data: dict[str, Any] = {
        "kind": values["kind"], "session": values["session"], "number": values["number"] or None,
        "proposer": {"name": values["proposer_name"], "kind": values["proposer_kind"] or "deputy"},
        "cosigners": [c.strip() for c in values["cosigners"].replace("，", ",").split(",") if c.strip()],
        "subject": values["subject"], "body": values["body"],
    }  # fmt: skip
    try:
        try:
            body = SuggestionIn.model_validate(data)
        except ValidationError as exc:
            where = ".".join(str(p) for p in exc.errors()[0].get("loc", ()))
            raise InvalidInput("登记信息有误，请检查后重试", f"invalid input: {where}", field=where) from None
        item, code = do_register_suggestion(session, actor, body)
    except MinyiError as exc:
        session.rollback()
        return _new_page(
            request, {"error": pick(exc.message_zh, exc.message_en), "values": values}, exc.status
        )
    context = {"item": suggestion_view(session, item), "code": code}
    return render(request, "suggestions/registered.html", context, status=201)


def _page(request: Request, session: SessionDep, actor: Actor, suggestion_id: int, error: str | None = None,
          status: int = 200) -> Response:  # fmt: skip
    item = access_suggestion_by_id(session, actor, suggestion_id)
    context = {
        "item": suggestion_view(session, item), "allowed": allowed_steps(session, actor, item), "error": error,
        "departments": unit_choices(session), "unit_names": _names(session), "categories": [c.value for c in Category],
        "files": files_of(session, actor, suggestion_id), "own_answers": own_answer_ids(session, actor, suggestion_id),
        "panels": staff_panels(session, actor, suggestion_id),  # e.g. the experts asked (organisations' hook)
    }  # fmt: skip
    return render(request, "suggestions/item.html", context, status=status)


@router.get("/{suggestion_id}")
def suggestion_detail(
    request: Request, session: SessionDep, actor: StaffPage, suggestion_id: int
) -> Response:
    """One item for those who may see it; others get the same 404 as for an item that does not exist."""
    return _page(request, session, actor, suggestion_id)


@router.post("/{suggestion_id}/answers/{answer_id}/files")
def attach_to_answer(
    request: Request, session: SessionDep, form: Form, suggestion_id: int, answer_id: int
) -> Response:
    """A unit adds documents to its own answer (another unit's answer is missing: 404)."""
    actor = current_staff(request, session)
    try:
        do_attach_to_answer(session, actor, suggestion_id, answer_id, form_uploads(form))
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _page(request, session, actor, suggestion_id, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect(f"/staff/suggestions/{suggestion_id}?done=files")


@router.post("/{suggestion_id}/act/{name}")
def suggestion_action(
    request: Request, session: SessionDep, form: Form, suggestion_id: int, name: str
) -> Response:
    """Run one step from the table; on refusal show the page again with the reason, else back (PRG)."""
    actor = current_staff(request, session)
    command = STAFF_COMMANDS.get(name)
    if command is None:
        raise NotFound("操作", "action")
    error = run_form_command(
        session, form, command, STEPS[name].zh,
        lambda body, version: execute(session, actor, suggestion_id, command, body, expected_version=version),
    )  # fmt: skip
    if error is not None:
        return _page(
            request, session, actor, suggestion_id, pick(error.message_zh, error.message_en), error.status
        )
    return redirect(f"/staff/suggestions/{suggestion_id}?done={name}")
