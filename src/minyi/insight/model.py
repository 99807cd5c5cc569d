"""Plain records the insight slice works on: a message, a case outcome; no framework, no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Evaluation = Literal["satisfied", "partly", "unsatisfied"]


@dataclass(slots=True)
class Message:
    """One citizen message as the insight functions see it; `time` is timezone-aware UTC."""

    id: str
    user: str
    title: str
    text: str
    time: datetime
    likes: int = 0
    dislikes: int = 0
    topic: str | None = None
    region: str | None = None
    department: str | None = None
    reply: str | None = None
    reply_time: datetime | None = None
    intensity: float | None = field(default=None, compare=False)
    households: int = field(
        default=0, compare=False
    )  # a committee's group demand (联名): households behind it

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            raise ValueError("Message.time must be timezone-aware (UTC)")


@dataclass(slots=True)
class CaseOutcome:
    """How one case ended: who handled it, where, how fast, and what the citizen thought of it."""

    department: str
    region: str | None
    topic: str | None
    submitted_at: datetime
    replied_at: datetime | None
    workdays_to_reply: int | None
    evaluation: Evaluation | None
    reopened: bool = False
    repeat: bool = False
