"""Reads of inspection rounds. The round's public part is public; what was sent to it, and the clues, go only to
its team (`access.is_round_member`); findings and items to the team, the units concerned and oversight."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import OVERSIGHT, ROUND_CALLS, is_rectifying_unit, is_round_member, may_see_rectification
from minyi.accounts.actor import Actor
from minyi.departments.models import Department
from minyi.errors import NotFound
from minyi.fields import is_id
from minyi.inspection.models import (
    InspectionRound,
    ProblemClue,
    RectificationItem,
    RectificationProgress,
    RoundMember,
    RoundSubmission,
)
from minyi.inspection.rules import Party


def access_round_by_id(session: Session, round_id: int, *, for_update: bool = False) -> InspectionRound:
    """A round (its existence, unit and window are public); 404 when there is none (or no column holds the id)."""
    if not is_id(round_id):
        raise NotFound("巡视巡察", "inspection round")
    stmt = select(InspectionRound).where(InspectionRound.id == round_id)
    rnd = session.scalar(stmt.with_for_update() if for_update else stmt)
    if rnd is None:
        raise NotFound("巡视巡察", "inspection round")
    return rnd


def member_ids(session: Session, round_id: int) -> frozenset[int]:
    return frozenset(session.scalars(select(RoundMember.user_id).where(RoundMember.round_id == round_id)))


def item_unit_ids(session: Session, round_id: int) -> frozenset[int]:
    rows = session.scalars(select(RectificationItem.unit_id).where(RectificationItem.round_id == round_id))
    return frozenset(rows)


def parties(session: Session, actor: Actor, rnd: InspectionRound) -> frozenset[Party]:
    """How the actor stands to the round: team member, responsible unit, call registrar (any of them)."""
    out: set[Party] = set()
    if is_round_member(actor, member_ids(session, rnd.id), rnd.unit_id):
        out.add(Party.team)
    if any(is_rectifying_unit(actor, u) for u in {rnd.unit_id, *item_unit_ids(session, rnd.id)}):
        out.add(Party.unit)
    if actor.role in ROUND_CALLS:
        out.add(Party.intake)
    return frozenset(out)


def is_team(session: Session, actor: Actor, rnd: InspectionRound) -> bool:
    return is_round_member(actor, member_ids(session, rnd.id), rnd.unit_id)


def visible_items(session: Session, actor: Actor, rnd: InspectionRound) -> list[RectificationItem] | None:
    """The rectification items the actor may see (None: the actor may see no findings of this round)."""
    team = member_ids(session, rnd.id)
    items = session.scalars(
        select(RectificationItem)
        .where(RectificationItem.round_id == rnd.id)
        .order_by(RectificationItem.number)
    ).all()
    if (
        is_round_member(actor, team, rnd.unit_id)
        or actor.role in OVERSIGHT
        or is_rectifying_unit(actor, rnd.unit_id)
    ):
        return list(items)
    mine = [i for i in items if may_see_rectification(actor, team, rnd.unit_id, i.unit_id)]
    return mine or None


def access_item(session: Session, actor: Actor, rnd: InspectionRound, item_id: int) -> RectificationItem:
    """An item of this round the actor may see; a missing one and a forbidden one look the same (404)."""
    item = session.get(RectificationItem, item_id)
    if (
        item is None
        or item.round_id != rnd.id
        or not may_see_rectification(actor, member_ids(session, rnd.id), rnd.unit_id, item.unit_id)
    ):
        raise NotFound("整改事项", "rectification item")
    return item


def access_clue(session: Session, actor: Actor, rnd: InspectionRound, clue_id: int) -> ProblemClue:
    """A clue of this round, for its team only (404 for anyone else)."""
    clue = session.get(ProblemClue, clue_id)
    if clue is None or clue.round_id != rnd.id or not is_team(session, actor, rnd):
        raise NotFound("问题线索", "problem clue")
    return clue


def submissions(session: Session, round_id: int, *, held: bool = False) -> list[RoundSubmission]:
    """What was sent to the round, or (`held`) the letters past its cap awaiting review (callers check
    `is_team` first)."""
    stmt = select(RoundSubmission).where(RoundSubmission.round_id == round_id, RoundSubmission.held.is_(held))
    return list(session.scalars(stmt.order_by(RoundSubmission.id)))


def clues(session: Session, round_id: int) -> list[ProblemClue]:
    stmt = select(ProblemClue).where(ProblemClue.round_id == round_id).order_by(ProblemClue.id)
    return list(session.scalars(stmt))


def progress_by_item(session: Session, item_ids: list[int]) -> dict[int, list[RectificationProgress]]:
    out: dict[int, list[RectificationProgress]] = defaultdict(list)
    if item_ids:
        stmt = (
            select(RectificationProgress)
            .where(RectificationProgress.item_id.in_(item_ids))
            .order_by(RectificationProgress.id)
        )
        for p in session.scalars(stmt):
            out[p.item_id].append(p)
    return out


def list_rounds(session: Session) -> list[InspectionRound]:
    """Every round, newest first (public: unit, window, line, stage)."""
    return list(session.scalars(select(InspectionRound).order_by(InspectionRound.id.desc())))


def team_rounds(session: Session, actor: Actor) -> list[InspectionRound]:
    """The rounds whose team the actor sits on."""
    if actor.user_id is None:
        return []
    stmt = (
        select(InspectionRound)
        .join(RoundMember, RoundMember.round_id == InspectionRound.id)
        .where(RoundMember.user_id == actor.user_id)
        .order_by(InspectionRound.id.desc())
    )
    return [r for r in session.scalars(stmt) if is_team(session, actor, r)]


def unit_items(session: Session, actor: Actor) -> list[RectificationItem]:
    """The rectification items the actor's unit is responsible for, by deadline."""
    if actor.department_id is None or not is_rectifying_unit(actor, actor.department_id):
        return []
    stmt = (
        select(RectificationItem)
        .where(RectificationItem.unit_id == actor.department_id)
        .order_by(RectificationItem.due_on, RectificationItem.id)
    )
    return list(session.scalars(stmt))


def unit_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(Department.id, Department.name).where(Department.id.in_(ids)))
    return {r.id: r.name for r in rows}


def inspector_choices(session: Session) -> list[tuple[int, str]]:
    """The inspectors' accounts a team may be made of."""
    from minyi.accounts.models import User

    stmt = (
        select(User.id, User.username)
        .where(User.role == "inspector", User.active.is_(True))
        .order_by(User.id)
    )
    return [(r.id, r.username) for r in session.execute(stmt)]


def unit_choices(session: Session) -> list[tuple[int, str]]:
    """The units a round may inspect, or an item may name as responsible."""
    rows = session.execute(
        select(Department.id, Department.name).where(Department.active.is_(True)).order_by(Department.id)
    )
    return [(r.id, r.name) for r in rows]
