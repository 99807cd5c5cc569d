"""What the inspection slice takes and gives: rounds, letters and calls, clues, findings, rectification items."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field

from minyi.fields import Id, Text

Short = Annotated[Text, Field(min_length=1, max_length=200)]
Long = Annotated[Text, Field(min_length=2, max_length=10000)]
Reason = Annotated[Text, Field(min_length=2, max_length=2000)]


class RoundIn(BaseModel):
    """Open a round: the unit inspected, the window, the public line, the team (inspectors; the opener leads)."""

    title: Short
    unit_id: Id
    starts_on: date
    ends_on: date
    phone: Annotated[Text, Field(max_length=40)] | None = None
    member_ids: list[Id] = Field(default_factory=list, max_length=30)


class LetterIn(BaseModel):
    """A letter to the round's mailbox, or a call an operator registers: what the person says, a contact if given."""

    body: Annotated[Text, Field(min_length=10, max_length=10000)]
    contact: Annotated[Text, Field(max_length=300)] | None = None


class ClueIn(BaseModel):
    summary: Long
    submission_id: Id | None = None


class HandOnIn(BaseModel):
    """Hand a clue on: to the discipline inspectors or another organ, with a note (on the record)."""

    clue_id: Id
    handed_to: Short
    note: Reason


class ItemIn(BaseModel):
    """One item of the rectification list."""

    problem: Long
    unit_id: Id
    post: Annotated[Text, Field(min_length=1, max_length=100)]
    measures: Long
    due_on: date
    evidence_required: Long


class FindingsIn(BaseModel):
    findings: Long
    items: list[ItemIn] = Field(min_length=1, max_length=100)


class ProgressIn(BaseModel):
    """The unit's report on an item: what was done, the evidence; `complete` asks the team to accept it."""

    item_id: Id
    done: Long
    evidence: Long
    complete: bool = False


class DecisionIn(BaseModel):
    item_id: Id
    accept: bool
    reason: Reason


class ReleaseIn(BaseModel):
    """Release a letter held past the round's cap: it joins the letters the team works from."""

    submission_id: Id


class NothingIn(BaseModel):
    """A step that takes no input."""


class SubmissionOut(BaseModel):
    id: int
    channel: str
    body: str
    contact: str | None
    created_at: datetime


class ClueOut(BaseModel):
    id: int
    submission_id: int | None
    summary: str
    status: str
    handed_to: str | None
    handover_note: str | None


class ProgressOut(BaseModel):
    id: int
    done: str
    evidence: str
    complete: bool
    created_at: datetime


class ItemOut(BaseModel):
    id: int
    number: int
    problem: str
    unit_id: int
    post: str
    measures: str
    due_on: date
    evidence_required: str
    status: str
    status_label: str
    decision_reason: str | None
    progress: list[ProgressOut] = []


class RoundOut(BaseModel):
    """A round as the caller may see it: the public part always; findings and items for the team, units and
    oversight; letters, calls and clues for the team only."""

    id: int
    title: str
    unit_id: int
    unit_name: str
    starts_on: date
    ends_on: date
    phone: str | None
    stage: str
    stage_label: str
    mailbox_open: bool
    version: int
    findings: str | None = None
    rectification_due: date | None = None
    items: list[ItemOut] | None = None
    submissions: list[SubmissionOut] | None = None
    held: list[SubmissionOut] | None = None  # letters past the round's cap, awaiting a team member's review
    clues: list[ClueOut] | None = None


class ReceivedOut(BaseModel):
    received: bool = True
