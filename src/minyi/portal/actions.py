"""Writes of the portal slice: rebuilding the scoreboard's rollup from the record."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.portal.rollup import rebuild
from minyi.uow import unit_of_work


@unit_of_work
def do_rebuild_scoreboard(session: Session, actor: Actor) -> int:
    """Recompute the scoreboard's months from every case (after a holiday change, or cases loaded outside
    minyi); idempotent, one transaction, on the record. The number of cases counted."""
    from minyi.deadlines.clock import calendar
    from minyi.portal import queries
    from minyi.uow import current_tx

    n = rebuild(session, calendar(session))
    tx = current_tx(session)
    assert tx is not None
    tx.record("scoreboard.rebuild", "scoreboard", None, {"cases": n})
    tx.after_commit(queries._CACHE.clear)
    return n
