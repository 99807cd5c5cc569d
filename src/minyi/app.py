"""Create the web application: the JSON API, the pages, structured errors."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException

import minyi.models  # noqa: F401 - every table registered before the first request
from minyi import __version__
from minyi.consultation.participants import code_limiter
from minyi.db import get_engine, make_engine, session_factory
from minyi.errors import MinyiError
from minyi.http_guard import SECURITY_HEADERS, BodyRefused, Edge, refusal
from minyi.locale.validation import field_name_zh, message_zh
from minyi.ratelimit.signin import SharedSignInThrottle
from minyi.settings import driver_url, get_settings, require_strong_secret

log = logging.getLogger(__name__)


def _field_of(loc: tuple[object, ...]) -> str | None:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie"):
        parts = parts[1:]
    return ".".join(parts) or None


def install_error_handlers(app: FastAPI) -> None:
    """Every error leaves as {"error": {code, message, message_en, field}} with the right status."""

    @app.exception_handler(MinyiError)
    async def _domain(request: Request, exc: MinyiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(BodyRefused)
    async def _refused(request: Request, exc: BodyRefused) -> JSONResponse:
        return refusal(exc.error)

    @app.exception_handler(Exception)
    async def _server_error(request: Request, exc: Exception) -> JSONResponse:
        # runs outside the middleware stack, so it sets the security headers itself
        path = request.url.path
        if path.startswith("/api/v1/reports/"):  # a reporter's receipt never reaches a log
            path = "/api/v1/reports/{receipt}"
        log.exception("unhandled error on %s %s", request.method, path)
        err = MinyiError("服务器内部错误，请稍后再试", "internal server error", code="server_error")
        return JSONResponse(err.body(), status_code=500, headers=SECURITY_HEADERS)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {}
        field = _field_of(tuple(first.get("loc", ())))
        body = {
            "error": {
                "code": "invalid",
                "message": f"输入有误：{field_name_zh(field)}{message_zh(first)}",
                "message_en": f"invalid input: {field or 'request'}: {first.get('msg', '')}",
                "field": field,
                "details": [
                    {
                        "field": _field_of(tuple(e.get("loc", ()))),
                        "message": message_zh(e),
                        "message_en": e.get("msg"),
                    }
                    for e in errors
                ],
            }
        }
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}.get(
            exc.status_code, "http_error"
        )
        zh = {404: "资源不存在", 405: "不支持该方法", 413: "请求过大"}.get(exc.status_code, "请求错误")
        body = {"error": {"code": code, "message": zh, "message_en": str(exc.detail), "field": None}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


def _start_notification_worker(app: FastAPI, engine: Engine) -> None:
    """On a single SQLite process the server sends the outbox itself (PostgreSQL: the job queue)."""
    from minyi.notifications import worker
    from minyi.settings import get_settings

    settings = get_settings()
    if worker.wanted(engine, settings.notify_worker, settings.env):
        app.router.on_startup.append(lambda: worker.start(engine))
        app.router.on_shutdown.append(worker.stop)


def _start_report_worker(app: FastAPI, engine: Engine) -> None:
    """On a single SQLite process the server regenerates the published reports itself (PostgreSQL: the queue)."""
    from minyi.annual import jobs

    settings = get_settings()
    if jobs.wanted(engine, settings.report_worker, settings.env):
        app.router.on_startup.append(lambda: jobs.start(engine))
        app.router.on_shutdown.append(jobs.stop)


def _route_public_reads(app: FastAPI, primary: Engine, replica: Engine | None) -> None:
    """Public reads go to the streaming replica while it is fresh (minyi.replica); none configured: no-op."""
    settings = get_settings()
    if replica is None and settings.replica_url:
        replica = make_engine(driver_url(settings.replica_url))
    if replica is None:
        return
    from minyi.replica import ReadYourWrites, ReplicaRouter

    app.state.replica = ReplicaRouter(primary, replica, settings.replica_max_lag_seconds)
    app.add_middleware(ReadYourWrites, window=app.state.replica.window)


def _warm_insight() -> None:
    """The board's hot-issue ranking is slow on its first run: warm it in the background at start-up."""
    from minyi.workbench.insight_panels import start_warm_up

    start_warm_up()


