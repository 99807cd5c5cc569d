"""Administrators' deadline policies: add or change one (the most specific match for a case wins)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.clock import forget_policies
from minyi.cases.models import DeadlinePolicyRow
from minyi.cases.rules import Channel, Kind, Role
from minyi.db import writes
from minyi.errors import Forbidden, InvalidInput

DAY_FIELDS = ("accept_days", "sign_days", "handle_days", "rehandle_days", "evaluation_days",
              "extension_max_days", "remind_before_days", "accountability_after_days")  # fmt: skip


def check_policy(fields: dict[str, Any]) -> None:
    """Refuse a policy a clock cannot run on."""
    if not (fields.get("name") or "").strip():
        raise InvalidInput("请填写规则名称", "a policy needs a name", field="name")
    for name in DAY_FIELDS:
        value = fields.get(name)
        if not isinstance(value, int) or not 0 <= value <= 365:
            raise InvalidInput(
                "天数须为0到365的整数", f"{name} must be a whole number from 0 to 365", field=name
            )
    if fields["extension_max_days"] > 30:
        raise InvalidInput(
            "延期累计不得超过30日", "extensions may total at most 30 days", field="extension_max_days"
        )
    if fields.get("kind") not in (None, *Kind):
        raise InvalidInput("诉求性质无效", "unknown kind", field="kind")
    if fields.get("channel") not in (None, *Channel):
        raise InvalidInput("渠道无效", "unknown channel", field="channel")


@writes
def do_set_policy(session: Session, actor: Actor, **fields: Any) -> DeadlinePolicyRow:
    """Add a policy, or change the one with the same name; cases take it from their next clock on."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可修改时限规则", "administrators only")
    check_policy(fields)
    row = session.scalar(select(DeadlinePolicyRow).where(DeadlinePolicyRow.name == fields["name"].strip()))
    if row is None:
        row = DeadlinePolicyRow(name=fields["name"].strip())
        session.add(row)
    row.kind, row.channel, row.urgent = fields.get("kind"), fields.get("channel"), fields.get("urgent")
    for name in DAY_FIELDS:
        setattr(row, name, fields[name])
    session.flush()
    event.listen(session, "after_commit", lambda _s: forget_policies(), once=True)  # caches follow the commit
    return row
