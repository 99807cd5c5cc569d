"""The record of votes: each consultation's own hash chain, sealed into the global chain; tampering shows."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.consultation import participation as part
from minyi.consultation.actions import do_close
from minyi.consultation.models import Consultation, VoteRecord
from minyi.consultation.vote_chain import SEALED, seal_all, verify_votes
from minyi.db import reset_caches
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _voted(session: Session, org: Org) -> Consultation:
    c = make_consultation(session, org)
    p, q = part.do_join(session, c), part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="补贴应按楼层分档")
    t = part.do_write_statement(session, c, q, text="施工应避开午休")
    part.do_vote(session, c, p, statement_id=s.id, value=1)
    part.do_vote(
        session, c, p, statement_id=s.id, value=-1
    )  # changed: the log keeps both, the count the last
    part.do_vote(session, c, q, statement_id=t.id, value=0)
    return c


def _entries(session: Session, action: str | None = None) -> int:
    stmt = select(func.count()).select_from(AuditEntry)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    n = int(session.scalar(stmt) or 0)
    session.rollback()
    return n


def test_every_vote_is_on_its_consultations_chain_and_none_takes_a_global_entry(
    session: Session, org: Org
) -> None:
    c = make_consultation(session, org)
    p = part.do_join(session, c)
    s = part.do_write_statement(session, c, p, text="补贴应提高")
    before = _entries(session)
    for value in (1, -1, 0, 1):
        part.do_vote(session, c, p, statement_id=s.id, value=value)
    assert _entries(session) == before
    session.refresh(c)
    assert c.vote_seq == 4
    assert [v for (v,) in session.execute(select(VoteRecord.value).order_by(VoteRecord.seq))] == [1, -1, 0, 1]
    assert verify_votes(session, c.id) == []


def test_the_sweep_and_the_close_seal_the_votes_into_the_global_chain(
    engine: Engine, session: Session, org: Org
) -> None:
    c = _voted(session, org)
    assert seal_all(engine) == 1 and seal_all(engine) == 0
    assert _entries(session, SEALED) == 1
    do_close(session, c, org.actor("housing-head"))
    assert _entries(session, SEALED) == 1  # nothing new since the sweep's seal
    sealed = session.scalar(select(AuditEntry.data).where(AuditEntry.action == SEALED))
    session.refresh(c)
    assert sealed == {"seq": 3, "head": c.vote_head}


@pytest.mark.parametrize("tamper", ["edit", "delete", "cut_after_seal"])
def test_an_edited_deleted_or_cut_vote_breaks_the_record(
    engine: Engine, session: Session, org: Org, tamper: str
) -> None:
    c = _voted(session, org)
    seal_all(engine)
    session.rollback()
    with engine.begin() as conn:  # someone with the database but not the key
        where = (VoteRecord.consultation_id == c.id) & (
            VoteRecord.seq == (2 if tamper != "cut_after_seal" else 3)
        )
        if tamper == "edit":
            conn.execute(update(VoteRecord).where(where).values(value=1))
        else:
            conn.execute(delete(VoteRecord).where(where))
        if tamper == "cut_after_seal":  # and moved the head back to look whole
            prev = conn.execute(
                select(VoteRecord.hash).where(VoteRecord.consultation_id == c.id, VoteRecord.seq == 2)
            ).scalar()
            conn.execute(
                update(Consultation).where(Consultation.id == c.id).values(vote_seq=2, vote_head=prev)
            )
    problems = verify_votes(session, c.id)
    assert problems, tamper


def test_minyi_opinions_verify_names_a_broken_vote_record(
    engine: Engine, session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from minyi.cli import app

    c = _voted(session, org)
    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    assert CliRunner().invoke(app, ["opinions", "verify"]).exit_code == 0
    with engine.begin() as conn:
        conn.execute(
            update(VoteRecord).where(VoteRecord.consultation_id == c.id, VoteRecord.seq == 1).values(value=0)
        )
    broken = CliRunner().invoke(app, ["opinions", "verify"])
    assert broken.exit_code == 1 and "vote 1" in broken.output


def test_minyi_audit_verify_checks_the_vote_records_too(
    engine: Engine, session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from minyi.cli import app

    c = _voted(session, org)
    seal_all(engine)
    session.rollback()
    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    assert CliRunner().invoke(app, ["audit", "verify"]).exit_code == 0
    with engine.begin() as conn:  # a stored vote changed by someone with the database but not the key
        conn.execute(
            update(VoteRecord).where(VoteRecord.consultation_id == c.id, VoteRecord.seq == 2).values(value=1)
        )
    broken = CliRunner().invoke(app, ["audit", "verify"])
    assert broken.exit_code == 1
    assert f"consultation {c.id} vote 2" in broken.output
