"""Urgency corrections train the urgency model end to end: staff correct, a retrain is shadow-evaluated against
the rules and promoted, new cases are judged by it and record its version, an administrator rolls back."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.audit.models import AuditEntry
from minyi.cases import oversight
from minyi.errors import Conflict, NotFound
from minyi.learning.actions import do_rollback_model, retrain_urgency_from_corrections
from minyi.learning.queries import urgency_corrections
from minyi.nlp import registry
from tests.support.factories import make_org, submit
from tests.unit.nlp.test_urgency_learning import STREETS, _base


def test_urgency_corrections_train_a_promoted_version_that_new_cases_record(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    intake = org.actor("intake")
    for i in range(36):
        street = STREETS[i % 10]
        if i % 3:
            case = submit(
                session, title=f"{street}井盖丢失", body=f"{street}井盖丢失，已有行人掉进井里，第{i}次。"
            )
            assert case.urgent is False and case.urgency_model_version == "rules"
            oversight.do_correct_understanding(session, case, intake, urgent=True)
        else:
            case = submit(session, title="游戏音效", body=f"{street}网吧游戏爆炸音效太吵，第{i}次反映。")
            assert case.urgent is True
            oversight.do_correct_understanding(session, case, intake, urgent=False)
    rows = urgency_corrections(session)
    assert len(rows) == 36 and {c.model_version for c in rows} == {"rules"}
    assert sum(c.urgent for c in rows) == 24

    result, record = retrain_urgency_from_corrections(
        session, org.actor("admin"), _base(), version="urgency-test-1"
    )
    assert record["reference"] == "rules" and record["promoted"] is result.promote is True
    assert registry.read("urgency")["active"] == "urgency-test-1"
    assert registry.read("topic")["active"] is None  # the topic registry is untouched
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "model.retrain")).one()
    assert (entry.object_type, entry.object_id) == ("urgency_model", "urgency-test-1")

    later = submit(session, title="井盖丢失", body="光明街井盖丢失，晚上有老人掉进去了。")
    assert later.urgent is True and later.urgency_model_version == "urgency-test-1"

    do_rollback_model(session, org.actor("admin"), version=registry.SHIPPED, reason="test", kind="urgency")
    again = submit(session, title="井盖丢失", body="文化路井盖丢失，晚上有老人掉进去了。")
    assert again.urgent is False and again.urgency_model_version == "rules"


def test_an_urgency_retrain_is_refused_to_others_and_while_another_runs(
    session: Session, model_dir: Path
) -> None:
    org = make_org(session)
    with pytest.raises(NotFound):
        retrain_urgency_from_corrections(session, org.actor("intake"), ["某事"])
    with pytest.raises(NotFound):
        do_rollback_model(session, org.actor("admin"), version=registry.SHIPPED, kind="../topic")
    with registry.retrain_lock("urgency"), pytest.raises(Conflict):
        retrain_urgency_from_corrections(session, org.actor("admin"), ["某事"], version="urgency-x")
    assert not (model_dir.parent / "urgency" / "urgency-x").exists()
    assert session.scalars(select(AuditEntry).where(AuditEntry.action.like("model.%"))).all() == []
