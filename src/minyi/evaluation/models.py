"""Tables of public evaluation: the periods, and the ratings (one per person per department, kept by the database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class EvaluationPeriod(Base):
    """An evaluation period opened and closed by supervisors, over the departments active when it opened."""

    __tablename__ = "evaluation_periods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | closed
    department_ids: Mapped[Any] = mapped_column(JSON, default=list)
    opened_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EvaluationRating(Base):
    """One rater's marks for one department; the rater is kept only as a keyed hash, unique per department."""

    __tablename__ = "evaluation_ratings"
    __table_args__ = (
        UniqueConstraint("period_id", "department_id", "rater_digest", name="uq_evaluation_one_rating"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    period_id: Mapped[int] = mapped_column(ForeignKey("evaluation_periods.id"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    rater_digest: Mapped[str] = mapped_column(String(64))
    rater_kind: Mapped[str] = mapped_column(String(20))  # citizen | deputy | organisation
    scores: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
