"""Shapes of what comes in and goes out of the case API."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from minyi.cases.rules import Channel, Evaluation, Kind, Visibility, channel_not_given
from minyi.fields import CONTROL, Id, Text

MAX_BODY = 10_000

Short = Annotated[Text, Field(min_length=1, max_length=200)]


def _clean(value: str, field: str) -> str:
    if CONTROL.search(value):
        raise ValueError(f"{field} contains control characters / 含有控制字符")
    value = value.strip()
    if not value:
        raise ValueError(f"{field} must not be blank / 不能为空")
    return value


class Contact(BaseModel):
    """How to reach the submitter; stored apart from the case and never published."""

    model_config = ConfigDict(extra="forbid")

    name: Text | None = Field(None, max_length=100)
    phone: Text | None = Field(None, max_length=40, pattern=r"^[0-9+\-() ]{5,40}$")
    email: EmailStr | None = None
    id_number: Text | None = Field(None, pattern=r"^(\d{15}|\d{17}[\dXx])$")
    address: Text | None = Field(None, max_length=300)
    wechat_openid: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{6,64}$")
    notify_by: Literal["email", "sms", "wechat"] | None = Field(
        None,
        description="opt-in: the channel to be told of each step on (its address given here); none: no messages",
    )
    language: Literal["zh", "en"] | None = Field(None, description="the language of the notifications")

    @model_validator(mode="after")
    def _channel_given(self) -> Contact:
        if channel_not_given(self.notify_by, self.email, self.phone, self.wechat_openid):
            raise ValueError(f"notify_by={self.notify_by} needs that contact given")
        return self


class CaseSubmission(BaseModel):
    """A new demand as a citizen, an operator or an intermediary submits it."""

    model_config = ConfigDict(extra="forbid")

    kind: Kind
    channel: Channel = Channel.web
    title: Short
    body: Text = Field(min_length=1, description=f"up to {MAX_BODY} characters")
    region_code: Text | None = Field(None, pattern=r"^\d{2,12}$")
    address: Text | None = Field(None, max_length=300)
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    topic_code: Text | None = Field(None, max_length=40)
    visibility: Visibility = Visibility.public
    anonymous: bool = False
    contact: Contact | None = None
    on_behalf_of: Text | None = Field(None, max_length=200, description="the deputy or committee submitting")
    occurred_at: datetime | None = Field(None, description="when it happened; not in the future")

    @field_validator("title")
    @classmethod
    def _title(cls, v: str) -> str:
        return _clean(v, "title")

    @field_validator("body")
    @classmethod
    def _body(cls, v: str) -> str:
        return _clean(v, "body")

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, v: datetime | None) -> datetime | None:
        if v is not None and v.tzinfo is None:
            raise ValueError("occurred_at needs a timezone / 时间须带时区")
        return v


class EvaluationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    evaluation: Evaluation
    comment: Text | None = Field(None, max_length=2000)


class ReasonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Text = Field(min_length=1, max_length=2000)

    @field_validator("reason")
    @classmethod
    def _reason(cls, v: str) -> str:
        return _clean(v, "reason")


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Text | None = Field(None, max_length=2000)


class AssignIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    department_id: Id
    co_handler_ids: list[Id] = Field(default_factory=list, max_length=10)
    note: Text | None = Field(None, max_length=2000)


class ReplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Text = Field(min_length=1, max_length=MAX_BODY)
    confirm_weak: bool = Field(
        False, description="send even if the quality check finds the reply weak (409 else)"
    )

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return _clean(v, "text")


class ExtensionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    days: int = Field(ge=1, le=30)
    reason: Text = Field(min_length=1, max_length=2000)


class ExtensionDecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: Id
    approve: bool
    note: Text | None = Field(None, max_length=2000)


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    master_case_id: Id
    note: Text | None = Field(None, max_length=2000)


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: Id


class CorrectionIn(BaseModel):
    """Staff correct what the text understanding suggested."""

    model_config = ConfigDict(extra="forbid")

    topic_code: Text | None = Field(None, max_length=40)
    suggested_department_id: Id | None = None
    urgent: bool | None = None
    kind: Kind | None = None
    channel: Channel | None = None
    note: Text | None = Field(None, max_length=2000)


class TimelineEntry(BaseModel):
    at: datetime
    action: str
    action_zh: str
    from_status: str | None
    to_status: str | None
    note: str | None


class PublicCase(BaseModel):
    """What the submitter (by tracking code) and the public may see: personal data masked."""

    id: int | None = Field(
        None, description="the number of its public page (/cases/{id}); none while not public"
    )
    tracking_code: str | None = None
    kind: str
    channel: str
    title: str
    body: str
    region_code: str | None
    region: str = ""
    topic_code: str | None
    topic: str = ""
    status: str
    status_zh: str
    stage: str | None
    due_at: datetime | None
    registered_at: datetime
    department: str | None
    reply: str | None
    replied_at: datetime | None
    evaluation: str | None
    round: int
    decline_reason: str | None
    merged_into: str | None = None
    timeline: list[TimelineEntry] = Field(default_factory=list)


class StaffCase(BaseModel):
    """What staff who may see the case get."""

    id: int
    tracking_code: str | None = Field(
        None, description="the citizen's secret: shown only to the operator who registers the demand"
    )
    kind: str
    channel: str
    title: str
    body: str
    region_code: str | None
    address: str | None
    topic_code: str | None
    visibility: str
    status: str
    stage: str | None
    round: int
    urgent: bool
    department_id: int | None
    co_handler_ids: list[int]
    due_at: datetime | None
    handling_due_at: datetime | None
    deadline_provisional: bool = False  # 暂定: the calendar does not cover the deadline's year yet
    escalation_level: int
    extension_days: int
    registered_at: datetime
    reply_text: str | None
    reply_score: float | None = None
    reply_weak: bool | None = None
    reply_issues: list[str] = Field(default_factory=list)
    evaluation: str | None
    version: int
    master_case_id: int | None
    topic_suggested: str | None
    topic_confidence: float | None
    needs_triage: bool
    suggested_department_id: int | None
    emotion_negativity: float | None
    emotion_intensity: float | None
    urgency_flags: list[dict[str, object]]
    contact: Contact | None = None
    on_behalf_of: str | None


class Page(BaseModel):
    items: list[StaffCase]
    total: int = Field(description="counted up to 1000; 1000 means 1000 or more")
    page: int
    per_page: int
