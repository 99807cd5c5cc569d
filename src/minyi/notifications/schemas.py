"""Shapes of what comes in and goes out of the notification slice."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from minyi.notifications.rules import channel_not_given


class StaffContactIn(BaseModel):
    """How a member of staff wants to be told; nothing is sent to a channel not given here."""

    model_config = ConfigDict(extra="forbid")

    email: EmailStr | None = None
    phone: str | None = Field(None, max_length=40, pattern=r"^[0-9+\-() ]{5,40}$")
    wechat_openid: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{6,64}$")
    notify_by: Literal["email", "sms", "wechat"] | None = None
    language: Literal["zh", "en"] = "zh"

    @model_validator(mode="after")
    def _channel_given(self) -> StaffContactIn:
        if channel_not_given(self.notify_by, self.email, self.phone, self.wechat_openid):
            raise ValueError(f"notify_by={self.notify_by} needs that contact given")
        return self
