"""The public pages name departments and regions and offer topics from per-process caches (issue 15: the CPU of
each page): an administrator's change shows on the very next page, each language keeps its own names, and what
the caches hold is the organisation's own names, never a citizen's."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, update

from minyi.accounts.actor import SYSTEM
from minyi.app import create_app
from minyi.cases import actions as act
from minyi.cases.models import Case
from minyi.cases.redaction import text_revision
from minyi.db import session_factory
from minyi.departments import queries
from minyi.departments.actions import do_add_region, do_edit_department
from minyi.departments.models import Department
from minyi.uow import write
from tests.support.factories import make_org, submit
from tests.support.tamper import arrange


def test_a_renamed_department_and_a_new_region_show_on_the_next_page(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        intake, admin, handler = org.actor("intake"), org.actor("admin"), org.actor("housing-handler")
        case = submit(s, title="电梯坏了", body="我叫李明，电话13900001111，小区电梯坏了。",
                      contact={"name": "李明", "phone": "13900001111"}, region_code="990102")  # fmt: skip
        act.do_accept(s, case, intake)
        act.do_assign(s, case, intake, department_id=org.housing.id)
        act.do_sign_for(s, case, handler)
        act.do_reply(s, case, handler, text="电梯已修复。")
        arrange(s)
        case_id, housing_id = case.id, org.housing.id
    client = TestClient(create_app(engine))
    page = client.get(f"/cases/{case_id}").text
    assert "住建局" in page and "东区" in page
    assert "Housing" in client.get(f"/cases/{case_id}?lang=en").text
    assert "测试二市" not in client.get("/cases?lang=zh-CN").text
    with session_factory(engine)() as s:
        do_edit_department(s, admin, housing_id, name="住房和城乡建设局", name_en="Housing and Construction")
        do_add_region(s, admin, code="9902", name="测试二市", name_en="Second Test City")
    assert "住房和城乡建设局" in client.get(f"/cases/{case_id}").text
    assert "Housing and Construction" in client.get(f"/cases/{case_id}?lang=en").text
    assert "测试二市" in client.get("/cases?lang=zh-CN").text
    assert "Second Test City" in client.get("/cases?lang=en").text
    with session_factory(
        engine
    )() as s:  # what the caches hold: the organisation's names, not the submitter's
        cached = repr(queries._regions) + repr(queries._levels) + repr(queries.department_names(s))
    assert "住房和城乡建设局" in cached and "李明" not in cached and "13900001111" not in cached


def test_a_department_another_process_added_is_named_though_the_cache_predates_it(engine: Engine) -> None:
    with session_factory(engine)() as s:
        org = make_org(s)
        assert queries.department_names(s)[org.housing.id] == ("住建局", "Housing")
        with write(s, SYSTEM) as tx:  # as another app server would: this process's cache is not told
            s.add(water := Department(code="water", name="水务局", name_en="Water", active=True))
            s.flush()
            tx.record("fixture.department", "department", water.id, {})
        assert water.id not in queries.department_names(s)
        assert queries.department_names_of(s, {water.id, org.housing.id}) == {
            water.id: ("水务局", "Water"),
            org.housing.id: ("住建局", "Housing"),
        }


def test_topics_are_offered_in_the_readers_language(engine: Engine) -> None:
    with session_factory(engine)() as s:
        make_org(s)
    client = TestClient(create_app(engine))
    chinese, english = client.get("/cases?lang=zh-CN").text, client.get("/cases?lang=en").text
    assert "城乡建设" in chinese and "城乡建设" not in english
    assert "城乡建设" in client.get("/cases?lang=zh-CN").text  # the English page did not replace the Chinese


def test_the_pages_show_the_text_masked_at_intake_when_it_was_read_with_the_case(engine: Engine) -> None:
    """The case page and the list take the stored masked title (read with the case: no masking again); a
    stale revision is masked afresh."""
    with session_factory(engine)() as s:
        org = make_org(s)
        case = submit(s, title="电梯坏了", body="小区电梯坏了。")
        act.do_accept(s, case, org.actor("intake"))
        arrange(s)
        case_id = case.id
    with engine.begin() as conn:
        conn.execute(
            update(Case)
            .where(Case.id == case_id)
            .values(public_title="存下的标题", public_body="存下的正文", public_text_rev=text_revision())
        )
    client = TestClient(create_app(engine))
    assert "存下的标题" in client.get(f"/cases/{case_id}").text
    assert "存下的标题" in client.get("/cases").text
    with engine.begin() as conn:
        conn.execute(update(Case).where(Case.id == case_id).values(public_text_rev="stale"))
    page = client.get(f"/cases/{case_id}").text
    assert "存下的标题" not in page and "电梯坏了" in page
