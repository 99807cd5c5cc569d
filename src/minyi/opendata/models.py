"""Client applications that may submit demands through Open311; only the SHA-256 of each API key is stored."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Open311Client(Base):
    """A civic app registered by an administrator: its name is recorded on every demand it submits."""

    __tablename__ = "open311_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    contact: Mapped[str] = mapped_column(String(200), default="")
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rate_limit_per_hour: Mapped[int] = mapped_column(Integer, default=60)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
