"""The consultation slice through its actions, on SQLite and PostgreSQL: states, votes, abuse, the answer."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.consultation import actions as act
from minyi.consultation import participation as part
from minyi.consultation import rules
from minyi.consultation.models import Clause, Comment, OpinionMap, Statement, Vote
from minyi.consultation.recompute import recompute, stale_consultations
from minyi.consultation.schemas import GroupIn, GroupsIn
from minyi.db import utcnow
from minyi.errors import Conflict, InvalidInput, NotFound
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _entries(session: Session) -> int:
    n = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    session.rollback()
    return int(n)


def _votes(session: Session) -> int:
    n = session.scalar(select(func.count()).select_from(Vote)) or 0
    session.rollback()
    return int(n)


def test_creating_a_consultation_splits_the_draft_into_clauses_on_the_record(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org, open_it=False)
    numbers = session.scalars(
        select(Clause.number).where(Clause.consultation_id == c.id).order_by(Clause.number)
    ).all()
    assert list(numbers) == [1, 2, 3]
    actions = session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_type == "consultation").order_by(AuditEntry.seq)
    ).all()
    assert actions == ["consultation_create"]


def test_a_vote_can_be_changed_and_only_the_last_one_counts(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="政府补贴应该提高")
    part.do_vote(session, c, p, statement_id=s.id, value=1)
    part.do_vote(session, c, p, statement_id=s.id, value=-1)
    rows = session.execute(select(Vote.value)).scalars().all()
    assert list(rows) == [-1]
    assert session.scalar(select(Statement.seen).where(Statement.id == s.id)) == 1


def test_votes_on_hidden_statements_or_closed_consultations_are_refused_and_nothing_is_written(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    staff = org.actor("housing-head")
    p = part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="费用应按楼层分摊")
    act.do_hide_statement(session, c, staff, statement_id=s.id, hidden=True, reason="重复")
    before = _entries(session)
    with pytest.raises(NotFound):
        part.do_vote(session, c, p, statement_id=s.id, value=1)
    act.do_hide_statement(session, c, staff, statement_id=s.id, hidden=False, reason="恢复")
    act.do_close(session, c, staff)
    before = _entries(session)
    with pytest.raises(rules.ConsultationClosed):
        part.do_vote(session, c, p, statement_id=s.id, value=1)
    assert _votes(session) == 0 and _entries(session) == before


def test_participation_outside_the_dates_is_refused_by_the_server(session: Session, org: Org) -> None:
    c = make_consultation(
        session, org, opens_at=utcnow() + timedelta(days=1), closes_at=utcnow() + timedelta(days=40)
    )
    with pytest.raises(rules.ConsultationClosed):
        part.do_join(session, c)


def test_long_statements_and_comments_are_refused_with_their_field(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    with pytest.raises(InvalidInput) as too_long:
        part.do_write_statement(session, c, p, text="长" * 141)
    assert too_long.value.field == "text" and too_long.value.code == "too_long"
    with pytest.raises(InvalidInput) as comment:
        part.do_comment(session, c, p, clause_id=None, body="长" * (rules.COMMENT_MAX + 1))
    assert comment.value.field == "body"
    assert session.scalar(select(func.count()).select_from(Statement)) == 0


def test_comments_are_redacted_and_flagged_ones_wait_for_a_moderator(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    clause = session.scalars(select(Clause).where(Clause.consultation_id == c.id, Clause.number == 2)).one()
    ok = part.do_comment(session, c, p, clause_id=clause.id, body="补贴太少，电话13812345678联系我")
    assert ok.moderation == "published" and "13812345678" not in ok.public_body
    held = part.do_comment(session, c, p, clause_id=None, body="这些狗官根本不管事")
    assert held.moderation == "held" and "abuse" in held.flags
    act.do_moderate_comment(
        session, c, org.actor("housing-head"), comment_id=held.id, decision="hidden", reason="辱骂"
    )
    assert session.get(Comment, held.id).moderation_reason == "辱骂"  # type: ignore[union-attr]


def test_a_participant_who_writes_too_fast_is_slowed_down(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rules, "RATE_LIMIT", 3)
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    statements = [part.do_write_statement(session, c, p, text=f"观点{i}") for i in range(3)]
    with pytest.raises(rules.RateLimited):
        part.do_vote(session, c, p, statement_id=statements[0].id, value=1)
    assert _votes(session) == 0


def test_support_then_oppose_moves_the_counts_without_doubling(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    author, reader = part.do_join(session, c), part.do_join(session, c)
    cm = part.do_comment(session, c, author, clause_id=None, body="建议增加低层住户补偿")
    part.do_react(session, c, reader, comment_id=cm.id, value=1)
    part.do_react(session, c, reader, comment_id=cm.id, value=1)
    part.do_react(session, c, reader, comment_id=cm.id, value=-1)
    session.refresh(cm)
    assert (cm.support, cm.oppose) == (0, 1)


def test_the_report_is_refused_until_every_group_is_answered(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    staff = org.actor("housing-head")
    p = part.do_join(session, c)
    a = part.do_comment(session, c, p, clause_id=None, body="补贴应提高到三十万元")
    b = part.do_comment(session, c, p, clause_id=None, body="施工时间应避开夜间")
    act.do_close(session, c, staff)
    groups = act.do_group_comments(session, c, staff, body=GroupsIn(groups=[
        GroupIn(title="补贴", comment_ids=[a.id]), GroupIn(title="施工", comment_ids=[b.id])]))  # fmt: skip
    act.do_answer_group(session, c, staff, group_id=groups[0].id, answer="adopted", reason="已提高补贴")
    with pytest.raises(Conflict) as refused:
        act.do_publish_report(session, c, staff)
    assert refused.value.code == "unanswered_groups" and c.state == "closed"
    act.do_answer_group(session, c, staff, group_id=groups[1].id, answer="not_adopted", reason="已有规定")
    act.do_publish_report(session, c, staff)
    assert c.state == "answered"


def test_a_grouping_must_hold_every_published_comment_exactly_once(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    staff = org.actor("housing-head")
    p = part.do_join(session, c)
    a = part.do_comment(session, c, p, clause_id=None, body="意见一")
    part.do_comment(session, c, p, clause_id=None, body="意见二")
    act.do_close(session, c, staff)
    with pytest.raises(InvalidInput):
        act.do_group_comments(
            session, c, staff, body=GroupsIn(groups=[GroupIn(title="一", comment_ids=[a.id])])
        )


def test_the_opinion_map_is_recomputed_from_stored_votes(session: Session, org: Org) -> None:
    c = make_consultation(session, org)
    people = [part.do_join(session, c) for _ in range(8)]
    statements = [part.do_write_statement(session, c, people[i], text=f"观点{i}") for i in range(4)]
    for i, p in enumerate(people):
        for j, s in enumerate(statements):
            part.do_vote(session, c, p, statement_id=s.id, value=1 if (i < 4) == (j < 2) else -1)
    assert stale_consultations(session) == [c.id]
    recompute(session, c.id)
    stored = session.get(OpinionMap, c.id)
    assert stored is not None and stored.data["votes"] == 32
    assert sorted(g["size"] for g in stored.data["groups"]) == [4, 4]
    assert stale_consultations(session) == []


def test_who_voted_on_every_statement_of_a_young_consultation_stays_on_the_map(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    early = [part.do_join(session, c) for _ in range(2)]
    first = [part.do_write_statement(session, c, early[0], text=f"早期观点{i}") for i in range(3)]
    for p in early:  # all there was to vote on: counted (Polis's in-conv), and counted they stay
        for s in first:
            part.do_vote(session, c, p, statement_id=s.id, value=1)
    later = [part.do_join(session, c) for _ in range(16)]
    rest = [part.do_write_statement(session, c, later[0], text=f"后来观点{i}") for i in range(7)]
    for i, p in enumerate(later):
        for j, s in enumerate(first + rest):
            part.do_vote(session, c, p, statement_id=s.id, value=1 if (i < 8) == (j % 2 == 0) else -1)
    recompute(session, c.id)
    stored = session.get(OpinionMap, c.id)
    assert (
        stored is not None and len(stored.data["points"]) == 18
    )  # 16 by the 7-vote rule, and the 2 early ones
