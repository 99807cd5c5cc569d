"""Shapes of what comes into the organisations slice (the page forms validate with the same ones)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from minyi.cases.schemas import _clean
from minyi.organisations.rules import OrganisationKind


def _text(value: str) -> str:
    return _clean(value, "text")


Name = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_text)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganisationIn(_In):
    """An organisation as an administrator registers it."""

    name: Name
    kind: OrganisationKind
    region_code: str | None = Field(None, pattern=r"^\d{2,12}$")


Username = Annotated[str, Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")]


class MemberIn(_In):
    """A member's account: signs in like staff, acts only for its organisation."""

    username: Username
    password: str = Field(min_length=8, max_length=200)
    display_name: Name | None = None


class OrganisationEdit(OrganisationIn):
    """An administrator's change of an organisation; `active: false` deactivates it (its members can no longer
    submit for people, and still follow what they submitted)."""

    active: bool = True


class NewMemberIn(_In):
    """A member's account made on the web or the API: the temporary password is generated and shown once."""

    username: Username
    display_name: Name | None = None


class MemberRef(_In):
    """One member of the organisation (removal, password reset)."""

    user_id: int = Field(ge=1, le=2**31 - 1)


class MemberOut(BaseModel):
    """A member as administrators see it (never a password)."""

    user_id: int
    username: str
    display_name: str
    active: bool
    must_change_password: bool


class OrganisationOut(BaseModel):
    """An organisation with its members and figures; `temporary_password` only in the answer that made it."""

    id: int
    name: str
    kind: str
    region_code: str | None
    active: bool
    members: list[MemberOut] = []
    figures: dict[str, float | int | None] = {}
    temporary_password: str | None = None


class ConsentIn(_In):
    """The person's consent to be represented (代为反映), on the record; a committee adds the households behind
    a group demand (联名)."""

    consent_way: str = Field(pattern="^(written|oral|message)$")
    consent_on: date
    consent_person: Name
    households: int | None = Field(None, ge=2, le=100_000)


def _long_text(value: str) -> str:
    return _clean(value, "question")


class ExpertInviteIn(_In):
    """Staff ask a member of an expert body for an opinion on a case or a suggestion."""

    subject_type: Literal["case", "suggestion"]
    subject_id: int = Field(ge=1, le=2**31 - 1)
    expert_user_id: int = Field(ge=1, le=2**31 - 1)
    question: Annotated[str, Field(min_length=1, max_length=2000), AfterValidator(_long_text)]
    due_on: date | None = None


class ExpertAnswerIn(_In):
    """The expert's opinion (signed on submission; it cannot be changed afterwards)."""

    body: str = Field(min_length=1, max_length=20_000)


class PublishIn(_In):
    """The inviter's decision: publish the opinion on the subject's public page, or not."""

    publish: bool


class ExpertOpinionOut(BaseModel):
    """A request and its signed opinion: the document's SHA-256 and the audit-chain entry that signs it."""

    id: int
    subject_type: str
    subject_id: int
    expert: str
    organisation: str
    question: str
    due_on: date | None = None
    status: str = "waiting"  # waiting | overdue | given | published (rules.opinion_status)
    invited_at: datetime
    body: str | None
    submitted_at: datetime | None
    content_hash: str | None
    audit_seq: int | None
    audit_hash: str | None
    published: bool
