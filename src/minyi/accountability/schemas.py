"""What the accountability register takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from minyi.accountability.rules import Form, Ground
from minyi.fields import Id, Text


class RecordIn(BaseModel):
    """A supervisor's record: the unit, the post (a person's name only if it may be published), ground, form,
    what happened, and the evidence (cases, audit entries, rectification items)."""

    unit_id: Id
    post: Annotated[Text, Field(max_length=100)] | None = None
    person: Annotated[Text, Field(max_length=100)] | None = None
    ground: Ground
    form: Form
    summary: Annotated[Text, Field(min_length=2, max_length=10000)]
    case_ids: list[Id] = Field(default_factory=list, max_length=200)
    audit_seqs: list[Id] = Field(default_factory=list, max_length=200)
    item_ids: list[Id] = Field(default_factory=list, max_length=200)


class ResponseIn(BaseModel):
    """The unit's response (申辩)."""

    response: Annotated[Text, Field(min_length=2, max_length=10000)]


class DecisionIn(BaseModel):
    """The decision: its text, the form finally taken, and whether it is published."""

    decision: Annotated[Text, Field(min_length=2, max_length=10000)]
    form: Form
    public: bool = False


class EvidenceOut(BaseModel):
    kind: str
    ref_id: int


class RecordOut(BaseModel):
    id: int
    unit_id: int
    unit_name: str
    post: str | None
    person: str | None
    ground: str
    ground_label: str
    form: str
    form_label: str
    summary: str
    source: str
    status: str
    status_label: str
    response: str | None
    decision: str | None
    decided_at: datetime | None
    public: bool
    version: int
    created_at: datetime
    evidence: list[EvidenceOut] = []


class PublicRecordOut(BaseModel):
    """A published record: the name of a person only because the decision is public; texts redacted."""

    id: int
    unit_name: str
    post: str | None
    person: str | None
    ground_label: str
    form_label: str
    summary: str
    response: str | None
    decision: str
    decided_at: datetime | None
    case_ids: list[int]
