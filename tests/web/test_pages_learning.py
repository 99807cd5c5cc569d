"""The learning-loop page: administrators see corrections and model versions and roll a version back."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from minyi.audit.models import AuditEntry
from minyi.nlp import registry
from minyi.nlp.topic import MODEL_DIR
from minyi.settings import get_settings
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, sign_in

RECORD = {
    "version": "topic-20261130-080000", "trained_at": "2026-11-30T08:00:00+00:00", "n_base": 4576,
    "n_corrections": 12, "n_dropped": 0, "held_out": {"macro_f1": 0.9101, "accuracy": 0.92, "n": 1158},
    "reference": "base-only", "reference_held_out": {"macro_f1": 0.9050, "accuracy": 0.91, "n": 1158},
    "promoted": True, "threshold": 0.9,
}  # fmt: skip


@pytest.fixture
def models(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    shutil.copytree(MODEL_DIR, registry.root() / RECORD["version"])
    registry.write({"active": RECORD["version"], "versions": [RECORD]})
    return registry.root()


def test_an_administrator_sees_the_versions_and_rolls_back_to_the_shipped_model(client, db, models) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    page = client.get("/staff/admin/learning")
    assert page.status_code == 200
    assert RECORD["version"] in page.text and "0.9101" in page.text and "还没有分类更正" in page.text
    r = client.post("/staff/admin/learning/rollback", data={"csrf_token": csrf_of(page.text),
                    "version": registry.SHIPPED, "reason": "复核"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert registry.read()["active"] is None
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "model.rollback")).one()
    assert entry.data["from"] == RECORD["version"] and entry.data["to"] == registry.SHIPPED


def test_an_unknown_version_is_refused_and_nothing_changes(client, db, models) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    page = client.get("/staff/admin/learning")
    r = client.post("/staff/admin/learning/rollback", data={"csrf_token": csrf_of(page.text),
                    "version": "../../etc/passwd"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 404 and "模型版本不存在" in r.text
    assert registry.read()["active"] == RECORD["version"]
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "model.rollback")).all() == []


def test_other_staff_cannot_open_the_page_or_roll_back(client, models) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "zjj-handler")
    assert client.get("/staff/admin/learning").status_code == 403
    page = client.get("/staff")
    r = client.post("/staff/admin/learning/rollback", data={"csrf_token": csrf_of(page.text),
                    "version": registry.SHIPPED}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 403
    assert registry.read()["active"] == RECORD["version"]


def test_the_supervisor_board_shows_the_weekly_understanding(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "supervisor")
    board = client.get("/staff/board")
    assert board.status_code == 200 and "智能分类走势（按周）" in board.text and "转人工分拣" in board.text


def test_an_administrator_rolls_the_urgency_model_back_to_the_rules(client, db, models) -> None:  # type: ignore[no-untyped-def]
    record = {**RECORD, "version": "urgency-20261130-090000", "reference": "rules"}
    (registry.root("urgency") / record["version"]).mkdir(parents=True)
    registry.write({"active": record["version"], "versions": [record]}, "urgency")
    sign_in(client, "admin")
    page = client.get("/staff/admin/learning")
    assert 'id="active-urgency-model">urgency-20261130-090000<' in page.text
    r = client.post("/staff/admin/learning/rollback", data={"csrf_token": csrf_of(page.text), "kind": "urgency",
                    "version": registry.SHIPPED}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert registry.read("urgency")["active"] is None and registry.read()["active"] == RECORD["version"]
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "model.rollback")).one()
    assert entry.object_type == "urgency_model"
    bad = client.post("/staff/admin/learning/rollback", data={"csrf_token": csrf_of(page.text), "kind": "../x",
                      "version": registry.SHIPPED}, follow_redirects=False)  # fmt: skip
    assert bad.status_code == 404
