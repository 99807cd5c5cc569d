"""Tables of the organisation: regions (GB/T 2260 style codes), departments and routing rules."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base


class Region(Base):
    """An administrative region; the code's prefix is its parent (province 2, city 4, county 6, street 9 digits)."""

    __tablename__ = "regions"

    code: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("regions.code"), index=True)
    level: Mapped[int] = mapped_column(Integer)


class Department(Base):
    """A body that must answer: a bureau, a district government, a street office."""

    __tablename__ = "departments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    region_code: Mapped[str | None] = mapped_column(String(12), ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class RoutingRule(Base):
    """Cases whose topic and region start with these prefixes go to this department."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    topic_prefix: Mapped[str] = mapped_column(String(40), default="")
    region_prefix: Mapped[str] = mapped_column(String(12), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    priority: Mapped[int] = mapped_column(Integer, default=0)
