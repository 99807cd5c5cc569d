"""What the sealed channel takes and gives: the report form, the reporter's view, the inspectors' view."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from minyi.fields import Id, Text


class IdentityIn(BaseModel):
    """Given only if the reporter chooses to be named (实名举报); sealed before it touches the database."""

    name: Text = Field(min_length=1, max_length=100)
    phone: Text | None = Field(None, max_length=40)
    id_number: Text | None = Field(None, max_length=20)
    contact: Text | None = Field(None, max_length=300)


class ReportIn(BaseModel):
    """A misconduct report: who, what, when, evidence; a passphrase the reporter chooses; identity optional."""

    department_id: Id | None = Field(
        None, description="the reported unit (none: not known; every inspector sees it)"
    )
    official: Text | None = Field(None, max_length=200)
    what: Text = Field(min_length=10, max_length=10000)
    happened: Text | None = Field(None, max_length=200)
    evidence: Text | None = Field(None, max_length=20000)
    passphrase: Text = Field(min_length=10, max_length=200)
    identity: IdentityIn | None = None


class ReceiptOut(BaseModel):
    """Shown once: the reporter's only way back in, with the passphrase they chose."""

    receipt: str
    status: str


class MessageIn(BaseModel):
    body: Text = Field(min_length=1, max_length=10000)


class MessageOut(BaseModel):
    author: str
    body: str
    at: datetime


class ReporterViewOut(BaseModel):
    """What the reporter sees: the status, a short result when concluded, and the messages."""

    status: str
    status_label: str
    result: str | None
    messages: list[MessageOut]


class StatusIn(BaseModel):
    status: str = Field(pattern="^(verifying|concluded)$")
    result: str | None = Field(None, max_length=2000)


class ReasonIn(BaseModel):
    reason: str = Field(min_length=2, max_length=2000)


class DecisionIn(BaseModel):
    approve: bool
    reason: str = Field(min_length=2, max_length=2000)


class OfficePassphraseIn(BaseModel):
    passphrase: str = Field(min_length=12, max_length=200)


class ReportOut(BaseModel):
    """What an inspector sees (never the identity: that needs an approved unsealing)."""

    id: int
    department_id: int | None
    official: str | None
    what: str
    happened: str | None
    evidence: str | None
    named: bool
    status: str
    result: str | None
    created_at: datetime
    messages: list[MessageOut] = []
    later_case_ids: list[int] = []
