"""Running a command from a page form: one helper for every slice whose page dispatches through a command table.

A page posts a form to `/…/{id}/act/{name}`; the form is parsed with the command's own input schema (the one the
JSON API validates), the page's expected version is read, the slice's `execute` runs, and a refusal comes back as
the structured error for the page to show again. A 404 without a field (the object is missing or hidden) is raised
as it is, so a page never tells a forbidden object from a missing one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from minyi.errors import InvalidInput, MinyiError
from minyi.web.forms import text


class FormCommand(Protocol):
    """What a page form needs of a command (case and suggestion commands alike): its name and input schema."""

    @property
    def name(self) -> str: ...

    @property
    def schema(self) -> type[BaseModel]: ...


def parse_form(
    command: FormCommand, form: Mapping[str, Any], lists: Mapping[str, list[str]], label_zh: str
) -> BaseModel:
    """The command's input from a page form (the same schema the API validates); `label_zh` names the step."""
    data: dict[str, Any] = {}
    for name, info in command.schema.model_fields.items():
        if name in lists and "list" in str(info.annotation):
            data[name] = [v for v in lists[name] if v.strip()]
        elif name in form and str(form[name]).strip() != "":
            data[name] = str(form[name]).strip()
    try:
        return command.schema.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first.get("loc", ())) or None
        raise InvalidInput(
            f"“{label_zh}”的输入有误，请检查后重试",
            f"invalid input for {command.name}: {first.get('msg', '')}",
            field=field,
        ) from None


def form_version(form: FormData) -> int:
    """The version the page was rendered at (a form without one is stale)."""
    raw = text(form, "version")
    if not raw.isdigit() or len(raw) > 9:
        raise InvalidInput("页面已过期，请刷新后重试", "the page is stale: reload it", field="version")
    return int(raw)


def run_form_command(
    session: Session,
    form: FormData,
    command: FormCommand,
    label_zh: str,
    execute: Callable[[BaseModel, int], object],
) -> MinyiError | None:
    """Parse the form, read its version and run `execute(body, expected_version)`; return the refusal (after
    rolling back) for the page to render, or None when it went through. Missing-or-hidden (404) is raised."""
    lists = {key: [str(v) for v in form.getlist(key)] for key in form}
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    try:
        body = parse_form(command, fields, lists, label_zh)
        execute(body, form_version(form))
    except MinyiError as exc:
        session.rollback()
        if exc.status == 404 and exc.field is None:
            raise
        return exc
    return None
