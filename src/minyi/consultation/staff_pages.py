"""The organiser's workbench pages: draft a consultation, open and close it, moderate, group, answer, publish.

Every form runs a command of `commands.COMMANDS` through `execute`, the same path as the JSON API.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from minyi.access import OVERSIGHT, may_manage_consultation
from minyi.accounts.actor import Actor
from minyi.consultation import present, present_experts
from minyi.consultation.actions import do_create_consultation
from minyi.consultation.commands import COMMANDS, execute
from minyi.consultation.docx_draft import MAX_DOCX_BYTES, docx_to_draft
from minyi.consultation.drafts import parse_draft
from minyi.consultation.models import Consultation
from minyi.consultation.queries import access_consultation, get_clauses, get_groups
from minyi.consultation.rules import STATE_ZH, State
from minyi.consultation.schemas import DRAFT_MAX, ConsultationIn, GroupIn, GroupsIn
from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError, NotFound
from minyi.fields import refuse_control
from minyi.locale import pick
from minyi.settings import get_settings
from minyi.web.auth import StaffPage, current_staff
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/consultations", route_class=PageRoute, include_in_schema=False)
QUERY_TEXT_MAX = 2000  # a text a link fills into the new-draft form (the board's links carry a background)
Form = Annotated[FormData, Depends(check_csrf)]


def _mine(session: Session, actor: Actor) -> list[Consultation]:
    stmt = select(Consultation).order_by(Consultation.id.desc()).limit(200)
    if actor.role not in OVERSIGHT:
        stmt = stmt.where(Consultation.department_id == actor.department_id)
    return list(session.scalars(stmt))


def _state_label(state: str) -> str:
    return pick(STATE_ZH[State(state)], state)


def _invalid(exc: ValidationError) -> InvalidInput:
    first = exc.errors()[0]
    field = ".".join(str(p) for p in first.get("loc", ())) or None
    return InvalidInput(f"输入有误：{field}", f"invalid input: {field}: {first.get('msg', '')}", field=field)


def _local(value: str, field: str) -> datetime:
    try:
        return datetime.fromisoformat(value).replace(tzinfo=ZoneInfo(get_settings().timezone))
    except ValueError:
        raise InvalidInput("日期格式应为 YYYY-MM-DD", "dates are YYYY-MM-DD", field=field) from None


def _prefill(params: Mapping[str, str], draft_max: int = QUERY_TEXT_MAX) -> dict[str, Any]:
    """The new-draft form as a hot issue or alert on the board opens it: title, background, cases, origin (each
    capped: a link can carry anything); the draft is capped too unless it comes from an uploaded .docx."""
    cases = [code.strip()[:40] for code in params.get("cases", "")[:4000].split(",") if code.strip()][:50]
    return {"title": params.get("title", "")[:200], "background": params.get("background", "")[:QUERY_TEXT_MAX],
            "cases": cases, "origin": params.get("origin", "")[:200],
            "draft": params.get("draft", "")[:draft_max]}  # fmt: skip


@router.get("")
def consultations(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """The organiser's consultations and the form for a new draft (prefilled when opened from the board)."""
    ctx = {"items": _mine(session, actor), "error": None, "prefill": _prefill(request.query_params),
           "state_label": _state_label}  # fmt: skip
    return render(request, "consultation/staff_list.html", ctx)


@router.post("")
def create(request: Request, session: SessionDep, form: Form) -> Response:
    actor = current_staff(request, session)
    data = {k: v for k, v in form.items() if isinstance(v, str) and v.strip()}
    try:
        body = ConsultationIn.model_validate({
            **data, "department_id": actor.department_id if actor.role not in OVERSIGHT else data.get("department_id"),
            "opens_at": _local(data.get("opens_at", ""), "opens_at"),
            "closes_at": _local(data.get("closes_at", ""), "closes_at"),
            "linked_cases": [x for x in data.get("linked_cases", "").split(",") if x.strip()],
        })  # fmt: skip
        c = do_create_consultation(session, actor, body)
    except ValidationError as exc:
        return _list_error(request, session, actor, _invalid(exc), data)
    except MinyiError as exc:
        return _list_error(request, session, actor, exc, data)
    return redirect(f"/staff/consultations/{c.id}")


