"""The model registry under concurrency: two retrains never interleave, concurrent registry writes lose nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.db import reset_caches
from minyi.errors import Conflict
from minyi.learning.actions import retrain_from_corrections
from minyi.nlp import enrich, registry
from tests.support.factories import make_org


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    reset_caches()
    enrich.reset_topic_model()
    yield tmp_path / "models" / "topic"
    enrich.reset_topic_model()


def test_a_retrain_while_another_runs_is_refused_and_leaves_nothing(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    with registry.retrain_lock():  # another process is retraining (flock: a separate open file conflicts)
        with pytest.raises(Conflict) as refused:
            retrain_from_corrections(
                session, org.actor("admin"), ["公交站台"], ["交通运输"], version="topic-b"
            )
    assert refused.value.code == "retrain_running" and refused.value.status == 409
    assert not (model_dir / "topic-b").exists()
    assert registry.read() == {"active": None, "versions": []}
    assert session.scalars(select(AuditEntry).where(AuditEntry.action.like("model.%"))).all() == []
    with registry.retrain_lock():  # released: the next retrain may start
        pass


def test_concurrent_registry_updates_keep_every_version(
    model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_read = registry.read

    def slow_read() -> dict[str, Any]:  # widen the read-modify-write window that a lost update needs
        data = real_read()
        time.sleep(0.02)
        return data

    monkeypatch.setattr(registry, "read", slow_read)

    def add(i: int) -> None:
        registry.update(lambda data: data["versions"].append({"version": f"topic-{i}"}))

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v["version"] for v in real_read()["versions"]) == [f"topic-{i}" for i in range(8)]
