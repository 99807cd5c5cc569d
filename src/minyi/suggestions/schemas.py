"""Shapes of what comes in and goes out of the suggestion API (the page forms validate with the same ones)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from minyi.cases.schemas import MAX_BODY, NoteIn, ReasonIn, _clean
from minyi.suggestions.rules import Category, Satisfaction, SuggestionKind

__all__ = ["NoteIn", "ReasonIn"]


def _text(value: str) -> str:
    return _clean(value, "text")


Text = Annotated[str, Field(min_length=1, max_length=MAX_BODY), AfterValidator(_text)]
Line = Annotated[str, Field(min_length=1, max_length=200), AfterValidator(_text)]
Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_text)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NewProposer(_In):
    """A proposer not yet known: they get a code to reach their own page."""

    name: Name
    kind: str = Field("deputy", pattern="^(deputy|cppcc_member|party|organisation|committee)$")


class SuggestionIn(_In):
    """A suggestion or proposal as the office registers it."""

    kind: SuggestionKind
    session: Line = Field(description="届次/会议, e.g. 明川市第十五届人民代表大会第三次会议")
    number: int = Field(ge=1, le=99_999, description="the item's number in its session (第0123号 is 123)")
    proposer_id: int | None = Field(None, ge=1, le=2**31 - 1)
    proposer: NewProposer | None = None
    cosigners: list[Name] = Field(default_factory=list, max_length=100)
    subject: Line
    body: Text


class NotAcceptIn(_In):
    reason: Text
    to_opinion: bool = Field(False, description="turn it into a letter of opinion (转为意见建议)")


Units = Annotated[list[Annotated[int, Field(ge=1, le=2**31 - 1)]], Field(default_factory=list, max_length=20)]


class AssignIn(_In):
    """The lead unit, the units that each answer their own part (分办) and the co-operating units (协办)."""

    lead_unit_id: int = Field(ge=1, le=2**31 - 1)
    co_unit_ids: Units
    part_unit_ids: Units
    note: str | None = Field(None, max_length=2000)


class DisputeDecisionIn(_In):
    """Uphold the assignment, or give it to another lead unit."""

    uphold: bool
    lead_unit_id: int | None = Field(None, ge=1, le=2**31 - 1)
    co_unit_ids: Units
    part_unit_ids: Units
    note: str | None = Field(None, max_length=2000)


class ExtendIn(_In):
    months: int = Field(ge=1, le=24, description="the whole answer period, in months from assignment")
    reason: Text


class KeyIn(_In):
    leader: Name


class ContactIn(_In):
    way: str = Field(pattern="^(meeting|phone|letter|declined)$")
    contacted_on: date
    who: Line
    summary: Text


class AnswerIn(_In):
    category: Category
    text: Text
    plan: str | None = Field(None, max_length=MAX_BODY)
    plan_date: date | None = None
    reason: str | None = Field(None, max_length=MAX_BODY)


class OpinionRequestIn(_In):
    """The co-operating units asked for their opinion (none named: all of them)."""

    unit_ids: Units
    note: str | None = Field(None, max_length=2000)


class OpinionIn(_In):
    opinion: Text


class FollowUpDoneIn(_In):
    """What was done of a B answer's plan (the ladder stops watching its date)."""

    followup_id: int = Field(ge=1, le=2**31 - 1)
    note: Text


class EvaluateIn(_In):
    satisfaction: Satisfaction
    comment: str | None = Field(None, max_length=2000)


class ContactOut(BaseModel):
    way: str
    contacted_on: date
    who: str
    summary: str


class OpinionOut(BaseModel):
    """A co-operating unit's opinion: asked when, given when, or waived by the office."""

    unit_id: int
    requested_at: datetime | None
    opinion: str | None
    given_at: datetime | None
    waived: bool


class FollowUpOut(BaseModel):
    """A B answer's promise: the plan, the date, and when it was reported done."""

    id: int
    unit_id: int
    plan: str
    due_on: date
    done_at: datetime | None
    done_note: str | None


class NoticeOut(BaseModel):
    """A rung of the ladder issued on the item."""

    subject: str
    level: int
    issued_at: datetime


class AnswerOut(BaseModel):
    id: int = 0  # the answer's id (its files hang on it)
    round: int
    unit_id: int
    category: str
    text: str
    plan: str | None
    plan_date: date | None
    reason: str | None
    signed_by: str
    answered_at: datetime
    on_time: bool
    satisfaction: str | None
    comment: str | None


class SuggestionOut(BaseModel):
    """An item as staff see it."""

    id: int
    number: int
    number_label: str
    kind: str
    session: str
    status: str
    category: str | None
    subject: str
    body: str
    proposer: str
    cosigners: list[str]
    lead_unit_id: int | None
    co_unit_ids: list[int]
    part_unit_ids: list[int] = Field(
        default_factory=list, description="units answering their own part (分办)"
    )
    assigned_at: datetime | None
    dispute_until: datetime | None
    due_at: datetime | None
    months: int
    round: int
    key_item: bool
    key_leader: str | None
    published: bool
    withhold_reason: str | None
    not_accepted_reason: str | None
    to_opinion: bool
    satisfaction: str | None
    version: int
    ladder: int = Field(0, description="the rung due now: 1 reminder, 2 supervision notice, 3 public notice")
    opinions: list[OpinionOut] = []
    followups: list[FollowUpOut] = []
    notices: list[NoticeOut] = []
    contacts: list[ContactOut] = []
    answers: list[AnswerOut] = []
    proposer_code: str | None = Field(None, description="shown once, when a new proposer is registered")
