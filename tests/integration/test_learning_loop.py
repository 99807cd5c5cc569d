"""The learning loop end to end: a staff correction becomes a training row, a retrained version is
shadow-evaluated, recorded on the audit chain and promoted, new cases record it, an administrator rolls back;
two retrains never interleave and concurrent registry writes lose nothing."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.cases import oversight
from minyi.errors import Conflict, NotFound
from minyi.learning.actions import do_rollback_model, retrain_from_corrections
from minyi.learning.queries import topic_corrections
from minyi.nlp import registry
from minyi.taxonomy import load_taxonomy
from tests.support.factories import make_org, submit

WORDS = {
    "交通运输": ["公交", "地铁", "道路拥堵", "出租车", "红绿灯", "停车场"],
    "城乡建设": ["小区物业", "电梯", "拆迁", "房屋漏水", "违章建筑", "燃气管道"],
    "环境保护": ["噪音扰民", "污水排放", "空气污染", "垃圾焚烧", "油烟", "河道黑臭"],
}


def _base() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, words in WORDS.items():
        for i in range(60):
            w1, w2 = words[i % 6], words[(i * 5 + 1) % 6]
            texts.append(f"第{i}号留言 {w1}问题{i * 11} 希望解决{w2} 编号{label[:1]}{i * 37}")
            labels.append(label)
    return texts, labels


def test_a_topic_correction_trains_a_promoted_version_that_new_cases_record(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    case = submit(
        session, title="公交站台太远", body="我们小区门口的公交站台被撤了，出行不便，希望恢复公交站。"
    )
    shipped = case.topic_model_version
    transport = load_taxonomy().code_of_level1("交通运输")
    oversight.do_correct_understanding(session, case, org.actor("intake"), topic_code=transport)
    oversight.do_correct_understanding(session, case, org.actor("intake"), urgent=True)  # not a topic change
    rows = topic_corrections(session)
    assert [(c.case_id, c.label, c.model_version) for c in rows] == [(case.id, "交通运输", shipped)]

    texts, labels = _base()
    result, record = retrain_from_corrections(
        session, org.actor("admin"), texts, labels, inner_folds=2, version="topic-test-1"
    )
    assert record["n_corrections"] == 1 and record["reference"] == "base-only"
    assert record["promoted"] is result.promote is True
    assert registry.read()["active"] == "topic-test-1"
    assert (model_dir / "topic-test-1" / "topic.npz").exists()
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "model.retrain")).one()
    assert entry.object_id == "topic-test-1"

    later = submit(session, title="地铁噪音", body="地铁施工道路拥堵，公交绕行，希望尽快恢复。")
    assert later.topic_model_version == "topic-test-1"

    do_rollback_model(session, org.actor("admin"), version=registry.SHIPPED, reason="test")
    assert registry.read()["active"] is None
    again = submit(session, title="地铁噪音", body="地铁施工道路拥堵，公交绕行，希望恢复原线路。")
    assert again.topic_model_version == shipped


def test_only_an_administrator_may_roll_back_and_only_to_a_known_version(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    with pytest.raises(NotFound):
        do_rollback_model(session, org.actor("supervisor"), version=registry.SHIPPED)
    with pytest.raises(NotFound):
        do_rollback_model(session, org.actor("admin"), version="../../etc")
    with pytest.raises(NotFound):
        retrain_from_corrections(session, org.actor("intake"), ["某事"], ["交通运输"])
    assert session.scalars(select(AuditEntry).where(AuditEntry.action.like("model.%"))).all() == []
    assert registry.read() == {"active": None, "versions": []}


def test_a_correction_is_trained_on_without_the_personal_data_in_it(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    case = submit(session, title="公交站台", body="我是张伟，电话13912345678，公交站台被撤了，希望恢复。")
    oversight.do_correct_understanding(
        session, case, org.actor("intake"), topic_code=load_taxonomy().code_of_level1("交通运输")
    )
    (row,) = topic_corrections(session)
    assert "13912345678" not in row.text and "公交站台" in row.text


def test_a_retrain_while_another_runs_is_refused_and_leaves_nothing(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    # another process is retraining (flock: a separate open file conflicts, even in this process)
    with registry.retrain_lock(), pytest.raises(Conflict) as refused:
        retrain_from_corrections(session, org.actor("admin"), ["公交站台"], ["交通运输"], version="topic-b")
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

    def slow_read(
        kind: str = "topic",
    ) -> dict[str, Any]:  # widen the read-modify-write window that a lost update needs
        data = real_read(kind)
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
