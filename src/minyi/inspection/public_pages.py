"""The portal's pages of inspection rounds: the rounds under way, a round's mailbox, the published reports.

The mailbox page reads no client address or user agent; what is sent goes to the round's team only.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actor import CITIZEN
from minyi.deps import SessionDep
from minyi.errors import MinyiError, NotFound
from minyi.inspection.actions import check_letter, do_send_letter
from minyi.inspection.forms import parse
from minyi.inspection.mailbox_gate import check_mailbox
from minyi.inspection.present import public_round
from minyi.inspection.queries import access_round_by_id, list_rounds
from minyi.inspection.report import read_report
from minyi.inspection.rules import item_label
from minyi.inspection.schemas import LetterIn
from minyi.locale import pick
from minyi.uow import end_read, write
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/inspections", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


@router.get("")
def rounds(request: Request, session: SessionDep) -> Response:
    """Every round: the unit, the window, how to reach the team; the published reports."""
    items = [public_round(session, r) for r in list_rounds(session)]
    end_read(session)
    return render(request, "inspection/rounds.html", {"rounds": items})


def _round_page(
    request: Request, session: SessionDep, round_id: int, context: dict[str, Any], status: int = 200
) -> Response:
    view = public_round(session, access_round_by_id(session, round_id))
    end_read(session)
    return render(
        request, "inspection/round.html", {"r": view, "errors": {}, "form": {}, **context}, status=status
    )


@router.get("/{round_id}")
def round_page(request: Request, round_id: int, session: SessionDep, sent: int = 0) -> Response:
    """A round and, while it is open, the mailbox to its team."""
    return _round_page(request, session, round_id, {"sent": bool(sent)})


@router.post("/{round_id}/mailbox")
def send_letter(request: Request, round_id: int, session: SessionDep, form: Form) -> Response:
    values = {"body": text(form, "body"), "contact": text(form, "contact")}
    try:
        body = parse(form, LetterIn)
        assert isinstance(body, LetterIn)
        check_letter(session, access_round_by_id(session, round_id))
        held = check_mailbox(request, session, round_id)
        with write(session, CITIZEN):
            rnd = access_round_by_id(session, round_id, for_update=True)
            do_send_letter(session, CITIZEN, rnd, body, held=held)
    except MinyiError as exc:
        if isinstance(exc, NotFound):
            raise
        errors = {exc.field or "body": pick(exc.message_zh, exc.message_en)}
        return _round_page(request, session, round_id, {"errors": errors, "form": values}, status=exc.status)
    return redirect(f"/inspections/{round_id}?sent=1")


@router.get("/{round_id}/report")
def report_page(request: Request, round_id: int, session: SessionDep) -> Response:
    """The published rectification report (整改情况通报): items, status, what was done (redacted)."""
    report = read_report(access_round_by_id(session, round_id))
    end_read(session)
    if report is None:
        raise NotFound("整改情况通报", "rectification report")
    labels = {s: item_label(s) for s in ("open", "reported", "accepted", "rejected")}
    return render(request, "inspection/report.html", {"report": report, "labels": labels})
