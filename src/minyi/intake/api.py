"""JSON API of intake: citizens submit a demand; intake operators register one taken by phone, letter or visit."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Response, status

from minyi.access import DISPATCH
from minyi.cases.present import public_view, registered_view, staff_view
from minyi.cases.schemas import CaseSubmission, PublicCase, StaffCase
from minyi.deps import SessionDep, StaffDep
from minyi.errors import Forbidden
from minyi.intake.actions import do_submit_case

router = APIRouter(tags=["cases"])


@router.post("/cases", status_code=status.HTTP_201_CREATED, response_model=PublicCase)
def submit_case(
    body: CaseSubmission,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> PublicCase:
    """Submit a demand; keep the tracking code in the answer to follow and evaluate it."""
    case, created = do_submit_case(session, body, idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/cases/{case.tracking_code}"
    return registered_view(session, case) if created else public_view(session, case, with_code=True)


@router.post("/staff/cases", status_code=status.HTTP_201_CREATED, response_model=StaffCase)
def register_case(
    body: CaseSubmission,
    actor: StaffDep,
    session: SessionDep,
    response: Response,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key", max_length=200)] = None,
) -> StaffCase:
    """An intake operator registers a demand taken by phone, letter, visit or from a deputy (the operator is on the record)."""
    if actor.role not in DISPATCH:
        raise Forbidden("仅受理人员可登记诉求", "only intake staff register cases")
    case, created = do_submit_case(session, body, actor=actor, idempotency_key=idempotency_key)
    if not created:
        response.status_code = status.HTTP_200_OK
    return staff_view(session, case, actor, registering=True)  # the one time staff see the tracking code
