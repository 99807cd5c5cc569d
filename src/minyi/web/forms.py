"""Turning submitted HTML forms into the core's schemas, with a translated message per field."""

from __future__ import annotations

import re
import secrets
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from minyi.accounts.actor import CITIZEN, Actor
from minyi.cases.models import Case
from minyi.cases.schemas import MAX_BODY, CaseSubmission
from minyi.errors import Conflict
from minyi.intake.actions import do_submit_case
from minyi.locale import N_, current_locale
from minyi.locale import gettext as _

SUBMIT_FIELDS = (
    "kind",
    "title",
    "body",
    "topic_code",
    "region_code",
    "address",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_notify_by",
    "latitude",
    "longitude",
)

FIELD_MESSAGES = {
    "kind": N_("请选择诉求类型"),
    "title": N_("请填写标题（不超过200字）"),
    "body": N_("请填写详细内容（不超过10000字）"),
    "topic_code": N_("问题分类不存在，请重新选择"),
    "region_code": N_("所在区域不存在，请重新选择"),
    "address": N_("具体地点不超过300字"),
    "contact_name": N_("姓名不超过100字"),
    "contact_phone": N_("电话号码格式不正确，只能包含数字、空格和 + - ( )"),
    "contact_email": N_("电子邮箱格式不正确"),
    "contact_notify_by": N_("请填写所选通知方式对应的手机号码或电子邮箱"),
    "latitude": N_("所选位置无效，请在地图上重新选择"),
    "longitude": N_("所选位置无效，请在地图上重新选择"),
    "consent": N_("请确认内容属实并同意使用您提供的信息"),
    "channel": N_("请选择渠道"),
    "on_behalf_of": N_("代为反映者不超过200字"),
    "visibility": N_("请选择是否公开"),
}


SUBMIT_TOKEN = "submit_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def new_submit_token() -> str:
    """The one-time token a freshly shown submit form carries (the idempotency key of what it creates)."""
    return secrets.token_urlsafe(18)


def submit_once(session: Session, sub: CaseSubmission, form: FormData, actor: Actor = CITIZEN) -> Case:
    """Register a form's demand once: the same form posted again (back and resubmit, a double click, two tabs)
    answers with the case it created."""
    token = text(form, SUBMIT_TOKEN)
    key = f"form:{token}" if _TOKEN.match(token) else None
    try:
        case, _created = do_submit_case(session, sub, actor=actor, idempotency_key=key)
    except Conflict as exc:
        if exc.field != "Idempotency-Key":
            raise
        raise Conflict(
            "这份表单已经提交过，内容又有改动。如要再反映一件事，请在下面重新打开的表单中提交。",
            "This form was already sent and has since been changed. To raise another matter, send the fresh form below.",
            field=SUBMIT_TOKEN,
        ) from exc
    return case


def field_message(name: str) -> str:
    """The translated message shown next to a field that was refused."""
    return _(FIELD_MESSAGES.get(name, "请检查此项"))


def text(form: FormData, name: str) -> str:
    """A trimmed text value of the form ('' when absent)."""
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def submission_from_form(
    form: FormData, *, staff: bool = False
) -> tuple[CaseSubmission | None, dict[str, str], dict[str, Any]]:
    """The submission, the errors by field, and the values to show again when the form is refused.

    Staff registering a call or a letter also give the channel and who submits on behalf of people; the consent
    box is the citizen's own and is not asked of them.
    """
    values: dict[str, Any] = {name: text(form, name) for name in SUBMIT_FIELDS}
    if staff:
        values.update(channel=text(form, "channel") or "hotline", on_behalf_of=text(form, "on_behalf_of"))
    values.update(
        anonymous=bool(form.get("anonymous")),
        consent=bool(form.get("consent")),
        visibility=text(form, "visibility") or "public",
    )
    errors: dict[str, str] = {}
    if not values["consent"] and not staff:
        errors["consent"] = field_message("consent")
    if len(values["body"]) > MAX_BODY:  # said plainly, never cut
        errors["body"] = _("详细内容有%(n)s字，超过了%(max)s字的上限，请删减后再提交") % {
            "n": len(values["body"]),
            "max": MAX_BODY,
        }
    contact = {"name": values["contact_name"] or None, "phone": values["contact_phone"] or None,
               "email": values["contact_email"] or None, "notify_by": values["contact_notify_by"] or None}  # fmt: skip
    if any(contact.values()) and current_locale() == "en":
        contact["language"] = "en"  # notifications in the language the person used
    data = {
        "kind": values["kind"] or None,
        "title": values["title"],
        "body": values["body"],
        "topic_code": values["topic_code"] or None,
        "region_code": values["region_code"] or None,
        "address": values["address"] or None,
        "latitude": values["latitude"] or None,
        "longitude": values["longitude"] or None,
        "visibility": values["visibility"],
        "anonymous": values["anonymous"],
        "contact": contact if any(contact.values()) else None,
    }
    if staff:
        data.update(channel=values["channel"], on_behalf_of=values["on_behalf_of"] or None)
    try:
        sub = CaseSubmission.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = [str(p) for p in err["loc"]]
            name = "contact_" + loc[1] if loc[0] == "contact" and len(loc) > 1 else loc[0]
            name = "contact_notify_by" if name == "contact" else name  # the channel chosen was not given
            errors.setdefault(name, field_message(name))
        return None, _ordered(errors), values
    return (None if errors else sub), _ordered(errors), values


def _ordered(errors: dict[str, str]) -> dict[str, str]:
    order = {name: i for i, name in enumerate((*SUBMIT_FIELDS, "visibility", "consent"))}
    return dict(sorted(errors.items(), key=lambda kv: order.get(kv[0], 99)))