@router.post("/import-docx")
async def import_docx(request: Request, session: SessionDep, form: Form) -> Response:
    """A Word draft (.docx) read into the new-draft form (nothing is written): the plain-form twin of
    `POST /api/v1/staff/consultations/draft-from-docx`, for browsers without JavaScript."""
    actor = current_staff(request, session)
    if not may_manage_consultation(actor, actor.department_id):
        raise NotFound("征求意见", "consultation")
    texts = {k: v for k, v in form.items() if isinstance(v, str) and k != "csrf_token"}
    upload = form.get("draft_file")
    try:
        for key, value in texts.items():  # the guard skips upload bodies: their text fields are checked here
            _refuse_text(key, value)
        if upload is None or isinstance(upload, str):
            raise InvalidInput("请选择 .docx 文件", "choose a .docx file", field="draft_file")
        draft = docx_to_draft(await upload.read(MAX_DOCX_BYTES + 1))
        parse_draft(draft)
    except MinyiError as exc:
        return _list_error(request, session, actor, exc, texts)
    ctx = {"items": _mine(session, actor), "error": None, "state_label": _state_label,
           "prefill": _prefill({**texts, "draft": draft}, draft_max=DRAFT_MAX)}  # fmt: skip
    return render(request, "consultation/staff_list.html", ctx)


def _refuse_text(field: str, value: str) -> None:
    try:
        refuse_control(value)
    except ValueError:
        raise InvalidInput("不能包含控制字符", "control characters are not allowed", field=field) from None


def _list_error(
    request: Request, session: Session, actor: Actor, exc: MinyiError, data: dict[str, str]
) -> Response:
    session.rollback()
    ctx = {
        "items": _mine(session, actor),
        "error": pick(exc.message_zh, exc.message_en),
        "prefill": _prefill({**data, "cases": data.get("linked_cases", "")}),
        "state_label": _state_label,
    }
    return render(request, "consultation/staff_list.html", ctx, status=exc.status)


def _page(
    request: Request, session: Session, actor: Actor, c: Consultation, error: str | None, status: int = 200
) -> Response:
    comments = present.staff_comments(session, c, None)
    proposed = {cid: i for i, ids in enumerate(present.proposed_groups(session, c)) for cid in ids}
    ctx: dict[str, Any] = {
        "c": c, "clauses": get_clauses(session, c.id), "comments": comments, "groups": get_groups(session, c.id),
        "proposed": proposed, "error": error, "may_manage": may_manage_consultation(actor, c.department_id),
        "opinions": present_experts.staff_opinions(session, c), "hearing": present_experts.hearing(session, c),
        "registrations": present_experts.staff_registrations(session, c), "state_label": _state_label,
    }  # fmt: skip
    return render(request, "consultation/staff_page.html", ctx, status=status)


@router.get("/{consultation_id}")
def consultation(request: Request, session: SessionDep, actor: StaffPage, consultation_id: int) -> Response:
    return _page(
        request, session, actor, access_consultation(session, actor, consultation_id, manage=True), None
    )


def _groups(form: FormData) -> GroupsIn:
    """The grouping form: `group_<comment id>` names each comment's group, `title_<group>` its title."""
    members: dict[str, list[int]] = {}
    for key, value in form.items():
        if key.startswith("group_") and key[6:].isdigit() and isinstance(value, str) and value.strip():
            members.setdefault(value.strip(), []).append(int(key[6:]))
    return GroupsIn(groups=[GroupIn(title=str(form.get(f"title_{g}") or g).strip() or g, comment_ids=ids)
                            for g, ids in sorted(members.items())])  # fmt: skip


def _body(name: str, form: FormData) -> BaseModel:
    if name == "group":
        return _groups(form)
    data: dict[str, Any] = {
        k: v for k, v in form.items() if isinstance(v, str) and v.strip() and k != "csrf_token"
    }
    if name == "hearing":  # the form's date and time are local
        data["hearing_at"] = _local(str(data.get("hearing_at", "")), "hearing_at")
    return COMMANDS[name].schema.model_validate(data)


@router.post("/{consultation_id}/act/{name}")
def act(request: Request, session: SessionDep, form: Form, consultation_id: int, name: str) -> Response:
    """Run one organiser's command; a refusal shows the page again with the reason."""
    actor = current_staff(request, session)
    if name not in COMMANDS:
        raise NotFound("操作", "action")
    try:
        execute(session, actor, consultation_id, COMMANDS[name], _body(name, form))
    except (MinyiError, ValidationError) as exc:
        session.rollback()
        err = _invalid(exc) if isinstance(exc, ValidationError) else exc
        if err.status == 404 and err.field is None:
            raise err from None
        c = access_consultation(session, actor, consultation_id, manage=True)
        return _page(request, session, actor, c, pick(err.message_zh, err.message_en), err.status)
    return redirect(f"/staff/consultations/{consultation_id}?done={name}")
