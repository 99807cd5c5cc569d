"""Liveness (/livez: the process answers), readiness (/readyz: the database answers at the newest migration)
and the Prometheus metrics (/metrics, loopback and configured networks only)."""

from __future__ import annotations

from functools import lru_cache

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST
from sqlalchemy import text
from starlette.exceptions import HTTPException

from minyi.ops import metrics
from minyi.settings import get_settings

router = APIRouter(include_in_schema=False)


@lru_cache
def migration_heads() -> frozenset[str]:
    from alembic.script import ScriptDirectory

    from minyi.migrate import alembic_config

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


@router.get("/livez")
def livez() -> dict[str, str]:
    """The process is up and serving (restart it when this fails)."""
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:
    """The database answers and is migrated: send traffic here (503 until then; no detail leaks)."""
    from alembic.runtime.migration import MigrationContext

    try:
        with request.app.state.session_factory() as session:
            conn = session.connection()
            conn.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(conn).get_current_heads())
            session.rollback()
    except Exception:  # noqa: BLE001 - any failure to reach the database means not ready
        current = None
    if current == migration_heads():
        return JSONResponse({"status": "ready"})
    body = {
        "error": {"code": "not_ready", "message": "服务尚未就绪", "message_en": "not ready", "field": None}
    }
    return JSONResponse(body, status_code=503)


@router.get("/metrics")
def prometheus(request: Request) -> Response:
    """The metrics, to loopback and MINYI_METRICS_NETWORKS only; to others this path does not exist."""
    client = request.client.host if request.client else None
    if not metrics.allowed(client, get_settings().metrics_networks):
        raise HTTPException(404, "Not Found")
    return Response(metrics.render(request.app.state.session_factory), media_type=CONTENT_TYPE_LATEST)
