"""Turning the inspection pages' forms into the command table's schemas (one parser for every step)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData
from starlette.responses import Response

from minyi.errors import InvalidInput, MinyiError
from minyi.inspection.schemas import ItemIn, RoundIn
from minyi.locale import pick
from minyi.web.forms import text
from minyi.web.rendering import redirect

ITEM_FIELDS = tuple(ItemIn.model_fields)
YES = ("yes", "on", "true", "1")


def _value(form: FormData, name: str, annotation: Any) -> Any:
    raw = text(form, name)
    if annotation is bool:
        return raw in YES
    return raw or None


def _fields(form: FormData, schema: type[BaseModel]) -> dict[str, Any]:
    return {name: _value(form, name, f.annotation) for name, f in schema.model_fields.items() if name in form}


def parse(form: FormData, schema: type[BaseModel]) -> BaseModel:
    """The step's input from its form; a refused field becomes a clear InvalidInput naming it."""
    data = _fields(form, schema)
    if "items" in schema.model_fields:  # the findings come with their first rectification item
        data["items"] = [_fields(form, ItemIn)]
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = str(
            first["loc"][-1] if first["loc"] and first["loc"][0] == "items" else (first["loc"] or ["?"])[0]
        )
        raise InvalidInput(f"请检查“{field}”一项", f"check the field {field}", field=field) from None


def parse_round(form: FormData) -> RoundIn:
    """The form that opens a round: the team is a list of inspector ids (checkboxes)."""
    data: dict[str, Any] = {
        k: text(form, k) or None for k in ("title", "unit_id", "starts_on", "ends_on", "phone")
    }
    data["member_ids"] = [v for v in form.getlist("member_ids") if isinstance(v, str) and v.isdigit()]
    try:
        return RoundIn.model_validate(data)
    except ValidationError as exc:
        field = str((exc.errors()[0]["loc"] or ["?"])[0])
        raise InvalidInput(f"请检查“{field}”一项", f"check the field {field}", field=field) from None


def default_window(today: date) -> dict[str, str]:
    from datetime import timedelta

    return {"starts_on": today.isoformat(), "ends_on": (today + timedelta(days=30)).isoformat()}


def back(url: str, exc: MinyiError | None = None) -> Response:
    """Post/redirect/get to the page, carrying a refusal's message in the reader's language."""
    from urllib.parse import quote

    return redirect(url if exc is None else f"{url}?error={quote(pick(exc.message_zh, exc.message_en))}")
