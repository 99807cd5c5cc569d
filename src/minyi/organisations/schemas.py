"""Shapes of what comes into the organisations slice (the page forms validate with the same ones)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

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


class MemberIn(_In):
    """A member's account: signs in like staff, acts only for its organisation."""

    username: str = Field(min_length=3, max_length=50, pattern=r"^[A-Za-z0-9_.-]+$")
    password: str = Field(min_length=8, max_length=200)
    display_name: Name | None = None


class ConsentIn(_In):
    """The person's consent to be represented (代为反映), on the record; a committee adds the households behind
    a group demand (联名)."""

    consent_way: str = Field(pattern="^(written|oral|message)$")
    consent_on: date
    consent_person: Name
    households: int | None = Field(None, ge=2, le=100_000)
