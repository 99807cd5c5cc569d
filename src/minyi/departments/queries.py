"""Reads of the organisation: the routing table (cached per database; writes drop it after their commit)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.db import per_database
from minyi.departments.models import RoutingRule
from minyi.departments.rules import Route


@per_database(30.0)
def routes(session: Session) -> list[Route]:
    """The routing table as plain rules (cached for half a minute per database: it changes rarely)."""
    rows = session.execute(
        select(
            RoutingRule.topic_prefix,
            RoutingRule.region_prefix,
            RoutingRule.department_id,
            RoutingRule.priority,
        )
    ).all()
    return [Route(*r) for r in rows]


def forget_routes() -> None:
    """Drop the cached routing table (after an administrator changes it)."""
    routes.forget()  # type: ignore[attr-defined]
