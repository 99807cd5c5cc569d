"""Consultation dates are kept by the server: the sweep opens and closes on time, writes outside refuse."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.consultation import actions as act
from minyi.consultation import participation as part
from minyi.consultation import rules, voting
from minyi.consultation.models import Comment, CommentReaction, Consultation, Participant, Statement, Vote
from minyi.consultation.schedule import sweep_consultations
from minyi.consultation.schemas import GroupIn, GroupsIn
from minyi.db import utcnow
from minyi.deadlines.sweep import sweep
from minyi.errors import Conflict
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _state(session: Session, consultation_id: int) -> str:
    state = session.scalar(select(Consultation.state).where(Consultation.id == consultation_id))
    session.rollback()
    return str(state)


def _schedule_entries(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(AuditEntry.action, AuditEntry.actor_role).where(AuditEntry.action.in_(["consultation_start",
                                                                                  "consultation_close"]))
        .order_by(AuditEntry.seq)
    ).all()  # fmt: skip
    session.rollback()
    return [(a, str(who)) for a, who in rows]


def _written(session: Session) -> tuple[int, ...]:
    counts = tuple(
        int(session.scalar(select(func.count()).select_from(m)) or 0)
        for m in (AuditEntry, Participant, Comment, CommentReaction, Statement, Vote)
    )
    session.rollback()
    return counts


def test_the_sweep_opens_a_scheduled_consultation_and_closes_it_on_its_dates_on_the_record(
    engine: Engine, session: Session, org: Org
) -> None:
    opens, closes = utcnow() + timedelta(days=1), utcnow() + timedelta(days=31)
    c = make_consultation(session, org, opens_at=opens, closes_at=closes)
    assert c.state == rules.State.scheduled
    assert sweep_consultations(engine, opens - timedelta(seconds=1)).started == 0
    assert _state(session, c.id) == "scheduled"
    report = sweep(engine, now=opens + timedelta(minutes=1))  # `minyi sweep` runs it
    assert report.consultations == {"started": 1, "closed": 0, "votes_sealed": 0}
    assert _state(session, c.id) == "open"
    assert sweep_consultations(engine, closes - timedelta(seconds=1)).closed == 0
    assert sweep_consultations(engine, closes).closed == 1
    assert _state(session, c.id) == "closed"
    again = sweep_consultations(engine, closes + timedelta(days=1))
    assert (again.started, again.closed) == (0, 0)
    entries = _schedule_entries(session)
    assert [a for a, _ in entries] == ["consultation_start", "consultation_close"]
    assert all("system" in who for _, who in entries)


def test_a_scheduled_consultation_past_both_dates_is_closed_in_one_sweep(
    engine: Engine, session: Session, org: Org
) -> None:
    opens = utcnow() + timedelta(days=1)
    c = make_consultation(session, org, opens_at=opens, closes_at=opens + timedelta(days=30))
    assert sweep_consultations(engine, opens + timedelta(days=40)).closed == 1
    assert _state(session, c.id) == "closed"


def test_every_participant_write_refuses_outside_the_window_and_writes_nothing(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = make_consultation(session, org, closes_at=utcnow() + timedelta(days=30))
    p, other = part.do_join(session, c), part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="补贴应按楼层区分")
    cm = part.do_comment(session, c, other, clause_id=None, body="施工应避开午休")
    frozen: datetime = c.closes_at  # the close instant, before any sweep has run: the state still says open
    monkeypatch.setattr(part, "utcnow", lambda: frozen)
    monkeypatch.setattr(voting, "utcnow", lambda: frozen)
    before = _written(session)
    writes: list[Callable[[], object]] = [
        lambda: part.do_join(session, c),
        lambda: part.do_comment(session, c, p, clause_id=None, body="再提一条"),
        lambda: part.do_write_statement(session, c, p, text="再写一条"),
        lambda: part.do_vote(session, c, p, statement_id=s.id, value=1),
        lambda: part.do_react(session, c, p, comment_id=cm.id, value=1),
    ]
    for attempt in writes:
        with pytest.raises(rules.ConsultationClosed):
            attempt()
    assert _written(session) == before


def test_the_organisers_answer_waits_for_the_close(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    staff = org.actor("housing-head")
    cm = part.do_comment(session, c, part.do_join(session, c), clause_id=None, body="意见")
    with pytest.raises(Conflict):
        act.do_group_comments(
            session, c, staff, body=GroupsIn(groups=[GroupIn(title="一", comment_ids=[cm.id])])
        )
    with pytest.raises(Conflict):
        act.do_publish_report(session, c, staff)
