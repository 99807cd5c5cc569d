"""Tables of the map slice: one boundary per region."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime, utcnow


class RegionShape(Base):
    """A region's boundary: a GeoJSON Polygon or MultiPolygon in longitude/latitude (validated when loaded)."""

    __tablename__ = "region_shapes"

    code: Mapped[str] = mapped_column(String(12), ForeignKey("regions.code"), primary_key=True)
    geometry: Mapped[Any] = mapped_column(JSON)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
