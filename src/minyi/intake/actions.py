"""Registering a demand: validation against configuration, idempotent retries, understanding, first clock."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, undefer

from minyi.accounts.actor import CITIZEN, Actor
from minyi.cases.events import rows_final
from minyi.cases.models import Case, IdempotencyKey
from minyi.cases.rules import Status
from minyi.cases.schemas import MAX_BODY, CaseSubmission
from minyi.cases.store import NewCase, loaded_case, prepare_cases, write_prepared
from minyi.cases.tracking import new_code
from minyi.db import utcnow
from minyi.departments.queries import check_region
from minyi.errors import Conflict, InvalidInput, TooLarge
from minyi.regionmap.queries import place_submission
from minyi.settings import get_settings
from minyi.taxonomy import load_taxonomy
from minyi.understanding.apply import enrich_together, understand_text
from minyi.understanding.jobs import enqueue, uses_queue
from minyi.uow import current_tx, write


def request_hash(sub: CaseSubmission) -> str:
    """A fingerprint of the submission, to tell a true retry from a reused key."""
    raw = json.dumps(sub.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def check_submission(session: Session, sub: CaseSubmission, now: datetime) -> None:
    """Refuse what the schema cannot know: size, unknown region or topic, dates in the future."""
    if len(sub.body) > MAX_BODY:
        raise TooLarge(f"正文不得超过{MAX_BODY}字", f"body exceeds {MAX_BODY} characters", field="body")
    check_region(session, sub.region_code)
    if sub.topic_code and load_taxonomy().get(sub.topic_code) is None:
        raise InvalidInput("问题分类代码不存在", "unknown topic code", field="topic_code")
    if sub.occurred_at and sub.occurred_at > now + timedelta(minutes=5):
        raise InvalidInput("发生时间不能晚于当前时间", "occurred_at is in the future", field="occurred_at")


def find_idempotent(session: Session, key: str, digest: str) -> Case | None:
    """The case created earlier with this key, or a 409 when the key came with a different body."""
    row = session.get(IdempotencyKey, key)
    if row is None:
        return None
    if row.request_hash != digest:
        raise Conflict(
            "该幂等键已用于另一份不同的提交",
            "Idempotency-Key reused with a different body",
            field="Idempotency-Key",
        )
    return session.get(Case, row.case_id)


def case_values(sub: CaseSubmission, now: datetime) -> dict[str, Any]:
    """The new case's columns from a submission, in the registered state."""
    return {
        "tracking_code": new_code(), "kind": sub.kind.value, "channel": sub.channel.value, "title": sub.title,
        "body": sub.body, "region_code": sub.region_code, "address": sub.address, "latitude": sub.latitude,
        "longitude": sub.longitude, "topic_code": sub.topic_code, "visibility": sub.visibility.value,
        "anonymous": sub.anonymous, "on_behalf_of": sub.on_behalf_of, "status": Status.registered.value,
        "registered_at": now,
    }  # fmt: skip


def do_submit_case(
    session: Session,
    sub: CaseSubmission,
    *,
    actor: Actor = CITIZEN,
    idempotency_key: str | None = None,
    now: datetime | None = None,
    enrich: bool = True,
    via: str | None = None,
    within: Callable[[int], None] | None = None,
) -> tuple[Case, bool]:
    """Register a demand in one unit of work; returns (case, created). A retried key returns the same case.

    Everything that can refuse the submission (a reused key, the checks) and the understanding (CPU-heavy) runs
    before the write begins, so a refused or slow request never holds the writer. `via` names the client
    application that carried the demand (an Open311 client), recorded on the registration event; `within` runs
    in the same unit of work with the new case's id (a caller's own records of the registration).
    """
    now = now or utcnow()
    digest = request_hash(sub)
    if idempotency_key:
        existing = find_idempotent(session, idempotency_key, digest)
        if existing is not None:
            return existing, False
    check_submission(session, sub, now)
    sub = place_submission(session, sub)  # a point picked on the map sets or checks the region
    values = case_values(sub, now)
    person = (
        sub.contact.model_dump(mode="json")
        if sub.contact and any(sub.contact.model_dump().values())
        else None
    )
    item = NewCase(values, actor, now, {"channel": sub.channel.value, "kind": sub.kind.value}, person)
    if via:
        item.event_data["via"] = via
    mode = get_settings().understanding if enrich else "none"
    if mode == "inline":
        u = understand_text(session, sub.title, sub.body, region_code=sub.region_code, topic_code=sub.topic_code,
                            person=person, enrichment=enrich_together(sub.title, sub.body))  # fmt: skip
        values.update(u.fields)
        item.keys, item.links = u.keys, u.links
        item.event_data["understanding"] = u.summary
    owner = current_tx(session) is None  # else joined: the caller's unit of work may write to the case later
    try:
        with write(session, actor) as tx:
            if idempotency_key:  # a concurrent retry may have won the race since the read above
                existing = find_idempotent(session, idempotency_key, digest)
                if existing is not None:
                    return existing, False
            # understood later (worker, deferred): the same job masks the public text, off the request
            rows = prepare_cases(session, [item], now, mask=mode not in ("worker", "deferred"))
            write_prepared(session, rows)
            case_id = rows.ids[0]
            if person:  # 举报人保护: a named reporter's later case is flagged to the inspectors (keyed hash)
                from minyi.reports.actions import flag_later_case

                flag_later_case(session, case_id, person.get("phone"), person.get("id_number"))
            if idempotency_key:
                session.add(
                    IdempotencyKey(key=idempotency_key, request_hash=digest, case_id=case_id, created_at=now)
                )
            if within is not None:
                within(case_id)
            if mode == "worker" and uses_queue(session):  # the job commits with the case, or neither does
                enqueue(session, [case_id])
            if mode == "deferred":
                from minyi.understanding.worker import defer

                bind = session.get_bind()
                tx.after_commit(lambda: defer(bind, case_id))
            if (
                owner and within is None
            ):  # nothing else wrote to the case: the rollup counts the row as inserted
                rows_final(session, [case_id])
    except IntegrityError:
        if idempotency_key:  # a concurrent retry won the race: answer with its case
            existing = find_idempotent(session, idempotency_key, digest)
            if existing is not None:
                return existing, False
        raise
    # the answer is the row just written, as a read would load it (masked text included), without the read
    case = None if within is not None else loaded_case(session, rows.cases[0])
    if case is None:  # the caller's own writes (`within`) may have changed it: read it back
        case = session.get(Case, case_id, options=[undefer(Case.public_title), undefer(Case.public_body)])
    assert case is not None
    return case, True
