"""What each audience sees of a round: the public part for all; findings and items for those the access rules
allow; letters, calls and clues for the team only."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.db import utcnow
from minyi.deadlines.clock import calendar
from minyi.inspection.models import InspectionRound, RectificationItem
from minyi.inspection.queries import clues, is_team, progress_by_item, submissions, unit_names, visible_items
from minyi.inspection.rules import item_label, mailbox_open, stage_label
from minyi.inspection.schemas import ClueOut, ItemOut, ProgressOut, RoundOut, SubmissionOut


def item_views(session: Session, items: list[RectificationItem]) -> list[ItemOut]:
    progress = progress_by_item(session, [i.id for i in items])
    return [
        ItemOut(
            id=i.id,
            number=i.number,
            problem=i.problem,
            unit_id=i.unit_id,
            post=i.post,
            measures=i.measures,
            due_on=i.due_on,
            evidence_required=i.evidence_required,
            status=i.status,
            status_label=item_label(i.status),
            decision_reason=i.decision_reason,
            progress=[ProgressOut.model_validate(p, from_attributes=True) for p in progress[i.id]],
        )  # fmt: skip
        for i in items
    ]


def public_round(session: Session, rnd: InspectionRound) -> RoundOut:
    """The part of a round that is public: the unit, the window, the ways to reach the team, the stage."""
    today = calendar(session).local_date(utcnow())
    return RoundOut(
        id=rnd.id, title=rnd.title, unit_id=rnd.unit_id, unit_name=unit_names(session, {rnd.unit_id}).get(rnd.unit_id, ""),
        starts_on=rnd.starts_on, ends_on=rnd.ends_on, phone=rnd.phone, stage=rnd.stage,
        stage_label=stage_label(rnd.stage), mailbox_open=mailbox_open(rnd.stage, rnd.starts_on, rnd.ends_on, today),
        version=rnd.version,
    )  # fmt: skip


def round_view(session: Session, actor: Actor, rnd: InspectionRound) -> RoundOut:
    """The round as this member of staff may see it."""
    out = public_round(session, rnd)
    items = visible_items(session, actor, rnd)
    if items is not None:
        out.findings, out.rectification_due = rnd.findings, rnd.rectification_due
        out.items = item_views(session, items)
    if is_team(session, actor, rnd):
        out.submissions = [
            SubmissionOut.model_validate(s, from_attributes=True) for s in submissions(session, rnd.id)
        ]
        out.held = [
            SubmissionOut.model_validate(s, from_attributes=True)
            for s in submissions(session, rnd.id, held=True)
        ]
        out.clues = [ClueOut.model_validate(c, from_attributes=True) for c in clues(session, rnd.id)]
    return out
