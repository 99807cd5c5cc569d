"""Tables of organisations: the organisations, their members' accounts, and what they submitted for people."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class Organisation(Base):
    """A union branch, youth league, women's federation, social organisation, committee, expert body or outlet."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("regions.code"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrganisationMember(Base):
    """A user account (role `member`) that acts for one organisation."""

    __tablename__ = "organisation_members"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)


class OrganisationCase(Base):
    """A case an organisation submitted on a person's behalf (代为反映), with the record of their consent."""

    __tablename__ = "organisation_cases"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    member_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    consent_way: Mapped[str] = mapped_column(String(20))
    consent_on: Mapped[date] = mapped_column(Date)
    consent_person: Mapped[str] = mapped_column(String(100))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
