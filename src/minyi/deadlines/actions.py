"""Administrators' writes to deadlines: policies (the most specific match wins) and the working-day calendar."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import delete, event, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.cases.events import append_event
from minyi.cases.rules import Channel, Kind
from minyi.deadlines.clock import forget_calendar, forget_policies, retime_provisional
from minyi.deadlines.models import CalendarDay, DeadlinePolicyRow
from minyi.deadlines.workcal import WorkCalendar
from minyi.errors import Forbidden, InvalidInput
from minyi.uow import write

KINDS = ("holiday", "workday", "official")

DAY_FIELDS = ("accept_days", "sign_days", "handle_days", "rehandle_days", "evaluation_days",
              "extension_max_days", "remind_before_days", "accountability_after_days")  # fmt: skip


def check_policy(fields: dict[str, Any]) -> None:
    """Refuse a policy a clock cannot run on."""
    if not (fields.get("name") or "").strip():
        raise InvalidInput("请填写规则名称", "a policy needs a name", field="name")
    for name in DAY_FIELDS:
        value = fields.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 365:
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


def do_set_policy(session: Session, actor: Actor, **fields: Any) -> DeadlinePolicyRow:
    """Add a policy, or change the one with the same name; cases take it from their next clock on."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可修改时限规则", "administrators only")
    check_policy(fields)
    name = fields["name"].strip()
    with write(session, actor) as tx:
        row = session.scalar(select(DeadlinePolicyRow).where(DeadlinePolicyRow.name == name))
        created = row is None
        if row is None:
            row = DeadlinePolicyRow(name=name)
            session.add(row)
        row.kind, row.channel, row.urgent = fields.get("kind"), fields.get("channel"), fields.get("urgent")
        for day_field in DAY_FIELDS:
            setattr(row, day_field, fields[day_field])
        session.flush()
        data = {k: fields.get(k) for k in ("kind", "channel", "urgent", *DAY_FIELDS)}
        tx.record("policy.add" if created else "policy.change", "deadline_policy", name, data)
        tx.after_commit(forget_policies)  # caches follow the commit
    return row


def do_set_calendar_day(
    session: Session, actor: Actor, day: date, kind: str, note: str | None = None
) -> None:
    """Make `day` a holiday or a working day, or return it to the official calendar; new clocks follow it."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可调整节假日", "administrators only")
    if kind not in KINDS:
        raise InvalidInput(
            "类型须为放假、上班或恢复官方安排", "kind must be holiday, workday or official", field="kind"
        )
    with write(session, actor) as tx:
        session.execute(delete(CalendarDay).where(CalendarDay.day == day))
        if kind != "official":
            session.add(CalendarDay(day=day, workday=kind == "workday", note=(note or "").strip()[:200] or None,
                                    set_by=actor.user_id))  # fmt: skip
        tx.record("calendar.set_day", "calendar_day", day.isoformat(), {"kind": kind, "note": note})
        tx.after_commit(forget_calendar)  # caches follow the commit


def list_calendar_days(session: Session) -> list[CalendarDay]:
    """The administrators' overrides, by date."""
    return list(session.scalars(select(CalendarDay).order_by(CalendarDay.day)))


def read_schedule(text: str) -> WorkCalendar:
    """Parse an official schedule ({"holidays": [...], "workdays": [...]}, as WorkCalendar.from_file reads)."""
    import json

    try:
        raw = json.loads(text)
        if not isinstance(raw, dict):
            raise ValueError("not an object")
        return WorkCalendar.from_mapping(raw)
    except (ValueError, TypeError) as exc:
        raise InvalidInput(
            f"节假日安排文件无效：{exc}", f"invalid schedule file: {exc}", field="file"
        ) from exc


def make_schedule(holidays: Iterable[date], workdays: Iterable[date]) -> WorkCalendar:
    """A schedule from lists of days (a day both holiday and working day is refused)."""
    try:
        return WorkCalendar.from_overrides(holidays, workdays)
    except ValueError as exc:
        raise InvalidInput(f"节假日安排无效：{exc}", f"invalid schedule: {exc}", field="holidays") from exc


def do_load_schedule(session: Session, actor: Actor, schedule: WorkCalendar, note: str | None = None) -> int:
    """Store a year's official schedule as administrators' days (the year then counts as covered) and re-time the
    open cases whose deadlines were provisional, each on its record; returns how many days were stored."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可调整节假日", "administrators only")
    days = {d: False for d in schedule.extra_holidays} | {d: True for d in schedule.extra_workdays}
    if not days:
        raise InvalidInput("文件中没有日期", "the file lists no days", field="file")
    with write(session, actor) as tx:
        _store_schedule(session, actor, days, note)
        tx.record("calendar.load_schedule", "calendar", None,
                  {"days": len(days), "years": sorted({d.year for d in days}), "note": note})  # fmt: skip
        tx.after_commit(forget_calendar)
    return len(days)


def _store_schedule(session: Session, actor: Actor, days: dict[date, bool], note: str | None) -> None:
    session.execute(delete(CalendarDay).where(CalendarDay.day.in_(list(days))))
    label = (note or "").strip()[:200] or "官方节假日安排"
    session.add_all(
        CalendarDay(day=d, workday=w, note=label, set_by=actor.user_id) for d, w in sorted(days.items())
    )
    session.flush()
    # re-timing below reads the new days; a rollback must not leave them in the cache either
    event.listen(session, "after_rollback", lambda _s: forget_calendar(), once=True)
    for case, before in retime_provisional(session):
        case.version += 1
        data = {"before": before.isoformat() if before else None,
                "after": case.due_at.isoformat() if case.due_at else None, "provisional": case.deadline_provisional}  # fmt: skip
        append_event(
            session, case, actor, "retime", case.status, case.status, note=label, data=data, public=False
        )


def load_schedule_file(path: Path) -> WorkCalendar:
    """Read a schedule file from disk (for `minyi calendar load FILE`)."""
    return read_schedule(Path(path).read_text(encoding="utf-8"))
