"""Verified participants: tracking codes and accounts, residents-only community consultations, no code oracle."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.orm import Session

from minyi.accounts.actions import do_create_user
from minyi.accounts.actor import SYSTEM
from minyi.cases.tracking import new_code
from minyi.consultation import participation as part
from minyi.consultation import rules
from minyi.consultation.actions import check_create, do_create_consultation
from minyi.consultation.attempts import SharedAttempts
from minyi.consultation.models import Participant
from minyi.errors import Forbidden, InvalidInput, MinyiError
from tests.support.consultations import consultation_in, make_consultation
from tests.support.factories import PASSWORD, Org, make_org, submit


@pytest.fixture
def org(session: Session) -> Org:
    return make_org(session)


def _gate(address: str = "203.0.113.7") -> tuple[SharedAttempts, str]:
    return SharedAttempts(rules.CODE_ATTEMPTS, rules.CODE_WINDOW_S), address


@contextmanager
def _statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def on_execute(*args: object) -> None:
        seen.append(str(args[2]).split()[0])

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def _refusal(exc: MinyiError) -> tuple[int, str, str, str, str | None]:
    return exc.status, exc.code, exc.message_zh, exc.message_en, exc.field


def test_a_residents_only_consultation_takes_a_code_from_its_region_and_finds_the_same_participant(
    session: Session, org: Org
) -> None:
    east = submit(session, region_code="990102")
    c = make_consultation(session, org, kind="community", region_code="990102", requirement="resident")
    p = part.do_join(session, c, tracking_code=east.tracking_code, gate=_gate())
    again = part.do_join(session, c, tracking_code=east.tracking_code.lower(), gate=_gate())
    assert p.verified_by == "tracking_code" and again.id == p.id
    assert east.tracking_code not in (p.verified_ref or "")


def test_an_unknown_code_and_a_code_from_outside_the_region_get_the_same_answer_after_the_same_reads(
    engine: Engine, session: Session, org: Org
) -> None:
    west = submit(session, region_code="990103")
    c = make_consultation(session, org, kind="community", region_code="990102", requirement="resident")
    unknown = new_code()
    refusals, reads = [], []
    for code in (unknown, west.tracking_code):
        session.refresh(c)  # what a route has read before the join
        with _statements(engine) as seen, pytest.raises(rules.NotEligible) as refused:
            part.do_join(session, c, tracking_code=code, gate=_gate())
        session.rollback()
        refusals.append(_refusal(refused.value))
        reads.append(seen)
    assert refusals[0] == refusals[1]
    assert refusals[0][0] == 403
    # the attempt counter's read and upsert go straight to the driver, unseen here: what is seen is the lookup
    lookup = reads[0]
    assert reads[0] == reads[1] and lookup.count("SELECT") == 1
    assert session.scalar(select(func.count()).select_from(Participant)) == 0


def test_tracking_code_joins_are_limited_per_address_whatever_the_code(session: Session, org: Org) -> None:
    east = submit(session, region_code="990102")
    c = make_consultation(session, org, kind="community", region_code="990102", requirement="resident")
    limiter = SharedAttempts(rules.CODE_ATTEMPTS, rules.CODE_WINDOW_S)
    for _ in range(rules.CODE_ATTEMPTS):
        with pytest.raises(rules.NotEligible):
            part.do_join(session, c, tracking_code=new_code(), gate=(limiter, "198.51.100.1"))
    with pytest.raises(rules.RateLimited) as limited:
        part.do_join(session, c, tracking_code=east.tracking_code, gate=(limiter, "198.51.100.1"))
    assert limited.value.status == 429 and limited.value.field == "tracking_code"
    elsewhere = part.do_join(session, c, tracking_code=east.tracking_code, gate=(limiter, "198.51.100.2"))
    assert elsewhere.verified_by == "tracking_code"


def test_an_account_verifies_and_a_resident_account_must_belong_to_the_region(
    session: Session, org: Org
) -> None:
    resident = do_create_user(session, SYSTEM, username="east-clerk", password=PASSWORD, role="handler",
                              department_id=org.district.id)  # fmt: skip
    c = make_consultation(session, org, kind="community", region_code="990102", requirement="resident")
    p = part.do_join(session, c, account_id=resident.id)
    assert p.verified_by == "account" and part.do_join(session, c, account_id=resident.id).id == p.id
    with pytest.raises(rules.NotEligible):
        part.do_join(session, c, account_id=org.users["housing-head"].id)  # the city's bureau, not the east
    with pytest.raises(rules.NotEligible):
        part.do_join(session, c, account_id=987654)


def test_a_required_verification_is_asked_for_before_any_code_is_read(session: Session, org: Org) -> None:
    east = submit(session, region_code="990102")
    by_account = make_consultation(session, org, requirement="account")
    with pytest.raises(Forbidden) as anonymous:
        part.do_join(session, by_account)
    assert anonymous.value.code == "verification_required"
    with pytest.raises(Forbidden) as wrong_way:
        part.do_join(session, by_account, tracking_code=east.tracking_code, gate=_gate())
    assert wrong_way.value.code == "verification_required"
    assert part.do_join(session, by_account, account_id=org.users["housing-head"].id).verified_by == "account"


def test_a_residents_only_consultation_needs_a_region(org: Org) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_create(org.actor("housing-head"), consultation_in(org, requirement="resident"))
    assert refused.value.field == "requirement"


def test_linked_cases_must_be_readable_and_the_public_sees_them_without_personal_data(
    session: Session, org: Org
) -> None:
    from minyi.consultation.present import linked_cases

    case = submit(session, title="电梯坏了，请联系13812345678", region_code="990102")
    with pytest.raises(InvalidInput) as refused:
        make_consultation(session, org, linked_cases=[new_code()])
    assert refused.value.field == "linked_cases"
    other = consultation_in(org, department_id=org.transport.id, linked_cases=[case.tracking_code])
    with pytest.raises(InvalidInput):  # another department's handler may not read it
        do_create_consultation(session, org.actor("transport-handler"), other)
    body = consultation_in(org, linked_cases=[case.tracking_code], origin="热点问题 东区电梯")
    c = do_create_consultation(session, org.actor("supervisor"), body)  # supervisors read every department
    shown = linked_cases(session, c)
    assert len(shown["cases"]) + shown["not_public"] == 1
    assert "13812345678" not in repr(shown) and case.tracking_code not in repr(shown)
