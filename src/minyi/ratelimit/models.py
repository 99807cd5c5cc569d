"""The table of shared rate counters."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base


class RateCounter(Base):
    """Requests counted per bucket in fixed windows, so that every process of the app counts against one limit.

    `bucket` is a keyed hash of the limit's name and the identifier it counts (an address, an account, a client):
    never the raw address, phone or e-mail. Rows past `expires` (epoch seconds) no longer count; the sweep
    removes them."""

    __tablename__ = "rate_counters"

    bucket: Mapped[str] = mapped_column(String(40), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)
    expires: Mapped[int] = mapped_column(BigInteger, index=True)
