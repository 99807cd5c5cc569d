"""The shared grouping of messages into matters: one row per grouped case, read by the board and `minyi watch`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class CaseGroup(Base):
    """The matter a case belongs to: `group_key` is the tracking code of the matter's first case, kept while the
    matter goes on (an alert about it and the board's hot issue name the same matter)."""

    __tablename__ = "case_groups"

    case_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True
    )
    group_key: Mapped[str] = mapped_column(String(40), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
