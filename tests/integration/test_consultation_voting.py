"""The vote's hot path (`voting.do_cast_vote`) on SQLite and PostgreSQL: few statements, every refusal made again
under the write, nothing half-written, and the flooding participant refused without touching the database."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from minyi.consultation import actions as act
from minyi.consultation import participation as part
from minyi.consultation import rules, voting
from minyi.consultation.models import Consultation, Participant, Statement, Vote, VoteRecord
from minyi.consultation.participants import BadParticipant, new_pseudonym, participant_token
from minyi.consultation.vote_chain import verify_votes
from minyi.db import session_factory, utcnow
from minyi.errors import NotFound
from minyi.uow import end_read, write
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org
from tests.web.pages_support import count_queries


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _written(session: Session) -> tuple[int, int, int]:
    row = (
        session.scalar(select(func.count()).select_from(Vote)) or 0,
        session.scalar(select(func.count()).select_from(VoteRecord)) or 0,
        session.scalar(select(func.sum(Statement.seen))) or 0,
    )
    end_read(session)
    return row


def _voter(session: Session, org: Org, text: str) -> tuple[Consultation, Participant, Statement, str]:
    """An open consultation, a participant, a statement of theirs and their signed id."""
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    return c, p, part.do_write_statement(session, c, p, text=text), participant_token(c.id, p.pseudonym)


def _cast(session: Session, c: Consultation, token: str | None, statement_id: int, value: int = 1) -> int:
    return voting.do_cast_vote(session, c.id, token, statement_id=statement_id, value=value)


def test_a_vote_is_one_read_and_its_writes_and_its_chain_verifies(
    engine: Engine, session: Session, org: Org
) -> None:
    c, _, s, token = _voter(session, org, "补贴应按楼层区分")
    _cast(session, c, token, s.id)  # the consultation's dates are remembered from here on
    with count_queries(engine) as seen:
        assert _cast(session, c, token, s.id, -1) == -1  # a change: the last vote counts
    # the one read, the vote, the rate counter, the chain link and its head: no read before the write
    assert len(seen) == 5, seen
    assert session.scalars(select(Vote.value)).all() == [-1]
    assert session.scalar(select(Statement.seen).where(Statement.id == s.id)) == 1
    session.expire_all()  # the consultation as stored, with its chain head
    assert verify_votes(session, c.id) == []
    end_read(session)


def test_the_page_and_the_demo_path_votes_with_as_few_statements(
    engine: Engine, session: Session, org: Org
) -> None:
    c, p, s, _ = _voter(session, org, "施工应避开午休")
    with count_queries(engine) as seen:
        part.do_vote(session, c, p, statement_id=s.id, value=1)
    # a new vote also counts the statement as seen; PostgreSQL tries the update first (the old path ran 9)
    assert len(seen) == 6 + (engine.dialect.name == "postgresql"), seen
    assert _written(session) == (1, 1, 1)


def test_a_consultation_closed_since_it_was_remembered_is_refused_under_the_write(
    session: Session, org: Org
) -> None:
    c, _, s, token = _voter(session, org, "电梯应优先安装在高层")
    _cast(session, c, token, s.id)
    # closed as another process would close it: this one still remembers it open
    act.do_close(session, c, org.actor("housing-head"))
    before = _written(session)
    with pytest.raises(rules.ConsultationClosed):
        _cast(session, c, token, s.id, 0)
    assert _written(session) == before
    with pytest.raises(rules.ConsultationClosed):  # now refused before the write, from one read
        _cast(session, c, token, s.id, 0)


def test_forged_foreign_and_unknown_participants_and_hidden_statements_write_nothing(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    other = make_consultation(session, org)
    p = part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="费用应按楼层分摊")
    foreign = part.do_write_statement(session, other, part.do_join(session, other), text="另一项意见")
    token = participant_token(c.id, p.pseudonym)
    before = _written(session)
    for bad in (None, "x.y", token[:-2] + "AA", participant_token(other.id, p.pseudonym)):
        with pytest.raises(BadParticipant):
            _cast(session, c, bad, s.id)
    unknown = participant_token(
        c.id, new_pseudonym()
    )  # signed, but no such participant: found under the write
    with pytest.raises(BadParticipant):
        _cast(session, c, unknown, s.id)
    with pytest.raises(NotFound):
        voting.do_cast_vote(session, 999_999, token, statement_id=s.id, value=1)
    for sid in (foreign.id, 999_999, 0):
        with pytest.raises(NotFound):
            _cast(session, c, token, sid)
    staff = org.actor("housing-head")
    act.do_hide_statement(session, c, staff, statement_id=s.id, hidden=True, reason="重复")
    with pytest.raises(NotFound):
        _cast(session, c, token, s.id)
    assert _written(session) == before


def test_a_draft_is_missing_to_a_voter(session: Session, org: Org) -> None:
    c = make_consultation(session, org, open_it=False)
    p = Participant(consultation_id=c.id, pseudonym=new_pseudonym())
    with write(session, org.actor("housing-head"), bookkeeping="a participant planted in a draft"):
        session.add(p)
    with pytest.raises(NotFound):
        _cast(session, c, participant_token(c.id, p.pseudonym), 1)


def test_a_flooding_participant_is_refused_then_turned_away_without_a_statement(
    engine: Engine, session: Session, org: Org
) -> None:
    c, p, s, token = _voter(session, org, "应设立监督小组")
    with write(session, org.actor("housing-head"), bookkeeping="the counter at its limit"):
        row = session.get(Participant, p.id)
        assert row is not None
        row.last_write_at, row.writes_in_window = utcnow() - timedelta(seconds=5), rules.RATE_LIMIT
    cid, sid = c.id, s.id
    before = _written(session)
    with pytest.raises(rules.RateLimited):
        voting.do_cast_vote(session, cid, token, statement_id=sid, value=1)
    with count_queries(engine) as seen, pytest.raises(rules.RateLimited):
        voting.do_cast_vote(session, cid, token, statement_id=sid, value=1)
    assert seen == []
    assert _written(session) == before


def test_a_vote_that_waited_for_the_participants_lock_replaces_the_one_committed_meanwhile(
    engine: Engine, session: Session, org: Org
) -> None:
    """PostgreSQL: the vote's one read waits for the participant's row lock; its snapshot predates the vote
    committed meanwhile, so the vote must still replace that vote rather than fail on the unique key."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite writers take turns before they read")
    c, p, s, token = _voter(session, org, "停车位应按户分配")
    cid, pid, sid = c.id, p.id, s.id
    end_read(session)
    outcome: list[object] = []
    with engine.connect() as other:
        with other.begin():
            other.execute(
                text("SELECT id FROM consultation_participants WHERE id = :p FOR UPDATE"), {"p": pid}
            )
            other.execute(
                text("INSERT INTO consultation_votes (consultation_id, statement_id, participant_id, value, at) "
                     "VALUES (:c, :s, :p, 1, now())"), {"c": cid, "s": sid, "p": pid}
            )  # fmt: skip

            def vote() -> None:
                with session_factory(engine)() as mine:
                    try:
                        outcome.append(voting.do_cast_vote(mine, cid, token, statement_id=sid, value=-1))
                    except Exception as error:  # noqa: BLE001 - the test reports it
                        outcome.append(error)

            voter = threading.Thread(target=vote)
            voter.start()
            with engine.connect() as watch:
                for _ in range(200):  # until the vote waits for the lock
                    if watch.scalar(text("SELECT count(*) FROM pg_locks WHERE NOT granted")):
                        break
                    time.sleep(0.05)
        voter.join(30)
    assert outcome == [-1]
    assert session.scalars(select(Vote.value).where(Vote.statement_id == sid)).all() == [-1]
