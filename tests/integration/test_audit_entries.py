"""The administrators' audit entries, the append-only guards, checkpoints and the audit commands."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.audit.checkpoint import do_seal_checkpoint
from minyi.audit.log import append_entry, verify_entries
from minyi.audit.models import APPEND_ONLY, AuditCheckpoint, AuditEntry, CheckpointLeaf
from minyi.audit.verify import check_record
from minyi.cases import actions as act
from minyi.db import session_factory, utcnow
from minyi.deadlines.sweep import sweep
from minyi.uow import write
from tests.support.factories import make_org, submit
from tests.support.parallel import run_parallel
from tests.support.tamper import OUTSIDER, past_the_guard

ADMIN = Actor(Role.admin, "管理员", user_id=None)


def _entries(session: Session, n: int) -> None:
    for i in range(n):
        with write(session, ADMIN):
            data = {"name": f"第{i}局", "at": utcnow()}
            append_entry(session, ADMIN, "department.update", "department", i + 1, data)


def test_entries_form_one_verified_chain(session: Session) -> None:
    _entries(session, 3)
    rows = session.execute(select(AuditEntry.seq, AuditEntry.object_id, AuditEntry.prev_hash)).all()
    assert [(r.seq, r.object_id) for r in rows] == [(1, "1"), (2, "2"), (3, "3")]
    assert list(verify_entries(session)) == []


def test_an_edited_inserted_or_deleted_entry_is_named(session: Session) -> None:
    _entries(session, 4)
    head = session.get(AuditEntry, 4)
    assert head is not None
    forged = AuditEntry(seq=5, at=head.at, actor_role="admin", actor_label="x", action="user.create",
                        object_type="user", data={}, prev_hash=head.hash, hash="0" * 64)  # fmt: skip
    with write(session, ADMIN, bookkeeping=OUTSIDER):
        session.add(forged)
    assert list(verify_entries(session)) == ["audit entry 5: content does not match its hash (edited)"]
    past_the_guard(session, "audit_entries", delete(AuditEntry).where(AuditEntry.seq == 5))
    past_the_guard(session, "audit_entries", update(AuditEntry).where(AuditEntry.seq == 2).values(data={}))
    assert list(verify_entries(session)) == ["audit entry 2: content does not match its hash (edited)"]
    past_the_guard(session, "audit_entries", delete(AuditEntry).where(AuditEntry.seq == 2))
    assert list(verify_entries(session)) == ["audit entry 2: missing (found 3 next)"]


def test_a_deleted_entry_tail_is_caught_by_the_checkpoint(session: Session) -> None:
    _entries(session, 3)
    do_seal_checkpoint(session)
    past_the_guard(session, "audit_entries", delete(AuditEntry).where(AuditEntry.seq == 3))
    assert list(verify_entries(session)) == []
    assert check_record(session).problems == ["audit entry 3: sealed by checkpoint 1 but missing or changed"]


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_append_only_tables_refuse_update_and_delete(session: Session, table: str) -> None:
    _entries(session, 1)
    make_org(session)
    submit(session)
    do_seal_checkpoint(session)
    rows = session.scalar(select(func.count()).select_from(text(table)))
    assert rows
    column = {"audit_entries": "hash", "audit_checkpoints": "root", "audit_checkpoint_leaves": "head"}[table]
    for statement in (f"UPDATE {table} SET {column} = 'x'", f"DELETE FROM {table}"):
        with pytest.raises(DBAPIError, match="append-only"):
            session.execute(text(statement))
        session.rollback()
    assert session.scalar(select(func.count()).select_from(text(table))) == rows  # nothing changed


def test_concurrent_writers_append_one_chain(engine: Engine) -> None:
    def append_eight() -> None:
        with session_factory(engine)() as s:
            _entries(s, 8)

    assert run_parallel(append_eight, 4) == []
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 32
        assert list(verify_entries(s)) == []


def test_checkpoints_store_only_changed_heads_and_their_roots_add_up(session: Session) -> None:
    org = make_org(session)
    a, _b = submit(session, title="路灯不亮"), submit(session, title="噪音扰民")
    first = do_seal_checkpoint(session)
    act.do_accept(session, a, org.actor("intake"))
    second = do_seal_checkpoint(session)
    assert first is not None and second is not None
    assert (first.case_count, first.changed_count, second.changed_count) == (2, 2, 1)
    assert first.root != second.root and check_record(session, first.root).problems == []
    assert check_record(session, "0" * 64).problems == [f"published root {'0' * 64} is not in the record "
                                                        "(checkpoints rewritten)"]  # fmt: skip
    past_the_guard(
        session, "audit_checkpoint_leaves", delete(CheckpointLeaf).where(CheckpointLeaf.checkpoint_id == 2)
    )
    assert check_record(session).problems == [
        f"checkpoint 2: its sealed leaves no longer give its root {second.root}"
    ]


def test_the_sweep_seals_a_checkpoint_when_the_last_is_an_hour_old(engine: Engine, session: Session) -> None:
    make_org(session)
    submit(session)
    now = utcnow()
    sweep(engine, now=now)
    sweep(engine, now=now + timedelta(minutes=30))
    sweep(engine, now=now + timedelta(minutes=61))
    session.rollback()
    assert session.scalars(select(AuditCheckpoint.changed_count).order_by(AuditCheckpoint.id)).all() == [1, 0]


def test_the_audit_commands_seal_print_and_fail_on_a_broken_record(
    engine: Engine, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minyi.cli import app
    from minyi.db import reset_caches

    make_org(session)
    submit(session)
    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    runner = CliRunner()
    sealed = runner.invoke(app, ["audit", "checkpoint"])
    assert sealed.exit_code == 0, sealed.output
    session.rollback()
    root = session.scalar(select(AuditCheckpoint.root))
    assert root is not None and f'"root": "{root}"' in sealed.output and '"cases": 1' in sealed.output
    ok = runner.invoke(app, ["audit", "verify", "--root", root])
    assert ok.exit_code == 0 and "audit record intact" in ok.output
    past_the_guard(session, "audit_checkpoints", update(AuditCheckpoint).values(root="f" * 64))
    bad = runner.invoke(app, ["audit", "verify", "--root", root])
    assert bad.exit_code == 1 and f"published root {root} is not in the record" in bad.output
