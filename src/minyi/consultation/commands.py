"""Every organiser's action on a consultation, declared once: path, input schema, do_* call, summary.

The JSON API generates one route per command and the workbench page runs the same command from its form,
both through `execute`: the organiser check (missing and forbidden look the same) cannot drift between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.consultation import actions as act
from minyi.consultation import experts
from minyi.consultation.models import Consultation
from minyi.consultation.queries import access_consultation
from minyi.consultation.schemas import (
    AnswerIn,
    ConfirmIn,
    FinalTextIn,
    GroupsIn,
    HearingIn,
    HideStatementIn,
    InviteIn,
    ModerateIn,
    NoteIn,
)
from minyi.fields import Id
from minyi.uow import write


@dataclass(frozen=True)
class ConsultationCommand:
    """One organiser's action: where the API takes it, what it takes, what it runs."""

    name: str
    path: str
    schema: type[BaseModel]
    run: Callable[[Session, Consultation, Actor, Any], object]
    summary: str


def _moderate(s: Session, c: Consultation, a: Actor, b: Any) -> object:
    return act.do_moderate_comment(s, c, a, comment_id=b.comment_id, decision=b.decision, reason=b.reason)


class ModerateCommentIn(ModerateIn):
    comment_id: Id


class HideIn(HideStatementIn):
    statement_id: Id


COMMANDS: dict[str, ConsultationCommand] = {c.name: c for c in [
    ConsultationCommand("open", "open", NoteIn, lambda s, c, a, b: act.do_open(s, c, a, note=b.note),
                        "开始征求意见 open the draft for comment"),
    ConsultationCommand("close", "close", NoteIn, lambda s, c, a, b: act.do_close(s, c, a, note=b.note),
                        "截止 stop taking part"),
    ConsultationCommand("moderate", "moderation", ModerateCommentIn, _moderate,
                        "审核 publish or hide a comment, with a reason"),
    ConsultationCommand("hide_statement", "statement-visibility", HideIn,
                        lambda s, c, a, b: act.do_hide_statement(s, c, a, statement_id=b.statement_id,
                                                                 hidden=b.hidden, reason=b.reason),
                        "隐藏观点 take a statement off the vote and the map"),
    ConsultationCommand("group", "groups", GroupsIn, lambda s, c, a, b: act.do_group_comments(s, c, a, body=b),
                        "归类意见 group the comments (every published comment in one group)"),
    ConsultationCommand("answer", "answers", AnswerIn,
                        lambda s, c, a, b: act.do_answer_group(s, c, a, group_id=b.group_id, answer=b.answer,
                                                               reason=b.reason),
                        "答复 adopted, partly adopted or not adopted, with the reason"),
    ConsultationCommand("final_text", "final-text", FinalTextIn,
                        lambda s, c, a, b: act.do_set_final_text(s, c, a, clause_id=b.clause_id,
                                                                 final_text=b.final_text),
                        "定稿 the clause as decided"),
    ConsultationCommand("invite", "invitations", InviteIn,
                        lambda s, c, a, b: experts.do_invite(s, c, a, role=b.role, name=b.name,
                                                             affiliation=b.affiliation, email=b.email,
                                                             phone=b.phone),
                        "邀请专家或人大代表 invite an expert or deputy (the name is published with the opinion)"),
    ConsultationCommand("hearing", "hearing", HearingIn,
                        lambda s, c, a, b: experts.do_set_hearing(s, c, a, at=b.hearing_at, place=b.place,
                                                                  capacity=b.capacity),
                        "听证会 announce or move the hearing: when, where, how many places"),
    ConsultationCommand("confirm_registration", "hearing-confirmations", ConfirmIn,
                        lambda s, c, a, b: experts.do_confirm_registration(s, c, a,
                                                                           registration_id=b.registration_id),
                        "确认听证报名 confirm a registrant's place"),
    ConsultationCommand("publish_report", "report", NoteIn,
                        lambda s, c, a, b: act.do_publish_report(s, c, a, note=b.note),
                        "发布反馈报告 publish the feedback report (every group answered)"),
]}  # fmt: skip


def execute(
    session: Session, actor: Actor, consultation_id: int, command: ConsultationCommand, body: BaseModel
) -> object:
    """Run one organiser's command: the organiser check first, then one unit of work on the locked consultation."""
    access_consultation(session, actor, consultation_id, manage=True)
    with write(session, actor):
        c = access_consultation(session, actor, consultation_id, for_update=True, manage=True)
        return command.run(session, c, actor, body)
