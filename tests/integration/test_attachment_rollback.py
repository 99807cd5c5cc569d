"""A file written for an upload whose unit of work rolls back is removed again, unless committed rows reference
the same bytes; on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.attachments import storage
from minyi.attachments.actions import add_attachment
from minyi.db import reset_caches
from minyi.uow import write

PDF = b"%PDF-1.4 a notice of the demolition, page one"


@pytest.fixture(autouse=True)
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    reset_caches()
    return tmp_path / "attachments"


def _upload(session: Session, data: bytes, *, fail: bool) -> str:
    with write(session, SYSTEM):
        row = add_attachment(session, "case", 1, data, filename="n.pdf", content_type="application/pdf")
        if fail:
            raise RuntimeError("the owner's write failed after the file was stored")
        return row.sha256


def test_a_rolled_back_upload_leaves_no_file(session: Session, store: Path) -> None:
    with pytest.raises(RuntimeError):
        _upload(session, PDF, fail=True)
    assert not [p for p in store.rglob("*") if p.is_file()]


def test_a_rolled_back_upload_keeps_the_bytes_a_committed_row_uses(session: Session) -> None:
    digest = _upload(session, PDF, fail=False)
    with pytest.raises(RuntimeError):
        _upload(session, PDF, fail=True)
    assert storage.get(digest) == PDF


def test_a_failing_rollback_hook_never_hides_the_error_that_rolled_back(session: Session) -> None:
    def broken() -> None:
        raise OSError("the store is read-only")

    with pytest.raises(RuntimeError, match="the owner's write"), write(session, SYSTEM) as tx:
        tx.on_rollback(broken)
        raise RuntimeError("the owner's write failed")
