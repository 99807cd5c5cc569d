"""The sealed channel's actions on SQLite and PostgreSQL: sealing, the custodian's approval, the queue's rule."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.accounts.actions import actor_of, do_create_user
from minyi.accounts.actor import SYSTEM
from minyi.audit.models import AuditEntry
from minyi.errors import Forbidden, NotFound
from minyi.reports import actions as act
from minyi.reports.models import MisconductReport
from minyi.reports.queries import access_report_by_id, access_unseal_request, list_reports
from minyi.reports.schemas import IdentityIn, ReportIn
from tests.support.factories import PASSWORD, make_org

OFFICE = "the office passphrase, given at the time"


def test_identity_opens_only_after_a_second_inspector_approves(session: Session) -> None:
    org = make_org(session)
    a, b, conflicted = (
        actor_of(do_create_user(session, SYSTEM, username=u, password=PASSWORD, role="inspector", department_id=d))
        for u, d in [("insp-a", None), ("insp-b", None), ("insp-h", org.housing.id)]
    )  # fmt: skip
    act.do_make_office_key(session, a, OFFICE)
    body = ReportIn(department_id=org.housing.id, what="科长索要好处费五千元", passphrase="reporter passphrase",
                    identity=IdentityIn(name="钱某", phone="13800001111"))  # fmt: skip
    report, _receipt = act.do_submit_report(session, body)
    stored = session.scalar(select(MisconductReport.sealed_identity).where(MisconductReport.id == report.id))
    assert stored is not None and "钱某".encode() not in stored and b"13800001111" not in stored
    assert [r.id for r in list_reports(session, a)] == [report.id]
    assert list_reports(session, conflicted) == [] and list_reports(session, org.actor("admin")) == []
    with pytest.raises(NotFound):
        access_report_by_id(session, conflicted, report.id)

    req = act.on_report(session, a, report.id, lambda r: act.do_request_unseal(session, a, r, "核实身份"))
    req_, rep_ = access_unseal_request(session, a, req.id)
    with pytest.raises(Forbidden):
        act.do_unseal_identity(session, a, req_, rep_, OFFICE)
    with pytest.raises(Forbidden):
        act.do_decide_unseal(session, a, req_, rep_, True, "自己批")
    req_b, rep_b = access_unseal_request(session, b, req.id)
    act.do_decide_unseal(session, b, req_b, rep_b, True, "同意")
    req_, rep_ = access_unseal_request(session, a, req.id)
    assert act.do_unseal_identity(session, a, req_, rep_, OFFICE)["name"] == "钱某"
    actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    assert actions[-3:] == ["report.unseal_requested", "report.unseal_decided", "report.identity_unsealed"]


def test_a_named_reporters_later_cases_are_flagged_by_phone_or_id_number_and_no_one_elses(
    session: Session,
) -> None:
    from minyi.reports.queries import get_later_case_ids
    from tests.support.factories import submit

    org = make_org(session)
    inspector = actor_of(
        do_create_user(session, SYSTEM, username="insp", password=PASSWORD, role="inspector")
    )
    act.do_make_office_key(session, inspector, OFFICE)
    reports = [
        act.do_submit_report(session, ReportIn(department_id=org.housing.id, what="科长索要好处费五千元",
                                               passphrase="reporter passphrase", identity=identity))[0].id
        for identity in (IdentityIn(name="钱某", phone="138 0000 1111"),
                         IdentityIn(name="孙某", id_number="11010519491231002x"))
    ]  # fmt: skip
    by_phone = submit(session, contact={"name": "钱", "phone": "13800001111"})
    by_id = submit(session, contact={"id_number": "11010519491231002X", "phone": "13900002222"})
    submit(session, contact={"phone": "13900002222"})  # no reporter's
    assert [get_later_case_ids(session, r) for r in reports] == [[by_phone.id], [by_id.id]]
