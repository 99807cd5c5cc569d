"""Bounded input types every schema and route uses: ids that fit a BIGINT, text without control characters."""

from __future__ import annotations

import re
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import AfterValidator

from minyi.errors import InvalidInput, NotFound

MAX_ID = 2**31 - 1  # the id columns are INTEGER on PostgreSQL; raise this if they ever become BIGINT
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")

Id = Annotated[int, Ge(1), Le(MAX_ID)]
"""An id sent in a body or a query: 1..MAX_ID, anything else is invalid input (422)."""


def is_id(value: int) -> bool:
    """Whether an id column could hold `value` (a query with any other would fail on PostgreSQL)."""
    return 1 <= value <= MAX_ID


def _names_nothing_outside_the_columns(value: int) -> int:
    if not is_id(value):
        raise NotFound()  # not a ValueError: pydantic lets it through, and it answers 404 like any missing case
    return value


CaseIdInPath = Annotated[int, AfterValidator(_names_nothing_outside_the_columns)]
"""A case id in a URL: any integer; one that no column can hold names no case, so it is a 404 like any missing
case (and like one the caller may not see)."""


def refuse_control(value: str) -> str:
    """Text may carry tabs and line breaks but no NUL, other control characters or direction overrides."""
    if CONTROL.search(value):
        raise ValueError("contains control characters / 含有控制字符")
    return value


Text = Annotated[str, AfterValidator(refuse_control)]
"""Any text a person sends us (PostgreSQL cannot store NUL; the others only serve to deceive)."""


def form_int(raw: str, field: str, low: int = -MAX_ID, high: int = MAX_ID) -> int:
    """A number typed into a form: an integer within [low, high] (what an id column holds by default), else a 422."""
    try:
        value = int(raw.strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise InvalidInput("请填写有效的数字", f"{field} must be a whole number in range", field=field)
    return value
