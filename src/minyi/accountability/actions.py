"""Every write of the accountability register: one unit of work each, on the audit chain by the record's id."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from minyi.accountability.models import AccountabilityEvidence, AccountabilityRecord
from minyi.accountability.rules import REGISTRARS, Status
from minyi.accountability.schemas import DecisionIn, RecordIn, ResponseIn
from minyi.accounts.actor import Actor
from minyi.audit.models import AuditEntry
from minyi.cases.models import Case
from minyi.db import utcnow
from minyi.departments.models import Department
from minyi.errors import Forbidden, InvalidInput
from minyi.inspection.models import RectificationItem
from minyi.uow import current_tx, unit_of_work, write

EVIDENCE = (("case", Case, Case.id, "case_ids"), ("audit_entry", AuditEntry, AuditEntry.seq, "audit_seqs"),
            ("rectification_item", RectificationItem, RectificationItem.id, "item_ids"))  # fmt: skip


def _record(
    session: Session,
    action: str,
    record: AccountabilityRecord,
    data: dict[str, object] | None = None,
    *,
    actor: Actor | None = None,
) -> None:
    tx = current_tx(session)
    assert tx is not None
    record.version += 1
    tx.record(action, "accountability_record", record.id, data or {}, actor=actor)


def check_open_record(session: Session, actor: Actor, body: RecordIn) -> None:
    """Refuse a record before anything is written: supervisors only, a known unit, evidence that exists."""
    if actor.role not in REGISTRARS:
        raise Forbidden("仅督办人员可以登记问责", "only supervisors open accountability records")
    if session.get(Department, body.unit_id) is None:
        raise InvalidInput("单位不存在", "unknown unit", field="unit_id")
    for _kind, model, key, field in EVIDENCE:
        wanted = set(getattr(body, field))
        if wanted:
            found = session.scalar(select(func.count()).select_from(model).where(key.in_(wanted)))
            if found != len(wanted):
                raise InvalidInput("所附证据不存在", "some of the evidence does not exist", field=field)


def add_record(
    session: Session, actor: Actor, body: RecordIn, *, source: str, ladder_key: str | None = None
) -> AccountabilityRecord:
    """Write a record and its evidence inside the caller's unit of work, with its audit entry (which names the
    ground and links the evidence), written by `actor`, the system included inside a citizen's rating."""
    record = AccountabilityRecord(unit_id=body.unit_id, post=body.post, person=body.person, ground=body.ground,
                                  form=body.form, summary=body.summary, source=source, ladder_key=ladder_key,
                                  status=Status.open, public=False, version=0, created_by=actor.user_id,
                                  created_at=utcnow())  # fmt: skip
    session.add(record)
    session.flush()
    evidence: dict[str, object] = {}
    for kind, _model, _key, field in EVIDENCE:
        refs = list(dict.fromkeys(getattr(body, field)))
        session.add_all(AccountabilityEvidence(record_id=record.id, kind=kind, ref_id=ref) for ref in refs)
        if refs:
            evidence[kind] = refs
    data = {"unit_id": body.unit_id, "source": source, "ground": body.ground.value, "evidence": evidence}
    _record(session, "accountability.opened", record, data, actor=actor)
    return record


def do_open_record(session: Session, actor: Actor, body: RecordIn) -> AccountabilityRecord:
    """A supervisor opens a record (the unit is then asked for its response)."""
    check_open_record(session, actor, body)
    with write(session, actor):
        return add_record(session, actor, body, source="supervisor")


@unit_of_work
def do_respond(session: Session, actor: Actor, record: AccountabilityRecord, body: ResponseIn) -> None:
    """The unit's response (申辩), once, before the decision."""
    record.response, record.responded_at, record.status = body.response, utcnow(), Status.responded
    _record(session, "accountability.responded", record)


@unit_of_work
def do_decide(session: Session, actor: Actor, record: AccountabilityRecord, body: DecisionIn) -> None:
    """The decision: its text, the form taken, whether it is published."""
    record.decision, record.form, record.public = body.decision, body.form, body.public
    record.decided_at, record.status = utcnow(), Status.decided
    _record(session, "accountability.decided", record, {"form": body.form, "public": body.public})