def create_app(engine: Engine | None = None, *, replica: Engine | None = None) -> FastAPI:
    """The whole platform, bound to `engine` (default: the configured database) and, for public reads, to
    `replica` (default: MINYI_REPLICA_URL, if set)."""
    require_strong_secret(get_settings())  # before anything is served
    app = FastAPI(
        title="minyi 民意",
        version=__version__,
        description="Public demands to the bodies that must answer: on time, on the record, in the open.",
        openapi_url="/openapi.json",
        docs_url=None,  # served from local assets by minyi.web (the CSP allows no CDN)
        redoc_url=None,
    )
    app.state.session_factory = session_factory(engine or get_engine())
    _start_notification_worker(app, engine or get_engine())
    _start_report_worker(app, engine or get_engine())
    app.router.on_startup.append(_warm_insight)

    app.state.sign_in_throttle = SharedSignInThrottle.from_settings()
    app.state.consultation_code_attempts = code_limiter()
    _route_public_reads(app, engine or get_engine(), replica)
    app.add_middleware(Edge)  # request id, timing, metrics, body limit, HEAD, security headers: one layer
    install_error_handlers(app)

    # first of all routes (each request is matched against the routes in order) and async (no thread hand-off)
    @app.get("/api/v1/health", tags=["meta"])
    async def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    from minyi.accountability.api import router as accountability_router
    from minyi.accounts.api import router as accounts_router
    from minyi.cases.api import router as cases_router
    from minyi.consultation.api import router as consultation_router
    from minyi.deadlines.api import router as deadlines_router
    from minyi.departments.api import router as departments_router
    from minyi.inspection.api import router as inspection_router
    from minyi.intake.api import router as intake_router
    from minyi.regionmap.api import router as map_router
    from minyi.reports.api import router as reports_router
    from minyi.suggestions.api import router as suggestions_router

    app.include_router(accounts_router, prefix="/api/v1")
    app.include_router(intake_router, prefix="/api/v1")
    app.include_router(cases_router, prefix="/api/v1")
    app.include_router(departments_router, prefix="/api/v1")
    app.include_router(deadlines_router, prefix="/api/v1")
    from minyi.opendata.api import router as opendata_router
    from minyi.opendata.open311 import router as open311_router
    from minyi.opendata.published import feeds_router
    from minyi.opendata.published import router as published_router

    app.include_router(opendata_router, prefix="/api/v1")
    app.include_router(open311_router)
    app.include_router(published_router)
    app.include_router(feeds_router)
    app.include_router(reports_router, prefix="/api/v1")
    from minyi.attachments.api import router as attachments_router
    from minyi.cases.files_api import router as case_files_router

    app.include_router(attachments_router, prefix="/api/v1")
    app.include_router(case_files_router, prefix="/api/v1")
    from minyi.reports.evidence_api import router as evidence_router

    app.include_router(evidence_router, prefix="/api/v1")
    from minyi.evaluation.api import router as evaluation_router

    app.include_router(evaluation_router, prefix="/api/v1")
    app.include_router(inspection_router, prefix="/api/v1")
    app.include_router(accountability_router, prefix="/api/v1")
    app.include_router(map_router, prefix="/api/v1")
    app.include_router(consultation_router, prefix="/api/v1")
    app.include_router(suggestions_router, prefix="/api/v1")
    from minyi.organisations.api import router as organisations_api_router

    app.include_router(organisations_api_router, prefix="/api/v1")
    from minyi.organisations.expert_api import router as experts_api_router

    app.include_router(experts_api_router, prefix="/api/v1")
    from minyi.suggestions.files_api import router as suggestion_files_router

    app.include_router(suggestion_files_router, prefix="/api/v1")
    from minyi.ops.health import router as ops_router

    app.include_router(ops_router)  # /livez, /readyz, /metrics

    include_pages(app)
    from minyi.web.routing import install_route_index

    install_route_index(app)  # a request tries only the routes its path can reach (the same answers)
    return app


def include_pages(app: FastAPI) -> None:
    """Add the portal (/), the workbench (/staff), the page middleware and /static."""
    from fastapi.staticfiles import StaticFiles

    from minyi.accountability.pages import router as accountability_router
    from minyi.annual.pages import router as annual_router
    from minyi.attachments.api import pages as attachment_pages
    from minyi.consultation.pages import router as consultation_router
    from minyi.consultation.staff_pages import router as consultation_staff_router
    from minyi.inspection.pages import router as inspection_staff_router
    from minyi.inspection.public_pages import router as inspection_router
    from minyi.learning.pages import router as learning_router
    from minyi.media.admin_pages import router as feeds_admin_router
    from minyi.media.pages import router as media_router
    from minyi.notifications.admin_pages import router as contacts_router
    from minyi.notifications.pages import router as notifications_router
    from minyi.notifications.public_pages import router as notify_public_router
    from minyi.opendata.pages import router as open311_clients_router
    from minyi.organisations.admin_pages import router as organisations_admin_router
    from minyi.organisations.expert_pages import router as experts_router
    from minyi.organisations.pages import router as organisations_router
    from minyi.organisations.password import router as org_password_router
    from minyi.portal.pages import router as portal_router
    from minyi.regionmap.admin_pages import router as boundaries_router
    from minyi.regionmap.pages import router as map_router
    from minyi.regionmap.staff_pages import router as staff_map_router
    from minyi.reports.pages import router as reports_router
    from minyi.reports.staff_pages import router as inspector_router
    from minyi.suggestions.pages import router as suggestions_router
    from minyi.suggestions.public_pages import router as proposer_router
    from minyi.understanding.pages import router as jobs_router
    from minyi.web import STATIC, PageMiddleware, assets_router
    from minyi.workbench.pages import router as workbench_router

    app.add_middleware(PageMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(portal_router)
    app.include_router(suggestions_router)  # before the workbench's catch-alls
    app.include_router(media_router)
    app.include_router(feeds_admin_router)
    app.include_router(experts_router)  # /staff/experts and /org/experts, before the catch-alls
    app.include_router(organisations_router)
    app.include_router(org_password_router)
    app.include_router(learning_router, prefix="/staff")  # before the workbench admin's /{what} routes
    app.include_router(jobs_router)
    app.include_router(organisations_admin_router)  # /staff/admin/organisations, before the workbench admin
    app.include_router(open311_clients_router)  # /staff/admin/open311, before the workbench admin too
    app.include_router(boundaries_router)  # likewise
    app.include_router(contacts_router)
    app.include_router(reports_router)
    app.include_router(attachment_pages)
    app.include_router(inspector_router)
    app.include_router(inspection_router)
    app.include_router(inspection_staff_router)  # before the workbench's catch-alls
    app.include_router(accountability_router)
    app.include_router(workbench_router)
    app.include_router(proposer_router)
    app.include_router(notifications_router)
    app.include_router(notify_public_router)
    app.include_router(map_router)
    app.include_router(staff_map_router)
    app.include_router(consultation_router)
    app.include_router(consultation_staff_router)
    from minyi.evaluation.pages import router as evaluation_pages
    from minyi.evaluation.staff_pages import router as evaluation_staff_pages

    app.include_router(evaluation_pages)
    app.include_router(evaluation_staff_pages)
    app.include_router(assets_router)
    app.include_router(annual_router)
