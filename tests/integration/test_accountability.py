"""The accountability register on SQLite and PostgreSQL: the ladder's last rung opens a record, a supervisor's
record with evidence, the unit's response, the decision, and what the public may read."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accountability.actions import do_open_record
from minyi.accountability.commands import COMMANDS, execute
from minyi.accountability.models import AccountabilityEvidence, AccountabilityRecord
from minyi.accountability.present import public_views
from minyi.accountability.queries import access_record, list_records, public_records
from minyi.accountability.rules import Form, Ground
from minyi.accountability.schemas import DecisionIn, RecordIn, ResponseIn
from minyi.audit.models import AuditEntry
from minyi.deadlines.sweep import sweep
from minyi.errors import Forbidden, InvalidInput, NotFound, NotPermitted
from tests.integration.test_sweep_and_audit import _overdue_case
from tests.support.factories import make_org


def test_the_ladders_last_rung_opens_one_record_with_the_case_as_evidence(
    engine: Engine, session: Session
) -> None:
    case = _overdue_case(session, days_ago=120)
    assert sweep(engine).issued["accountability"] == 1
    sweep(engine)
    session.rollback()
    (record,) = session.scalars(select(AccountabilityRecord)).all()
    assert (
        record.source == "ladder" and record.unit_id == case.department_id and record.ground == "late_cases"
    )
    evidence = session.scalars(
        select(AccountabilityEvidence.ref_id).where(AccountabilityEvidence.kind == "case")
    ).all()
    assert evidence == [case.id]
    assert "accountability.opened" in session.scalars(select(AuditEntry.action)).all()


def test_a_record_is_answered_decided_and_published_with_a_name_only_when_public(session: Session) -> None:
    org = make_org(session)
    sup, head, handler = org.actor("supervisor"), org.actor("housing-head"), org.actor("housing-handler")
    body = RecordIn(unit_id=org.housing.id, post="审批科科长", person="王某某", ground=Ground.false_reply,
                    form=Form.admonishment, summary="三件答复称已修复，回访均未修复")  # fmt: skip
    for who in (head, org.actor("intake")):
        with pytest.raises(Forbidden):
            do_open_record(session, who, body)
    with pytest.raises(InvalidInput):
        do_open_record(session, sup, body.model_copy(update={"case_ids": [99999]}))
    seq = session.scalar(select(AuditEntry.seq).order_by(AuditEntry.seq.desc()))
    record = do_open_record(session, sup, body.model_copy(update={"audit_seqs": [seq]}))
    with pytest.raises(NotFound):  # another unit reads nothing of it
        access_record(session, org.actor("transport-handler"), record.id)
    assert list_records(session, org.actor("transport-handler")) == []
    assert [r.id for r in list_records(session, handler)] == [record.id]
    with pytest.raises(NotPermitted):  # the head answers for the unit, not a handler
        execute(session, handler, record.id, COMMANDS["respond"], ResponseIn(response="情况属实"))
    execute(session, head, record.id, COMMANDS["respond"], ResponseIn(response="回访时间过早，已补修"))
    with pytest.raises(NotPermitted):
        execute(
            session,
            head,
            record.id,
            COMMANDS["decide"],
            DecisionIn(decision="免予问责", form=Form.admonishment),
        )
    assert public_records(session) == []
    execute(session, sup, record.id, COMMANDS["decide"],
            DecisionIn(decision="诫勉谈话，联系电话13900001111", form=Form.admonishment, public=True))  # fmt: skip
    (view,) = public_views(session, public_records(session))
    assert view.person == "王某某" and view.post == "审批科科长" and "13900001111" not in view.decision
    with pytest.raises(NotPermitted):  # decided is final
        execute(
            session,
            sup,
            record.id,
            COMMANDS["decide"],
            DecisionIn(decision="改为通报", form=Form.public_criticism),
        )
    private = do_open_record(session, sup, body)
    execute(
        session,
        sup,
        private.id,
        COMMANDS["decide"],
        DecisionIn(decision="内部处理", form=Form.organisational),
    )
    assert [r.id for r in public_records(session)] == [record.id]
