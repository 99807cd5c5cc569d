"""What comes in and goes out of the consultation API (Pydantic)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, EmailStr, Field

from minyi.consultation.rules import COMMENT_MAX, STATEMENT_MAX
from minyi.fields import Id, Text

DRAFT_MAX = 500_000  # characters of a draft (a .docx read into the form may be this long too)


class ConsultationIn(BaseModel):
    """A new consultation with its draft (plain text or Markdown with numbered clauses)."""

    title: Text = Field(min_length=1, max_length=200)
    background: Text = Field(default="", max_length=20_000)
    kind: Literal["major", "community"] = "major"
    department_id: Id | None = None
    committee: Text | None = Field(default=None, max_length=200)
    region_code: Text | None = Field(default=None, max_length=12)
    opens_at: AwareDatetime
    closes_at: AwareDatetime
    requirement: Literal["none", "tracking_code", "account", "resident"] = "none"
    draft: Text = Field(min_length=1, max_length=DRAFT_MAX)
    linked_cases: list[Text] = Field(default_factory=list, max_length=50)  # tracking codes the staff may read
    origin: Text | None = Field(default=None, max_length=200)  # the hot issue or alert it comes from


class NoteIn(BaseModel):
    note: Text | None = Field(default=None, max_length=2000)


class JoinIn(BaseModel):
    tracking_code: Text | None = Field(default=None, max_length=40)
    with_account: bool = False  # verify with the account of the Authorization: Bearer token


class CommentIn(BaseModel):
    clause_id: Id | None = None  # None: on the whole draft
    body: Text = Field(
        min_length=1, max_length=COMMENT_MAX * 2
    )  # the exact limit is the rule's, with its error


class ReactionIn(BaseModel):
    value: Literal[1, -1]


class StatementIn(BaseModel):
    text: Text = Field(min_length=1, max_length=STATEMENT_MAX * 4)


class VoteIn(BaseModel):
    statement_id: Id
    vote: Literal[1, 0, -1]


class VoteOut(BaseModel):
    """A vote as stored (the last one counts)."""

    statement_id: int
    vote: int


class ModerateIn(BaseModel):
    decision: Literal["published", "hidden"]
    reason: Text = Field(min_length=1, max_length=2000)


class HideStatementIn(BaseModel):
    hidden: bool
    reason: Text = Field(min_length=1, max_length=2000)


class GroupIn(BaseModel):
    title: Text = Field(min_length=1, max_length=200)
    comment_ids: list[Id] = Field(min_length=1, max_length=5000)


class GroupsIn(BaseModel):
    """The whole grouping: every published comment in exactly one group."""

    groups: list[GroupIn] = Field(min_length=1, max_length=2000)


class AnswerIn(BaseModel):
    group_id: Id
    answer: Literal["adopted", "partly", "not_adopted"]
    reason: Text = Field(min_length=1, max_length=5000)


class FinalTextIn(BaseModel):
    clause_id: Id
    final_text: Text = Field(min_length=1, max_length=50_000)


class InviteIn(BaseModel):
    """An invited expert or deputy: the name and affiliation are published with the opinion."""

    role: Literal["expert", "deputy"]
    name: Text = Field(min_length=1, max_length=100)
    affiliation: Text = Field(default="", max_length=200)
    email: EmailStr | None = None  # where the invitation is sent (not kept: only the message carries it)
    phone: Text | None = Field(None, max_length=40, pattern=r"^[0-9+\-() ]{5,40}$")


class OpinionIn(BaseModel):
    body: Text = Field(min_length=1, max_length=40_000)  # the exact limit is the rule's, with its error


class HearingIn(BaseModel):
    hearing_at: AwareDatetime
    place: Text = Field(min_length=1, max_length=200)
    capacity: int = Field(ge=1, le=2000)


class RegistrationIn(BaseModel):
    name: Text = Field(min_length=1, max_length=50)
    phone: Text = Field(min_length=1, max_length=30)
    position: Literal["support", "oppose", "neutral"] = "neutral"
    note: Text = Field(default="", max_length=2000)


class ConfirmIn(BaseModel):
    registration_id: Id


class ClauseOut(BaseModel):
    id: int
    number: int
    heading: str
    draft_text: str
    final_text: str | None


class ConsultationOut(BaseModel):
    id: int
    title: str
    background: str
    kind: str
    state: str
    department_id: int | None
    committee: str | None
    region_code: str | None
    opens_at: datetime
    closes_at: datetime
    requirement: str
    clauses: list[ClauseOut]
    warnings: list[str] = []


class CommentOut(BaseModel):
    id: int
    clause_id: int | None
    body: str
    support: int
    oppose: int
    moderation: str
    created_at: datetime


class StatementOut(BaseModel):
    id: int
    text: str


class JoinOut(BaseModel):
    participant: str  # the signed id: send it back as the X-Participant header (or keep the cookie)
    verified: bool
