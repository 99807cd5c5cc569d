"""Administration pages: departments, staff and roles, routing rules, deadline policies, holidays, templates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from starlette.datastructures import FormData

from minyi.accounts.actions import CONSOLE_ONLY_ROLES, STAFF_ROLES, do_create_user
from minyi.cases.rules import Channel, Kind
from minyi.db import utcnow
from minyi.deadlines.actions import (
    do_load_schedule,
    do_set_calendar_day,
    do_set_policy,
    list_calendar_days,
    read_schedule,
)
from minyi.deadlines.clock import calendar, load_policies
from minyi.deadlines.queries import uncovered_years
from minyi.departments.actions import do_add_department, do_add_routing_rule
from minyi.deps import SessionDep
from minyi.errors import MinyiError
from minyi.fields import form_int
from minyi.locale import pick
from minyi.web.auth import StaffPage, current_staff, require_role
from minyi.web.forms import text
from minyi.web.rendering import PageRoute, redirect, render
from minyi.web.signing import check_csrf
from minyi.workbench.queries import departments, region_names, routing_rules, staff_users, topic_names
from minyi.workbench.templates_store import do_save_reply_template, reply_templates

router = APIRouter(prefix="/admin", route_class=PageRoute)
POLICY_FIELDS = [
    ("accept_days", "受理时限", 15), ("sign_days", "签收时限", 3), ("handle_days", "办理时限", 60),
    ("rehandle_days", "重办时限", 30), ("evaluation_days", "评价期", 10), ("extension_max_days", "最多延期", 30),
    ("remind_before_days", "提前催办", 5), ("accountability_after_days", "超期后通报", 10),
]  # fmt: skip
Form = Annotated[FormData, Depends(check_csrf)]


def admin_page(
    request: Request,
    session: SessionDep,
    error: str | None = None,
    status: int = 200,
    notice: str | None = None,
) -> Response:
    """The administration page, with an error or a one-time notice (a temporary password) on top."""
    cal = calendar(session)
    today = cal.local_date(utcnow())
    upcoming = [(d, cal.is_workday(d)) for d in (today + timedelta(days=i) for i in range(90))]
    context = {
        "departments": departments(session, active_only=False), "users": staff_users(session),
        "rules": routing_rules(session), "policies": load_policies(session), "roles": sorted(STAFF_ROLES - CONSOLE_ONLY_ROLES),
        "days_off": [d for d, work in upcoming if not work and d.weekday() < 5],
        "workdays_weekend": [d for d, work in upcoming if work and d.weekday() >= 5],
        "templates": reply_templates(session), "error": error, "kinds": [k.value for k in Kind],
        "channels": [c.value for c in Channel], "policy_fields": POLICY_FIELDS,
        "overrides": list_calendar_days(session), "uncovered_years": uncovered_years(session, utcnow()),
        "notice": notice, "topic_names": topic_names(), "region_names": region_names(session),
    }  # fmt: skip
    return render(request, "workbench/admin.html", context, status=status)


@router.get("")
def admin_home(request: Request, session: SessionDep, actor: StaffPage) -> Response:
    """Everything an administrator configures, on one page with a section each."""
    require_role(actor, "admin")
    return admin_page(request, session)


@router.post("/{what}")
def admin_add(request: Request, session: SessionDep, form: Form, what: str) -> Response:
    """Add a department, a member of staff, a routing rule or a reply template through the core's actions."""
    actor = current_staff(request, session)
    require_role(actor, "admin")
    try:
        if what == "departments":
            do_add_department(session, actor, code=text(form, "code"), name=text(form, "name"),
                              name_en=text(form, "name_en") or None, region_code=text(form, "region_code") or None)  # fmt: skip
        elif what == "users":
            dept = text(form, "department_id")
            do_create_user(session, actor, username=text(form, "username"), password=str(form.get("password") or ""),
                           role=text(form, "role"), display_name=text(form, "display_name") or None,
                           department_id=form_int(dept, "department_id", 1) if dept else None)  # fmt: skip
        elif what == "routing-rules":
            do_add_routing_rule(session, actor, topic_prefix=text(form, "topic_prefix"),
                                region_prefix=text(form, "region_prefix"),
                                department_id=form_int(text(form, "department_id"), "department_id", 1),
                                priority=form_int(text(form, "priority") or "0", "priority", -1000, 1000))  # fmt: skip
        elif what == "calendar":
            do_set_calendar_day(session, actor, date.fromisoformat(text(form, "day")), text(form, "kind"),
                                text(form, "note") or None)  # fmt: skip
        elif what == "calendar-schedule":
            do_load_schedule(
                session, actor, read_schedule(text(form, "schedule")), text(form, "note") or None
            )
        elif what == "policies":
            urgent = text(form, "urgent")
            do_set_policy(session, actor, name=text(form, "name"), kind=text(form, "kind") or None,
                          channel=text(form, "channel") or None, urgent=None if urgent == "" else urgent == "1",
                          **{f: form_int(text(form, f) or "-1", f, -1, 365) for f, _t, _d in POLICY_FIELDS})  # fmt: skip
        elif what == "reply-templates":
            do_save_reply_template(session, actor, text(form, "name"), text(form, "text"))
        else:
            return redirect("/staff/admin")
    except (MinyiError, ValueError) as exc:
        session.rollback()
        message = pick(exc.message_zh, exc.message_en) if isinstance(exc, MinyiError) else str(exc)
        return admin_page(request, session, message, 422)
    anchor = "calendar" if what == "calendar-schedule" else what
    return redirect(f"/staff/admin?done={what}#{anchor}")
