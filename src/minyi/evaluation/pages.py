"""Public pages of evaluation: the periods, one period's results, and the rating form (no account needed: the
rater's code is checked at the time and never kept)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.evaluation import actions as act
from minyi.evaluation.present import period_view
from minyi.evaluation.queries import get_period, list_periods, verify_rater
from minyi.evaluation.rules import CRITERION_KEYS, SCALE
from minyi.fields import CaseIdInPath
from minyi.locale import pick
from minyi.uow import end_read
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("/evaluation")
def periods(request: Request, session: SessionDep) -> Response:
    """民主评议: every period, open ones first in line."""
    items = [period_view(session, p, with_results=False) for p in list_periods(session)]
    end_read(session)
    return render(request, "evaluation/list.html", {"periods": items})


def _period_page(
    request: Request, session: SessionDep, period_id: int, form: dict[str, Any], errors: dict[str, str],
    status: int = 200, done: bool = False,
) -> Response:  # fmt: skip
    view = period_view(session, get_period(session, period_id))
    end_read(session)
    context = {"p": view, "form": form, "errors": errors, "done": done, "scale": SCALE}
    return render(request, "evaluation/period.html", context, status=status)


@router.get("/evaluation/{period_id}")
def period(request: Request, period_id: CaseIdInPath, session: SessionDep, done: str = "") -> Response:
    """One period: the criteria, the raters so far, the results once closed, and the form while open."""
    return _period_page(request, session, period_id, {}, {}, done=done == "1")


def _scores(form: FormData) -> dict[str, int]:
    out = {}
    for key in CRITERION_KEYS:
        raw = text(form, f"score_{key}")
        if raw.isdigit() and len(raw) == 1:
            out[key] = int(raw)
    return out


@router.post("/evaluation/{period_id}/rate")
def rate(request: Request, period_id: CaseIdInPath, session: SessionDep, form: Form) -> Response:
    """Take a rating from a verified rater, or show the form again with what to fix."""
    values = {k: text(form, k) for k in ("code_kind", "code", "department_id")}
    values.update({f"score_{k}": text(form, f"score_{k}") for k in CRITERION_KEYS})
    code = values["code"]
    try:
        by_case = values["code_kind"] != "proposer"
        rater = verify_rater(
            session, tracking_code=code if by_case else None, proposer_code=None if by_case else code
        )
        dept = (
            int(values["department_id"])
            if values["department_id"].isdigit() and len(values["department_id"]) < 10
            else 0
        )
        act.do_rate(session, rater, period_id, dept, _scores(form))
    except MinyiError as exc:
        if exc.status >= 500:
            raise
        field = "code" if exc.status == 404 else (exc.field or "period")
        return _period_page(request, session, period_id, values, {field: pick(exc.message_zh, exc.message_en)},
                            status=422 if exc.status == 404 else exc.status)  # fmt: skip
    return redirect(f"/evaluation/{period_id}?done=1")
