"""Administrators' page for the map's boundaries: upload a GeoJSON file, see it checked and drawn, then load it
(on the audit record). Files over the request limit go through `minyi regions load FILE`. Thin."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData, UploadFile

from minyi.deps import SessionDep
from minyi.errors import InvalidInput, MinyiError
from minyi.locale import pick
from minyi.regionmap.actions import do_load_region_shapes, loaded_regions, preview_shapes
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.rendering import PageRoute, redirect, render, script_json
from minyi.web.signing import check_csrf

router = APIRouter(prefix="/staff/admin/boundaries", route_class=PageRoute, include_in_schema=False)
Form = Annotated[FormData, Depends(check_csrf)]


def _page(request: Request, session: SessionDep, **extra: object) -> Response:
    context = {"loaded": loaded_regions(session), "preview": None, "error": None, **extra}
    return render(request, "map/boundaries.html", context, status=422 if extra.get("error") else 200)


@router.get("")
def boundaries(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """The boundaries loaded now and the upload form."""
    require_role(actor, "admin")
    return _page(request, session)


@router.post("/preview")
def preview(request: Request, session: SessionDep, form: Form) -> Response:
    """Check the uploaded file in full and draw it; nothing is written."""
    require_role(current_staff(request, session), "admin")
    upload = form.get("file")
    raw = upload.file.read() if isinstance(upload, UploadFile) else str(upload or "").encode()
    try:
        if not raw.strip():
            raise InvalidInput("请选择GeoJSON文件", "choose a GeoJSON file", field="file")
        rows, geojson = preview_shapes(session, raw)
    except MinyiError as exc:
        return _page(request, session, error=pick(exc.message_zh, exc.message_en))
    data = {"regions": geojson, "points": [], "region_url": "#r-"}
    checked = json.dumps(
        geojson, ensure_ascii=False, separators=(",", ":")
    )  # what was checked, sent back to load
    return _page(request, session, preview=rows, checked=checked, map_json=script_json(data))


@router.post("")
def load(request: Request, session: SessionDep, form: Form) -> Response:
    """Load the previewed file (checked again: all or nothing)."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        n = do_load_region_shapes(session, actor, str(form.get("geojson") or ""))
    except MinyiError as exc:
        return _page(request, session, error=pick(exc.message_zh, exc.message_en))
    return redirect(f"/staff/admin/boundaries?loaded={n}")
