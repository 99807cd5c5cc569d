"""The ladder's last rung (通报/问责) opens an accountability record, in the same unit of work as its event.

Registered on the case events (`cases.events.on_events`), so the sweep imports nothing of this slice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accountability.actions import add_record
from minyi.accountability.models import AccountabilityRecord
from minyi.accountability.rules import Form, Ground
from minyi.accountability.schemas import RecordIn
from minyi.accounts.actor import SYSTEM
from minyi.cases.events import on_events
from minyi.cases.models import Case

ACCOUNTABILITY_RUNG = 3


def _rung(event: Mapping[str, Any]) -> int:
    data = event.get("data") or {}
    return int(data.get("level", 0)) if event.get("action") == "escalate" and isinstance(data, dict) else 0


@on_events
def open_records_for_rung(session: Session, events: Sequence[Mapping[str, Any]]) -> int:
    """One record per case event of the accountability rung: late case, proposed public criticism."""
    wanted = [e for e in events if _rung(e) >= ACCOUNTABILITY_RUNG]
    if not wanted:
        return 0
    keys = {f"case:{e['case_id']}:event:{e['seq']}": e for e in wanted}
    taken = set(
        session.scalars(
            select(AccountabilityRecord.ladder_key).where(AccountabilityRecord.ladder_key.in_(keys))
        )
    )
    rows = session.execute(
        select(Case.id, Case.department_id).where(Case.id.in_({e["case_id"] for e in wanted}))
    )
    units = {r.id: r.department_id for r in rows}
    made = 0
    for key, ev in keys.items():
        unit = units.get(ev["case_id"])
        if key in taken or unit is None:
            continue
        body = RecordIn(unit_id=unit, ground=Ground.late_cases, form=Form.public_criticism, case_ids=[ev["case_id"]],
                        summary=f"诉求 #{ev['case_id']} 办理超期，阶梯督办已至通报/问责 (stage {(ev.get('data') or {}).get('stage', '')})")  # fmt: skip
        add_record(session, SYSTEM, body, source="ladder", ladder_key=key)
        made += 1
    return made
