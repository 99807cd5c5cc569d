"""The proposer's own page (their items and answers, the judgement) and the published answers (答复公开)."""

from __future__ import annotations

from typing import Annotated, cast

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.attachments.api import form_uploads, serve
from minyi.cases.tracking import normalize_code
from minyi.deps import SessionDep, StaffCredentials
from minyi.errors import MinyiError, NotFound
from minyi.fields import CaseIdInPath
from minyi.locale import current_locale, pick
from minyi.locale import gettext as _
from minyi.suggestions import labels  # noqa: F401 - registers the slice's labels
from minyi.suggestions.commands import EVALUATE, execute_proposer
from minyi.suggestions.files import answer_files, do_attach_to_submission, proposer_reader, submission_files
from minyi.suggestions.ladder import public_notices
from minyi.suggestions.public_hooks import published_opinions
from minyi.suggestions.queries import access_proposer_by_code, proposer_items, public_answers, suggestion_view
from minyi.suggestions.rules import Satisfaction, SuggestionStatus
from minyi.suggestions.schemas import EvaluateIn
from minyi.suggestions.stats import pct, stats_csv, suggestion_stats
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf, sign, unsign

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]
COOKIE, SECONDS = "minyi_proposer", 3600


def _code(request: Request) -> str | None:
    value = unsign("proposer", request.cookies.get(COOKIE))
    return value if isinstance(value, str) else None


def _mine(
    request: Request, session: SessionDep, code: str, error: str | None = None, status: int = 200
) -> Response:
    proposer = access_proposer_by_code(session, code)
    items = [suggestion_view(session, i) for i in proposer_items(session, proposer)]
    files = submission_files(session, [i.id for i in items])
    answer_files_ = answer_files(session, [a.id for i in items for a in i.answers])
    context = {"proposer": proposer.name, "proposer_id": proposer.id, "items": items, "files": files, "error": error, "answered": SuggestionStatus.answered,
               "answer_files": answer_files_, "satisfactions": [s.value for s in Satisfaction]}  # fmt: skip
    return render(request, "suggestions/mine.html", context, status=status)


@router.get("/suggestions/mine")
def mine(request: Request, session: SessionDep) -> Response:
    """The proposer's items and answers, once they have given their code (kept in a signed cookie, not a URL)."""
    code = _code(request)
    if code is None:
        return render(request, "suggestions/open.html", {"error": None})
    try:
        return _mine(request, session, code)
    except NotFound:
        return render(request, "suggestions/open.html", {"error": None})


@router.post("/suggestions/mine")
def open_mine(request: Request, session: SessionDep, form: Form) -> Response:
    """Open the proposer's page with the code the office gave them."""
    raw = text(form, "code")[:40]
    try:
        access_proposer_by_code(session, raw)
    except NotFound:
        error = _("没有找到这个查询码，请核对后重新输入")
        return render(request, "suggestions/open.html", {"error": error}, status=404)
    response = redirect("/suggestions/mine")
    response.set_cookie(COOKIE, sign("proposer", normalize_code(raw), SECONDS), max_age=SECONDS, httponly=True,
                        samesite="strict", secure=request.url.scheme == "https", path="/")  # fmt: skip
    return response


@router.post("/suggestions/mine/{suggestion_id}/evaluate")
def evaluate(
    request: Request, session: SessionDep, form: Form, staff: StaffCredentials, suggestion_id: int
) -> Response:
    """满意 / 基本满意 / 不满意 with a comment; 不满意 sends the item back for a second answer."""
    code = _code(request)
    if code is None:
        return redirect("/suggestions/mine")
    try:
        body = EvaluateIn(
            satisfaction=Satisfaction(text(form, "satisfaction")),
            comment=text(form, "comment")[:2000] or None,
        )
    except ValueError:
        return _mine(request, session, code, _("请选择您的评价"), 422)
    try:
        execute_proposer(session, code, suggestion_id, body, staff_credentials=staff)
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _mine(request, session, code, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect(f"/suggestions/mine?done={EVALUATE.name}")


@router.post("/suggestions/mine/{suggestion_id}/files")
def attach_files(
    request: Request, session: SessionDep, form: Form, staff: StaffCredentials, suggestion_id: int
) -> Response:
    """The proposer adds documents to their own item (never staff in their place)."""
    code = _code(request)
    if code is None or staff:
        return redirect("/suggestions/mine")
    try:
        do_attach_to_submission(
            session, access_proposer_by_code(session, code), suggestion_id, form_uploads(form)
        )
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404:
            raise
        return _mine(request, session, code, pick(exc.message_zh, exc.message_en), exc.status)
    return redirect("/suggestions/mine?done=files")


@router.get("/suggestions/mine/files/{attachment_id}")
def own_file(request: Request, session: SessionDep, attachment_id: CaseIdInPath) -> Response:
    """The proposer downloads a file of their own submission or of a unit's answer to it; anyone else finds
    nothing (404, same as missing)."""
    code = _code(request)
    if code is None:
        raise NotFound("附件", "attachment")
    try:
        proposer = access_proposer_by_code(session, code)
    except NotFound:
        raise NotFound("附件", "attachment") from None
    return serve(session, proposer_reader(proposer), attachment_id)


@router.post("/suggestions/mine/forget")
def forget(request: Request, form: Form) -> Response:
    """Close the proposer's page on this browser."""
    response = redirect("/suggestions/mine")
    response.delete_cookie(COOKIE, path="/")
    return response


@router.get("/suggestions")
def published(request: Request, session: SessionDep, session_label: str = "") -> Response:
    """答复公开: answered items and their answers, unless the office withheld them; personal data masked."""
    rows = public_answers(session, session_label[:100] or None)
    opinions = published_opinions(
        session, [cast(int, r["id"]) for r in rows]
    )  # the ones the inviter published
    context = {
        "rows": rows,
        "opinions": opinions,
        "session_label": session_label[:100],
        "notices": public_notices(session),
    }
    return render(request, "suggestions/public.html", context)


@router.get("/suggestions/stats")
def stats(request: Request, session: SessionDep, session_label: str = "") -> Response:
    """办理情况统计 per session and unit, for the congress standing committee, the CPPCC and the public."""
    rows = suggestion_stats(session, session_label[:100] or None, en=current_locale() == "en")
    return render(
        request, "suggestions/stats.html", {"rows": rows, "pct": pct, "session_label": session_label[:100]}
    )


@router.get("/suggestions/stats.csv")
def stats_download(session: SessionDep, session_label: str = "") -> Response:
    """The same report as CSV."""
    rows = suggestion_stats(session, session_label[:100] or None, en=current_locale() == "en")
    return Response(stats_csv(rows), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="minyi-suggestions.csv"'})  # fmt: skip
