"""JSON API of intake: citizens submit a demand; intake operators register one taken by phone, letter or visit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Request, Response, status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from minyi.access import DISPATCH
from minyi.cases.present import public_view, registered_view, staff_view
from minyi.cases.schemas import CaseSubmission, PublicCase, StaffCase
from minyi.deps import SessionDep, StaffDep
from minyi.errors import Forbidden
from minyi.intake.actions import do_submit_case
from minyi.intake.steering import Steered, do_steer_to_reports, should_steer, steered_message
from minyi.ratelimit.public import check_intake

router = APIRouter(tags=["cases"])


class SteeredOut(BaseModel):
    """A misconduct report taken out of ordinary intake: the sealed channel's receipt and passphrase, shown once."""

    steered_to: str = "report"
    receipt: str
    passphrase: str
    named: bool
    message: str
    message_en: str
    follow_url: str = "/report/follow"


def steered_answer(steered: Steered) -> JSONResponse:
    """202: not a case; a sealed report the reported department never sees."""
    zh, en = steered_message(steered)
    out = SteeredOut(receipt=steered.receipt, passphrase=steered.passphrase, named=steered.named, message=zh,
                     message_en=en)  # fmt: skip
    return JSONResponse(
        out.model_dump(), status_code=status.HTTP_202_ACCEPTED, headers={"cache-control": "no-store"}
    )


STEERED = {
    202: {"model": SteeredOut, "description": "a misconduct report (举报), steered to the sealed channel"}
}


@router.post("/cases", status_code=status.HTTP_201_CREATED, response_model=PublicCase, responses=STEERED)  # type: ignore[arg-type]
def submit_case(
    request: Request,
    body: CaseSubmission,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> PublicCase | Response:
    """Submit a demand; keep the tracking code in the answer to follow and evaluate it. A misconduct report (kind
    举报, or a text naming abuse of office for gain) is steered to the sealed channel instead (202)."""
    check_intake(request, session)  # per address, before anything is written (429 with Retry-After)
    if should_steer(body):
        return steered_answer(do_steer_to_reports(session, body))
    case, created = do_submit_case(session, body, idempotency_key=idempotency_key)
    location = {"Location": f"/api/v1/cases/{case.tracking_code}"}
    if not created:
        response.status_code = status.HTTP_200_OK
        response.headers.update(location)
        return public_view(session, case, with_code=True)
    # built from trusted values (`registered_view`): sent as it is, not validated again in another thread
    view = registered_view(session, case).model_dump_json()
    return Response(
        view, status_code=status.HTTP_201_CREATED, headers=location, media_type="application/json"
    )


@router.post("/staff/cases", status_code=status.HTTP_201_CREATED, response_model=StaffCase, responses=STEERED)  # type: ignore[arg-type]
def register_case(
    body: CaseSubmission,
    actor: StaffDep,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> StaffCase | JSONResponse:
    """An intake operator registers a demand taken by phone, letter, visit or from a deputy (the operator is on the record)."""
    if actor.role not in DISPATCH:
        raise Forbidden("仅受理人员可登记诉求", "only intake staff register cases")
    if should_steer(body):  # the operator reads the receipt and passphrase to the caller
        return steered_answer(do_steer_to_reports(session, body))
    case, created = do_submit_case(session, body, actor=actor, idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return staff_view(session, case, actor, registering=True)  # the one time staff see the tracking code
