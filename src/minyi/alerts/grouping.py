"""The stored shared grouping: read it for the board, update it from `minyi watch` (inside its unit of work)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from minyi.alerts.models import CaseGroup
from minyi.cases.models import Case
from minyi.db import table_of


def stored_keys(session: Session, since: datetime) -> dict[str, str]:
    """Tracking code -> matter key of every grouped case registered since `since`."""
    rows = session.execute(
        select(Case.tracking_code, CaseGroup.group_key)
        .join(CaseGroup, CaseGroup.case_id == Case.id)
        .where(Case.registered_at >= since)
    ).all()
    return {code: key for code, key in rows}


def store_keys(session: Session, keys: dict[str, str], stored: dict[str, str], now: datetime) -> int:
    """Write the keys that are new or changed (call inside a write); returns how many were written."""
    changed = {code: key for code, key in keys.items() if stored.get(code) != key}
    if not changed:
        return 0
    ids = dict(
        session.execute(
            select(Case.tracking_code, Case.id).where(Case.tracking_code.in_(list(changed)))
        ).all()
    )
    session.execute(delete(CaseGroup).where(CaseGroup.case_id.in_(list(ids.values()))))
    session.execute(
        insert(table_of(CaseGroup)),
        [
            {"case_id": ids[code], "group_key": key, "updated_at": now}
            for code, key in changed.items()
            if code in ids
        ],
    )
    return len(changed)
