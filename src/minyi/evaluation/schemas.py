"""What public evaluation takes and gives over the API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from minyi.fields import Text


class PeriodIn(BaseModel):
    title: Text = Field(min_length=2, max_length=200)


class RatingIn(BaseModel):
    """A rating: one code that verifies the rater, the department, and a 1–5 mark for each published criterion."""

    tracking_code: str | None = Field(None, max_length=40, description="a citizen's code of an answered case")
    proposer_code: str | None = Field(None, max_length=40, description="a deputy's or organisation's code")
    department_id: int = Field(ge=1, le=2**31 - 1)
    scores: dict[str, int] = Field(description="criterion key -> mark 1..5, every criterion once")


class CriterionOut(BaseModel):
    key: str
    name: str
    name_en: str


class CriterionResultOut(BaseModel):
    key: str
    mean: float | None
    counts: dict[int, int] = Field(description="how many raters gave each mark 1..5 (the spread)")
    shares: dict[int, float] = Field(description="the same in per cent")


class DepartmentResultOut(BaseModel):
    """A department's results: the raters always; the marks only when the period is closed and enough rated."""

    department_id: int
    name: str
    raters: int
    by_kind: dict[str, int]
    published: bool
    criteria: list[CriterionResultOut] = []


class PeriodOut(BaseModel):
    id: int
    title: str
    state: str
    opened_at: datetime
    closed_at: datetime | None
    criteria: list[CriterionOut]
    scale: dict[int, str]
    min_published_raters: int
    results: list[DepartmentResultOut] = []
