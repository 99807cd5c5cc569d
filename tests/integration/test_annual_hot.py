"""Hot issues of the year in the annual report: the shared grouping's largest matters, what was done about each,
named only through the public projection (masked), never by a non-public demand."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN, SYSTEM
from minyi.alerts.models import CaseGroup
from minyi.annual import sections
from minyi.annual.build import build_report
from minyi.annual.hot import hot_matters
from minyi.annual.rules import Scope, pct
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.rules import Evaluation
from minyi.db import utcnow
from minyi.uow import write
from minyi.web.rendering import render_document
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org, submit

PHONE, NAME, SECRET = "13912345678", "欧阳建华", "机密事项甲乙丙"
REPLY = "经现场核查，物业已于本周更换电梯主板并恢复运行，我局将持续督促物业做好日常维保，如有问题请再联系。"


def _public(session: Session, org: Org, title: str, *, reply: bool = False, **more: object) -> Case:
    case = submit(session, title=title, **more)
    act.do_accept(session, case, org.actor("intake"))
    act.do_assign(session, case, org.actor("intake"), department_id=org.housing.id)
    if reply:
        act.do_sign_for(session, case, org.actor("housing-handler"))
        act.do_reply(session, case, org.actor("housing-handler"), text=REPLY)
        act.do_evaluate(session, case, CITIZEN, evaluation=Evaluation.satisfied)
    return case


def _group(session: Session, key: str, cases: list[Case]) -> None:
    with write(session, SYSTEM) as tx:
        session.add_all(CaseGroup(case_id=c.id, group_key=key) for c in cases)
        tx.record("test.group", "case_group", None, {"key": key})


def test_a_planted_matter_appears_with_what_was_done_and_no_personal_data(session: Session) -> None:
    org = make_org(session)
    first = _public(session, org, f"{NAME}反映电梯坏了，电话{PHONE}", reply=True, contact={"name": NAME})
    second = _public(session, org, "小区电梯又坏了")
    hidden = submit(session, title=f"{SECRET}电梯", visibility="confidential")
    _group(session, first.tracking_code, [first, second, hidden])
    lone = _public(session, org, "路灯不亮")  # a matter of one demand: no hot issue
    _group(session, lone.tracking_code, [lone])
    secret = [submit(session, title=f"{SECRET}{n}", visibility="confidential") for n in range(4)]
    _group(session, secret[0].tracking_code, secret)  # the largest matter, but nothing of it is public
    linked = make_consultation(
        session, org, title=f"电梯维修办法（联系电话{PHONE}）", linked_cases=[second.tracking_code]
    )
    make_consultation(session, org, open_it=False, title="草稿不公开", linked_cases=[first.tracking_code])

    year = utcnow().year
    top, elevator = hot_matters(session, Scope(year))
    assert (top.cases, top.title, top.consultations) == (4, "", [])
    assert elevator.key == first.tracking_code and (elevator.cases, elevator.people) == (3, 3)
    assert (elevator.replied, elevator.evaluated, elevator.satisfied, elevator.departments) == (
        1,
        1,
        1,
        ["住建局"],
    )
    assert "电梯坏了" in elevator.title and PHONE not in elevator.title and NAME not in elevator.title
    assert [c.id for c in elevator.consultations] == [linked.id]
    assert hot_matters(session, Scope(year - 1)) == []

    report = build_report(session, Scope(year))
    assert [s.key for s, _ in report.sections][:2] == ["demands", "hot"]
    assert "hot" not in [s.key for s in sections.sections_for(sections.DEPARTMENT)]
    html = render_document("annual/_hot.html", {"s": [top, elevator], "pct": pct})
    assert f'href="/consultations/{linked.id}"' in html and pct(1 / 3) in html
    assert PHONE not in html and NAME not in html and SECRET not in html and "草稿不公开" not in html


def test_a_matter_counts_only_the_demands_of_the_year(session: Session) -> None:
    org = make_org(session)
    last_year = utcnow() - timedelta(days=400)
    old = [submit(session, now=last_year, title="去年的事") for _ in range(2)]
    new = _public(session, org, "今年的事")
    _group(session, old[0].tracking_code, [*old, new])
    assert hot_matters(session, Scope(utcnow().year)) == []  # one demand this year
    (matter,) = hot_matters(session, Scope(last_year.year))
    assert (matter.cases, matter.title) == (2, "")  # not accepted: not public, so never named
