"""The annual and department reports read the record through the scoreboard's own queries, on both databases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from minyi.accounts.actor import CITIZEN
from minyi.annual import sections
from minyi.annual.build import build_report, department_scope
from minyi.annual.figures import case_figures
from minyi.annual.participation import consultation_figures, suggestion_figures
from minyi.annual.rules import Scope, year_window
from minyi.cases import actions as act
from minyi.cases.rules import Evaluation
from minyi.consultation import actions as cact
from minyi.consultation import participation as part
from minyi.consultation.schemas import GroupIn, GroupsIn
from minyi.db import session_factory
from minyi.deadlines.clock import calendar
from minyi.deadlines.workcal import CHINA
from minyi.portal import queries
from tests.support.consultations import make_consultation
from tests.support.factories import Org, make_org, submit
from tests.support.suggestions import answered_suggestion

NEW_YEAR_IN_BEIJING = datetime(2025, 12, 31, 17, 0, tzinfo=UTC)  # 1 January 2026, 01:00 in Beijing
OLD_YEAR_IN_BEIJING = datetime(2025, 12, 31, 15, 0, tzinfo=UTC)  # 31 December 2025, 23:00 in Beijing
REPLY = "经现场核查，物业已于本周更换电梯主板并恢复运行，我局将持续督促物业做好日常维保，如有问题请再联系。"


@pytest.fixture(autouse=True)
def _no_stale_board() -> None:
    queries._CACHE.clear()


def _handled(session: Session, org: Org, at: datetime, evaluation: Evaluation | None = None) -> None:
    case = submit(session, now=at, channel="web")
    intake, handler = org.actor("intake"), org.actor("housing-handler")
    act.do_accept(session, case, intake, now=at)
    act.do_assign(session, case, intake, department_id=org.housing.id)
    act.do_sign_for(session, case, handler)
    act.do_reply(session, case, handler, text=REPLY)
    if evaluation is not None:
        act.do_evaluate(session, case, CITIZEN, evaluation=evaluation)


def test_the_year_is_counted_in_the_city_s_time_and_by_channel_and_month(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        submit(s, now=NEW_YEAR_IN_BEIJING, channel="hotline")
        submit(s, now=OLD_YEAR_IN_BEIJING, channel="hotline")
        _handled(s, org, datetime(2026, 3, 10, 2, 0, tzinfo=UTC), Evaluation.satisfied)
        f = case_figures(s, Scope(2026))
        before = case_figures(s, Scope(2025))
    assert f.headline.received == 2 and before.headline.received == 1
    months = dict(f.by_month.rows)
    assert (months["1月"].received, months["3月"].received, months["12月"].received) == (1, 1, 0)
    channels = {name: c.received for name, c in f.by_channel.rows}
    assert channels == {"12345热线": 1, "网上留言": 1}
    assert (f.headline.replied, f.headline.evaluated, f.headline.satisfied) == (1, 1, 1)


def test_a_department_report_reads_the_same_figures_as_the_scoreboard(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        _handled(s, org, datetime(2026, 2, 3, 2, 0, tzinfo=UTC), Evaluation.unsatisfied)
        _handled(s, org, datetime(2026, 2, 4, 2, 0, tzinfo=UTC), Evaluation.partly)
        returned = submit(s, now=datetime(2026, 5, 6, 2, 0, tzinfo=UTC))
        act.do_accept(s, returned, org.actor("intake"))
        act.do_assign(s, returned, org.actor("intake"), department_id=org.housing.id)
        act.do_return(s, returned, org.actor("housing-handler"), reason="不属于本局职责，应由交通局办理")
        act.do_assign(s, returned, org.actor("intake"), department_id=org.transport.id)
        _handled(s, org, datetime(2025, 6, 1, 2, 0, tzinfo=UTC))  # another year: in neither figure
        scope = department_scope(s, "housing", 2026)
        f = case_figures(s, scope)
        board = {
            r.department_id: r for r in queries.scoreboard(s, calendar(s), window=year_window(2026, CHINA))
        }
    row = board[org.housing.id]
    assert (f.headline.received, f.headline.replied, f.headline.satisfied, f.headline.rehandled) == (
        row.received, row.replied, row.satisfied, row.rehandled) == (3, 2, 1, 1)  # fmt: skip
    assert (f.returned, f.returns_sent_back) == (1, 0)
    assert f.headline.on_time_rate == row.on_time_rate and f.departments == []


def test_consultations_and_suggestions_of_the_year_with_their_answers(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        c = make_consultation(s, org)
        head = org.actor("housing-head")
        p = part.do_join(s, c)
        a = part.do_comment(s, c, p, clause_id=None, body="补贴应提高到三十万元")
        b = part.do_comment(s, c, p, clause_id=None, body="施工时间应避开夜间")
        cact.do_close(s, c, head)
        groups = cact.do_group_comments(s, c, head, body=GroupsIn(groups=[
            GroupIn(title="补贴", comment_ids=[a.id]), GroupIn(title="施工", comment_ids=[b.id])]))  # fmt: skip
        cact.do_answer_group(s, c, head, group_id=groups[0].id, answer="adopted", reason="已提高补贴")
        cact.do_answer_group(s, c, head, group_id=groups[1].id, answer="not_adopted", reason="已有规定")
        answered_suggestion(s, org, number=7, subject="关于加装电梯补贴的建议", body="老旧小区加装电梯补贴偏低，建议提高。",
                            answer="经研究，补贴标准已提高至每台二十五万元，并于下月起执行。")  # fmt: skip
        year = datetime.now(UTC).astimezone(CHINA).year
        consultations = consultation_figures(s, Scope(year))
        theirs = consultation_figures(s, Scope(year, org.transport.id, "transport", "交通局"))
        lines = {x.kind: x for x in suggestion_figures(s, Scope(year, org.housing.id, "housing", "住建局"))}
        none_for_transport = suggestion_figures(s, Scope(year, org.transport.id, "transport", "交通局"))
        last_year = suggestion_figures(s, Scope(year - 1))
    assert [(x.title, x.comments, x.adopted, x.not_adopted) for x in consultations.lines] == [
        (c.title, 2, 1, 1)]  # fmt: skip
    assert consultations.adopted_share == 0.5 and theirs.lines == []
    deputies = lines["人大代表建议"]
    assert (deputies.items, deputies.answered, deputies.a, deputies.b, deputies.c) == (1, 1, 1, 0, 0)
    assert sum(x.items for x in none_for_transport) == 0 and sum(x.items for x in last_year) == 0


def test_a_slice_adds_its_section_to_the_department_report_through_the_registry(session: Session) -> None:
    org = make_org(session)
    seen: list[Scope] = []

    def build(_: Session, scope: Scope) -> dict[str, int]:
        seen.append(scope)
        return {"records": 2}

    extra = sections.Section("accountability", "问责情况", "Accountability records", "annual/_consultations.html",
                             build, reports=frozenset({sections.DEPARTMENT}), order=40)  # fmt: skip
    sections.sections_for(sections.ANNUAL)  # the plugins registered first, so that `extra` replaces one
    real = sections._REGISTRY["accountability"]
    sections.register_section(extra)
    try:
        department = build_report(session, department_scope(session, "housing", 2026))
        annual = build_report(session, Scope(2026))
    finally:
        sections.register_section(real)
    keys = [s.key for s, _ in department.sections]
    assert keys == ["demands", "consultations", "suggestions", "accountability", "rectification"]
    assert "accountability" not in [s.key for s, _ in annual.sections]
    assert seen == [Scope(2026, org.housing.id, "housing", "住建局")]
