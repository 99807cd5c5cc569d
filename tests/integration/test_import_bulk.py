"""The import's lean writers (COPY on PostgreSQL, executemany on SQLite): the same rows as Core inserts, and an
import killed with SIGKILL mid-way finishes on re-run with every row once and the record intact."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, undefer

from minyi.accounts.actor import SYSTEM
from minyi.audit.verify import verify_all
from minyi.cases.models import Case, CaseEvent, Submitter
from minyi.cases.present import public_view
from minyi.cases.search import matching
from minyi.cases.store import NewCase, insert_cases, prepare_cases
from minyi.intake_import.bulk import write_prepared
from minyi.intake_import.importer import import_file
from minyi.understanding.worker import catch_up
from minyi.uow import write
from tests.support.factories import make_org

SRC = Path(__file__).resolve().parents[2] / "src"
AT = datetime(2026, 3, 2, 1, 15, 7, 123456, tzinfo=UTC)


def _item(ref: str, *, closed: bool) -> NewCase:
    values = {
        "tracking_code": f"T-{ref}", "kind": "complaint", "channel": "hotline", "title": "电梯坏了",
        "body": "小区电梯坏了一个月，王先生电话13812345678", "region_code": None, "topic_code": None,
        "department_id": None, "status": "closed" if closed else "registered", "external_source": "bulk",
        "external_ref": ref, "registered_at": AT, "reply_text": "已修复" if closed else None,
        "replied_at": AT + timedelta(days=1) if closed else None, "closed_at": AT + timedelta(days=1) if closed else None,
    }  # fmt: skip
    return NewCase(values, SYSTEM, AT, {"source": "bulk"}, {"name": "王先生", "phone": "13812345678"})


def _stored(session: Session, table: str, where: str) -> list[tuple[object, ...]]:
    """Rows as the database holds them (no result processing), without the columns that differ by design."""
    result = session.connection().exec_driver_sql(f"SELECT * FROM {table} WHERE {where} ORDER BY 1")
    skip = {"id", "case_id", "tracking_code", "external_ref", "hash", "prev_hash", "last_event_hash",
            "submitter_id", "created_at", "updated_at"}  # fmt: skip
    keep = [i for i, name in enumerate(result.keys()) if name not in skip]
    return [tuple(row[i] for i in keep) for row in result]


def test_lean_writer_stores_what_core_inserts_store(engine: Engine, session: Session) -> None:
    make_org(session)
    now = datetime.now(UTC)
    with write(session, SYSTEM):
        core = insert_cases(session, [_item("C1", closed=False), _item("C2", closed=True)], now)
    with write(session, SYSTEM):
        lean = prepare_cases(session, [_item("L1", closed=False), _item("L2", closed=True)], now)
        write_prepared(session, lean)
    for table, key in (("cases", "id"), ("case_events", "case_id")):
        for a, b in zip(core, lean.ids, strict=True):
            assert _stored(session, table, f"{key} = {a}") == _stored(session, table, f"{key} = {b}")
    people = session.scalars(select(Submitter.phone).order_by(Submitter.id)).all()
    assert people == ["13812345678"] * 4
    found = matching(session, "电梯坏了", Case.id)
    assert found is not None
    assert set(session.scalars(select(Case.id).where(found))) == {*core, *lean.ids}
    session.rollback()
    assert list(verify_all(session)) == []


def _export(path: Path, n: int) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["工单编号", "来电时间", "诉求内容"])
        w.writerows([f"K{i:05d}", "2026/03/02 09:15:00", f"第{i}号路灯不亮"] for i in range(n))


def _count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Case)).scalar_one())


def _import(engine: Engine, path: Path, workers: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(SRC), "MINYI_DATABASE_URL": engine.url.render_as_string(False)}
    code = "from minyi.cli import app; app()"
    cmd = [sys.executable, "-c", code, "import", str(path), "--no-enrich", "--quiet", "--batch-size", "25",
           "--workers", workers]  # fmt: skip
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_import_killed_mid_way_completes_on_rerun_without_duplicates(
    engine: Engine, session: Session, tmp_path: Path, workers: str
) -> None:
    make_org(session)
    session.rollback()
    n = 2000
    path = tmp_path / "export.csv"
    _export(path, n)
    proc = _import(engine, path, workers)
    deadline = time.monotonic() + 120
    while _count(engine) == 0 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    gone = time.monotonic() + 10  # the workers end themselves once the importer is gone
    while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < gone:
        time.sleep(0.05)
    assert not [c for c in children if Path(f"/proc/{c}").exists()], "a worker outlived the import"
    partial = _count(engine)
    assert 0 < partial < n, f"the kill came too late to test anything ({partial} of {n} rows)"
    proc = _import(engine, path, workers)
    out = proc.communicate(timeout=300)[0].decode()
    assert proc.returncode == 0, out
    assert f"imported {n - partial}, already present {partial}" in out
    assert _count(engine) == n
    refs = session.scalar(select(func.count(func.distinct(Case.external_ref))))
    assert refs == n
    assert session.scalar(select(func.count()).select_from(CaseEvent)) == n
    assert list(verify_all(session)) == []


def test_import_without_understanding_leaves_masking_to_the_job_and_shows_nothing_unmasked(
    engine: Engine, session: Session, tmp_path: Path
) -> None:
    make_org(session)
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([["工单编号", "来电时间", "来电人", "来电号码", "诉求内容"],
                                 ["M1", "2026/03/02 09:15:00", "王建国", "13812345678", "王建国反映路灯不亮，电话13812345678"]])  # fmt: skip
    before = (
        session.scalar(text("SELECT coalesce(max(id), 0) FROM procrastinate_jobs"))
        if engine.dialect.name == "postgresql"
        else 0
    )
    session.rollback()
    assert import_file(engine, path, enrich=False).imported == 1
    session.rollback()
    case = session.scalars(select(Case).options(undefer(Case.public_body))).one()
    assert case.public_body is None  # not masked by the import
    view = public_view(session, case, with_code=False)
    assert "13812345678" not in view.body + view.title and "王建国" not in view.body
    found = matching(session, "路灯不亮", Case.id)
    assert found is not None and session.scalars(select(Case.id).where(found)).all() == []
    if engine.dialect.name == "postgresql":  # the queue's workers get it in the import's transaction
        args = session.scalars(
            text("SELECT args FROM procrastinate_jobs WHERE id > :before"), {"before": before}
        )
        assert [a["case_ids"] for a in args] == [[case.id]]
    session.rollback()
    assert catch_up(engine) == 1
    case = session.scalars(select(Case).options(undefer(Case.public_body))).one()
    assert (
        case.public_body is not None
        and "13812345678" not in case.public_body
        and "路灯不亮" in case.public_body
    )
    found = matching(session, "路灯不亮", Case.id)
    assert found is not None and session.scalars(select(Case.id).where(found)).all() == [case.id]
    session.rollback()
    assert list(verify_all(session)) == []
