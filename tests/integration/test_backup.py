"""`minyi backup` and `minyi restore`: a live database copied, restored into an empty one, the record intact."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from minyi.cases import actions as act
from minyi.cases.models import Case, CaseEvent
from minyi.db import make_engine, reset_caches
from tests.support.factories import make_org, submit


def _empty_database(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """An empty database of the same kind as `engine` (PostgreSQL: a new database in the same cluster)."""
    if engine.dialect.name == "sqlite":
        target = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
        yield target
        target.dispose()
        return
    name = f"restored_{uuid.uuid4().hex[:8]}"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    target = make_engine(engine.url.set(database=name).render_as_string(hide_password=False))
    yield target
    target.dispose()
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
def empty(engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    yield from _empty_database(engine, tmp_path)


def _cli(monkeypatch: pytest.MonkeyPatch, engine: Engine, *args: str) -> tuple[int, str]:
    from minyi.cli import app

    monkeypatch.setenv("MINYI_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    reset_caches()
    try:
        out = CliRunner().invoke(app, list(args))
    finally:
        reset_caches()
    return out.exit_code, out.output


def test_backup_restores_into_an_empty_database_with_the_record_intact(
    engine: Engine, session: Session, empty: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = make_org(session)
    for i in range(3):
        case = submit(session, title=f"路灯不亮 第{i}件")
        act.do_accept(session, case, org.actor("intake"))
    events = session.scalar(select(func.count()).select_from(CaseEvent))
    file = tmp_path / "minyi.backup"

    code, out = _cli(monkeypatch, engine, "backup", str(file))
    assert code == 0, out
    assert file.is_file() and not file.with_name(file.name + ".partial").exists()

    code, out = _cli(monkeypatch, empty, "restore", str(file))
    assert code == 0, out
    with Session(empty) as restored:
        assert restored.scalar(select(func.count()).select_from(Case)) == 3
        assert restored.scalar(select(func.count()).select_from(CaseEvent)) == events
    code, out = _cli(monkeypatch, empty, "audit", "verify")
    assert code == 0, out
    assert "audit record intact" in out


def test_restore_refuses_a_database_that_is_not_empty(
    engine: Engine, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_org(session)
    submit(session)
    file = tmp_path / "minyi.backup"
    assert _cli(monkeypatch, engine, "backup", str(file))[0] == 0
    code, out = _cli(monkeypatch, engine, "restore", str(file))
    assert code == 2 and "not empty" in out
    assert session.scalar(select(func.count()).select_from(Case)) == 1  # nothing touched


def test_restore_refuses_a_file_that_is_not_a_backup(
    engine: Engine, empty: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a backup")
    code, out = _cli(monkeypatch, empty, "restore", str(file))
    assert code == 2 and "not" in out
    code, out = _cli(monkeypatch, empty, "restore", str(tmp_path / "missing"))
    assert code == 2 and "no such backup file" in out


def test_backup_carries_the_attachment_files_and_sealed_evidence_stays_ciphertext(
    engine: Engine, session: Session, empty: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from minyi.accounts.actions import actor_of, do_create_user
    from minyi.accounts.actor import SYSTEM
    from minyi.attachments import storage
    from minyi.attachments.actions import add_attachment
    from minyi.reports import actions as reports
    from minyi.reports.evidence import check_evidence
    from minyi.reports.schemas import ReportIn
    from minyi.uow import write
    from tests.support.files import PDF

    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    org = make_org(session)
    photo = PDF.replace(b"%%EOF", b"% the case's own file\n%%EOF")
    secret = PDF.replace(b"%%EOF", b"% EVIDENCE-IN-CLEAR-7f3a\n%%EOF")
    case = submit(session)
    with write(session, org.actor("intake")):
        sha = add_attachment(
            session, "case", case.id, photo, filename="现场.pdf", content_type="application/pdf"
        ).sha256
    inspector = actor_of(
        do_create_user(session, SYSTEM, username="insp", password="pw-123456789", role="inspector")
    )
    reports.do_make_office_key(session, inspector, "the office passphrase")
    files = check_evidence(session, None, [("证据.pdf", secret)])
    reports.do_submit_report(session, ReportIn(department_id=org.housing.id, what="科长索要好处费五千元",
                                               passphrase="reporter passphrase"), files)  # fmt: skip
    file = tmp_path / "minyi.backup"
    code, out = _cli(monkeypatch, engine, "backup", str(file))
    assert code == 0 and "2 attachment file(s)" in out, out
    archive = (tmp_path / "minyi.backup.files.tar").read_bytes()
    assert photo in archive and b"EVIDENCE-IN-CLEAR-7f3a" not in archive  # the evidence went as ciphertext

    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "elsewhere"))  # a new machine: an empty store
    code, out = _cli(monkeypatch, empty, "restore", str(file))
    assert code == 0 and "2 attachment file(s)" in out, out
    reset_caches()
    assert storage.get(sha) == photo
    stored = b"".join(p.read_bytes() for p in (tmp_path / "elsewhere" / "attachments").glob("??/*"))
    assert b"EVIDENCE-IN-CLEAR-7f3a" not in stored and photo in stored


@pytest.mark.parametrize("name", ["../escape", "ab/" + "0" * 64, "00/" + "0" * 64])
def test_restore_takes_no_file_outside_the_store_or_unlike_its_name(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import io
    import tarfile

    from minyi.ops.backup_files import restore_files

    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    file = tmp_path / "minyi.backup"
    with tarfile.open(tmp_path / "minyi.backup.files.tar", "w") as tar:
        info = tarfile.TarInfo(name)
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    with pytest.raises(ValueError):
        restore_files(file)
    assert not (tmp_path / "escape").exists() and not (tmp_path / "data" / "attachments").exists()
