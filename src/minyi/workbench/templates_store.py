"""Reusable reply templates (答复模板) offered on the case page: built-in ones and the administrators' own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.cases.models import ReplyTemplateRow
from minyi.errors import Forbidden, InvalidInput
from minyi.locale import N_
from minyi.locale import gettext as _
from minyi.uow import write

BUILT_IN = (
    (
        N_("已办结"),
        N_(
            "您好！您反映的问题已收悉。经核实，我单位已于近日安排人员到现场处理，问题已解决。感谢您对我们工作的监督和支持。"
        ),
    ),
    (
        N_("正在办理"),
        N_(
            "您好！您反映的问题已收悉。我单位已安排专人跟进，预计在规定期限内办理完毕，届时将及时告知您办理结果。"
        ),
    ),
    (N_("政策解释"), N_("您好！关于您咨询的问题，根据相关规定，现答复如下：")),
)


@dataclass(frozen=True)
class ReplyTemplate:
    """A named reply text staff start from."""

    name: str
    text: str


def reply_templates(session: Session) -> list[ReplyTemplate]:
    """Built-in templates, then the administrators' own."""
    return [ReplyTemplate(_(name), _(body)) for name, body in BUILT_IN] + own_templates(session)


def own_templates(session: Session) -> list[ReplyTemplate]:
    """The administrators' own templates, oldest first."""
    rows = session.execute(select(ReplyTemplateRow.name, ReplyTemplateRow.text).order_by(ReplyTemplateRow.id))
    return [ReplyTemplate(name, text) for name, text in rows]


def do_save_reply_template(session: Session, actor: Actor, name: str, text: str) -> None:
    """Add a template, or replace the text of the one with the same name (administrators only)."""
    if actor.role != Role.admin:
        raise Forbidden("仅管理员可维护答复模板", "administrators only")
    name, text = name.strip(), text.strip()
    if not name or not text or len(name) > 100 or len(text) > 10_000:
        raise InvalidInput("请填写模板名称和内容", "a template needs a name and a text", field="name")
    with write(session, actor) as tx:
        row = session.scalar(select(ReplyTemplateRow).where(ReplyTemplateRow.name == name).with_for_update())
        if row is None:
            session.add(ReplyTemplateRow(name=name, text=text))
        else:
            row.text = text
        tx.record("reply_template.add" if row is None else "reply_template.change", "reply_template", name,
                  {"text": text})  # fmt: skip
