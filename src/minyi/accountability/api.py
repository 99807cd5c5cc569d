"""JSON API of the accountability register: supervisors open and decide, the unit responds, the public reads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, status
from pydantic import BaseModel

from minyi.accountability.actions import do_open_record
from minyi.accountability.commands import COMMANDS, RecordCommand, execute
from minyi.accountability.present import public_views, record_views
from minyi.accountability.queries import access_record, list_records, public_records
from minyi.accountability.risk_queries import current_risks
from minyi.accountability.rules import REGISTRARS
from minyi.accountability.schemas import PublicRecordOut, RecordIn, RecordOut
from minyi.db import utcnow
from minyi.deps import SessionDep, StaffDep
from minyi.errors import Forbidden
from minyi.uow import end_read

router = APIRouter(tags=["accountability"])
IfMatch = Annotated[int | None, Header(alias="If-Match", description="the record version you loaded")]


@router.get("/accountability", response_model=list[PublicRecordOut])
def published(session: SessionDep) -> list[PublicRecordOut]:
    """The accountability decisions made public (问责情况公开)."""
    out = public_views(session, public_records(session))
    end_read(session)
    return out


@router.post("/staff/accountability", response_model=RecordOut, status_code=status.HTTP_201_CREATED)
def open_record(body: RecordIn, actor: StaffDep, session: SessionDep) -> RecordOut:
    """A supervisor opens a record: unit, post, ground, form, summary, evidence."""
    return record_views(session, [do_open_record(session, actor, body)])[0]


@router.get("/staff/accountability", response_model=list[RecordOut])
def records(actor: StaffDep, session: SessionDep) -> list[RecordOut]:
    """The records the caller may read (supervisors: all; a unit's staff: their unit's)."""
    out = record_views(session, list_records(session, actor))
    end_read(session)
    return out


@router.get("/staff/accountability/risks")
def risks(actor: StaffDep, session: SessionDep) -> list[dict[str, Any]]:
    """The risk list (supervisors): departments whose record deteriorates, each with its reasons."""
    if actor.role not in REGISTRARS:
        raise Forbidden("仅督办人员可查看风险提示", "only supervisors see the risk list")
    out = [{"department_id": r.department_id, "score": r.score,
            "reasons": [{"code": x.code, "zh": x.zh, "en": x.en} for x in r.reasons]}
           for r in current_risks(session, utcnow())]  # fmt: skip
    end_read(session)
    return out


@router.get("/staff/accountability/{record_id}", response_model=RecordOut)
def record(record_id: int, actor: StaffDep, session: SessionDep) -> RecordOut:
    out = record_views(session, [access_record(session, actor, record_id)])[0]
    end_read(session)
    return out


def _route(command: RecordCommand) -> None:
    def endpoint(
        record_id: int, body: BaseModel, actor: StaffDep, session: SessionDep, version: IfMatch = None
    ) -> RecordOut:
        return record_views(
            session, [execute(session, actor, record_id, command, body, expected_version=version)]
        )[0]

    endpoint.__annotations__["body"] = command.schema
    router.add_api_route(
        f"/staff/accountability/{{record_id}}/{command.path}", endpoint, methods=["POST"], response_model=RecordOut,
        summary=command.summary, name=f"accountability_{command.name}", operation_id=f"accountability_{command.name}",
    )  # fmt: skip


for _command in COMMANDS.values():
    _route(_command)
