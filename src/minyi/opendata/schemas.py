"""Shapes of what comes in: a client application registration, an Open311 submission."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class ClientIn(BaseModel):
    """An administrator registers a client application."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")
    contact: str = Field("", max_length=200)
    rate_limit_per_hour: int = Field(60, ge=1, le=100_000)


class ClientEdit(BaseModel):
    """An administrator changes a client application: who answers for it, its rate limit, enabled or not."""

    model_config = ConfigDict(extra="forbid")

    contact: str = Field("", max_length=200)
    rate_limit_per_hour: int = Field(60, ge=1, le=100_000)
    active: bool = True


class ClientOut(BaseModel):
    """A registered client application; `api_key` is present only in the answer that created it."""

    id: int
    name: str
    contact: str
    rate_limit_per_hour: int
    active: bool
    api_key: str | None = None


class Open311Submission(BaseModel):
    """POST requests: the GeoReport v2 fields minyi takes (form-encoded, as the spec sends them)."""

    model_config = ConfigDict(extra="ignore")  # the spec lets clients send fields a jurisdiction ignores

    service_code: str = Field(min_length=3, max_length=40)
    description: str = Field(min_length=1, max_length=4000)
    lat: float | None = Field(None, ge=-90, le=90)
    long: float | None = Field(None, ge=-180, le=180)
    address_string: str | None = Field(None, max_length=300)
    email: EmailStr | None = None
    first_name: str | None = Field(None, max_length=50)
    last_name: str | None = Field(None, max_length=50)
    phone: str | None = Field(None, max_length=40, pattern=r"^[0-9+\-() ]{5,40}$")
    topic: str | None = Field(None, max_length=40, description="attribute[topic]: a sub-topic of the group")
