"""Open311 GeoReport v2 at /open311/v2/: services, service definitions, requests (read and submit), tokens. Thin.

Errors leave in the spec's form, a list of {code, description}, with the matching HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import ValidationError

from minyi.cases.queries import access_case_by_tracking_code
from minyi.cases.tracking import display_code
from minyi.db import utcnow
from minyi.deps import PublicSessionDep, SessionDep
from minyi.errors import Forbidden, InvalidInput, MinyiError, NotFound
from minyi.intake.steering import Steered, steered_message
from minyi.opendata import catalogue
from minyi.opendata.actions import do_submit_open311, get_client_by_key
from minyi.opendata.requests import RequestFilter, find_request, find_requests
from minyi.opendata.rules import errors_body, one_xml, to_xml
from minyi.opendata.schemas import Open311Submission
from minyi.ratelimit.counters import Limit, refuse_if_over
from minyi.settings import get_settings


def _spec_error(exc: Exception) -> JSONResponse:
    """A refusal as [{code, description}]; invalid input is the spec's 400."""
    if isinstance(exc, MinyiError):
        status = 400 if exc.status == 422 else exc.status
        return JSONResponse(
            errors_body(status, exc.message_zh, exc.message_en), status_code=status, headers=exc.headers
        )
    errors = exc.errors() if isinstance(exc, RequestValidationError | ValidationError) else []
    first = errors[0] if errors else {}
    loc = first.get("loc", ())
    field = (
        ".".join(str(p) for p in (loc[1:] if isinstance(exc, RequestValidationError) else loc)) or "request"
    )
    return JSONResponse(
        errors_body(400, f"参数有误：{field}", f"invalid {field}: {first.get('msg', '')}"), 400
    )


class SpecErrors(APIRoute):
    """Every refusal of an Open311 route in the spec's error form."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return await handler(request)
            except (MinyiError, RequestValidationError, ValidationError) as exc:
                return _spec_error(exc)

        return run


router = APIRouter(prefix="/open311/v2", tags=["open311"], route_class=SpecErrors)
FORMATS = {"json": "application/json", "xml": "text/xml; charset=utf-8"}


def _answer(fmt: str, root: str, item: str, rows: list[dict[str, Any]]) -> Response:
    if fmt == "json":
        return JSONResponse(rows)
    if fmt == "xml":
        return Response(to_xml(root, item, rows), media_type=FORMATS["xml"])
    raise NotFound("格式", "format")


def _jurisdiction(given: str | None) -> None:
    configured = get_settings().open311_jurisdiction
    if given and configured and given != configured:
        raise NotFound("管辖区", "jurisdiction_id")


Jurisdiction = Annotated[str | None, Query(max_length=100)]


@router.get("/discovery.json")
def discovery(request: Request) -> dict[str, Any]:
    """Where the endpoint lives and what it speaks."""
    base = str(request.url_for("services", fmt="json")).rsplit("/", 1)[0]
    return {
        "changeset": "2026-11-30T00:00:00Z", "contact": "minyi open data",
        "key_service": "API keys are issued by the administrators / API 密钥由管理员登记发放",
        "endpoints": [{"specification": "http://wiki.open311.org/GeoReport_v2", "url": base,
                       "changeset": "2026-11-30T00:00:00Z", "type": "production",
                       "formats": ["application/json", "text/xml"]}],
    }  # fmt: skip


@router.get("/services.{fmt}", name="services")
def services(fmt: str, jurisdiction_id: Jurisdiction = None) -> Response:
    """The public kinds of demand × the first-level topics, as service codes."""
    _jurisdiction(jurisdiction_id)
    return _answer(fmt, "services", "service", catalogue.services())


@router.get("/services/{code}.{fmt}")
def service_definition(code: str, fmt: str, jurisdiction_id: Jurisdiction = None) -> Response:
    """The attributes of one service (its sub-topics)."""
    _jurisdiction(jurisdiction_id)
    found = catalogue.service_definition(code)
    if found is None:
        raise NotFound("服务", "service")
    if fmt == "xml":
        return Response(one_xml("service_definition", found), media_type=FORMATS["xml"])
    return _answer(fmt, "", "", []) if fmt != "json" else JSONResponse(found)


def _codes(raw: str | None) -> tuple[str, ...]:
    return tuple(p.strip() for p in (raw or "").split(",") if p.strip())


def _ids(raw: str | None) -> tuple[int, ...]:
    parts = _codes(raw)
    if any(not p.isdigit() or len(p) > 18 for p in parts):
        raise InvalidInput(
            "请求编号须为数字", "service_request_id must be numeric", field="service_request_id"
        )
    return tuple(int(p) for p in parts)


@router.get("/requests.{fmt}")
def list_requests(
    fmt: str,
    session: PublicSessionDep,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    service_code: Annotated[str | None, Query(max_length=2000)] = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
    status: Annotated[str | None, Query(pattern=r"^(open|closed)(,(open|closed))?$")] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=200)] = 50,
    jurisdiction_id: Jurisdiction = None,
) -> Response:
    """Public requests, newest first; ids override the other filters; a range spans at most 90 days."""
    _jurisdiction(jurisdiction_id)
    for name, at in (("start_date", start_date), ("end_date", end_date)):
        if at is not None and at.tzinfo is None:
            raise InvalidInput("时间须带时区", f"{name} needs a timezone", field=name)
    f = RequestFilter(ids=_ids(service_request_id), service_codes=_codes(service_code), start=start_date,
                      end=end_date, statuses=_codes(status), page=page, page_size=page_size)  # fmt: skip
    return _answer(fmt, "service_requests", "request", find_requests(session, f, utcnow()))


@router.get("/requests/{request_id}.{fmt}")
def get_request(
    request_id: str, fmt: str, session: PublicSessionDep, jurisdiction_id: Jurisdiction = None
) -> Response:
    """One public request; a request the public may not read is missing."""
    _jurisdiction(jurisdiction_id)
    found = find_request(session, int(request_id)) if request_id.isdigit() and len(request_id) < 19 else None
    if found is None:
        raise NotFound("服务请求", "service request")
    return _answer(fmt, "service_requests", "request", [found])


@router.get("/tokens/{token}.{fmt}")
def get_token(token: str, fmt: str, session: SessionDep, jurisdiction_id: Jurisdiction = None) -> Response:
    """The request id of a submission, once the demand is accepted and published (null until then)."""
    _jurisdiction(jurisdiction_id)
    case = access_case_by_tracking_code(session, token)
    found = find_request(session, case.id)
    row = {"token": display_code(case.tracking_code),
           "service_request_id": found["service_request_id"] if found else None}  # fmt: skip
    return _answer(fmt, "service_requests", "request", [row])


@router.post("/requests.{fmt}")
def submit_request(
    fmt: str,
    request: Request,
    session: SessionDep,
    api_key: Annotated[str, Form(max_length=200)],
    service_code: Annotated[str, Form(max_length=40)],
    description: Annotated[str, Form(max_length=4000)],
    jurisdiction_id: Annotated[str | None, Form(max_length=100)] = None,
    lat: Annotated[float | None, Form()] = None,
    long: Annotated[float | None, Form()] = None,
    address_string: Annotated[str | None, Form(max_length=300)] = None,
    email: Annotated[str | None, Form(max_length=200)] = None,
    first_name: Annotated[str | None, Form(max_length=50)] = None,
    last_name: Annotated[str | None, Form(max_length=50)] = None,
    phone: Annotated[str | None, Form(max_length=40)] = None,
    topic: Annotated[str | None, Form(alias="attribute[topic]", max_length=40)] = None,
) -> Response:
    """Submit a demand as a registered client application; answers a token (the submitter's tracking code)."""
    if fmt not in FORMATS:
        raise NotFound("格式", "format")
    _jurisdiction(jurisdiction_id)
    client = get_client_by_key(session, api_key)
    if client is None:
        raise Forbidden("API 密钥无效", "invalid api_key", field="api_key")
    refuse_if_over(session, Limit("open311:submissions", client.rate_limit_per_hour, 3600), str(client.id),
                   "提交过于频繁，请 {wait} 秒后再试", "rate limit exceeded for this client application: wait {wait} s")  # fmt: skip
    sub = Open311Submission(service_code=service_code, description=description, lat=lat, long=long,
                            address_string=address_string, email=email or None, first_name=first_name,
                            last_name=last_name, phone=phone or None, topic=topic)  # fmt: skip
    made = do_submit_open311(session, client, sub)
    if isinstance(made, Steered):
        answer = _answer(fmt, "service_requests", "request", [steered_row(made)])
        answer.headers["cache-control"] = "no-store"  # the receipt and passphrase, once
        return answer
    row = {"token": display_code(made.tracking_code),
           "service_notice": "请保存此查询码，受理公开后可查到请求编号 / keep this token: the request id follows on publication",
           "account_id": None}  # fmt: skip
    return _answer(fmt, "service_requests", "request", [row])


def steered_row(steered: Steered) -> dict[str, Any]:
    """A misconduct report steered to the sealed channel: no token (not a case); the receipt and passphrase that
    the client application shows its user once, and where to follow it."""
    zh, en = steered_message(steered)
    return {"token": None, "service_notice": f"{zh} / {en}", "account_id": None, "steered_to": "report",
            "receipt": steered.receipt, "passphrase": steered.passphrase, "follow_url": "/report/follow"}  # fmt: skip
