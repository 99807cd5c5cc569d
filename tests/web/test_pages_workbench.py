"""The workbench over HTTP: sign-in, queue, case actions, the supervisor board, administration."""

from __future__ import annotations

import re
from datetime import timedelta

from minyi.cases.models import Case
from minyi.db import utcnow
from minyi.deadlines.models import EscalationNotice
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import count_queries, csrf_of, find_case, post_form, sign_in


def _late_case(db, status: str = "in_progress") -> Case:  # type: ignore[no-untyped-def]
    case = find_case(db, status=status)
    case.due_at = utcnow() - timedelta(days=3)
    arrange(db)
    return case


def test_sign_in_sets_a_safe_session_cookie(client) -> None:  # type: ignore[no-untyped-def]
    r = sign_in(client, "zjj-handler")
    assert r.status_code == 303 and r.headers["location"] == "/staff"
    cookie = [c for c in r.headers.get_list("set-cookie") if c.startswith("minyi_session=")][0].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "待办案件" in client.get("/staff").text


def test_wrong_password_then_lock_out(client) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = sign_in(client, "zjj-handler", "wrong-password")
        assert r.status_code in (401, 429)
    r = sign_in(client, "zjj-handler")  # even the right password is refused while locked
    assert r.status_code == 429 and "登录失败次数过多" in r.text


def test_sign_out_ends_the_session_on_the_server(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "zjj-handler")
    session_cookie = client.cookies.get("minyi_session")
    post_form(client, "/staff", "/staff/logout", {})
    client.cookies.set("minyi_session", session_cookie)
    assert client.get("/staff", follow_redirects=False).status_code == 303


def test_handler_signs_for_and_replies(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="assigned")
    from minyi.departments.models import Department

    code = db.get(Department, case.department_id).code
    arrange(db)
    sign_in(client, f"{code}-handler")
    queue = client.get("/staff")
    assert f"/staff/cases/{case.id}" in queue.text
    page = client.get(f"/staff/cases/{case.id}")
    assert 'id="act-sign_for"' in page.text and 'id="act-reply"' not in page.text
    assert 'name="csrf_token" value=""' not in page.text  # every action form carries the token
    r = client.post(f"/staff/cases/{case.id}/act/sign_for",
                    data={"csrf_token": csrf_of(page.text), "version": case.version}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get(r.headers["location"])
    assert 'id="act-reply"' in page.text and 'id="act-sign_for"' not in page.text
    version = page.text.split('name="version" value="')[1].split('"')[0]
    r = client.post(f"/staff/cases/{case.id}/act/reply",
                    data={"csrf_token": csrf_of(page.text), "version": version, "text": "已安排维修。"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 409 and "答复可能不够充分" in r.text  # warned before a weak reply goes out
    assert 'name="confirm_weak"' in r.text and "已安排维修。</textarea>" in r.text  # the draft is kept
    r = client.post(f"/staff/cases/{case.id}/act/reply",
                    data={"csrf_token": csrf_of(r.text), "version": version, "text": "已安排维修。",
                          "confirm_weak": "1"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db.refresh(case)
    assert case.status == "replied" and case.reply_text == "已安排维修。"


def test_stale_version_is_refused_with_a_message(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="registered")
    sign_in(client, "intake")
    page = client.get(f"/staff/cases/{case.id}")
    r = client.post(f"/staff/cases/{case.id}/act/accept",
                    data={"csrf_token": csrf_of(page.text), "version": case.version - 1})  # fmt: skip
    assert r.status_code == 409 and "案件已被他人修改" in r.text


def test_bulk_sign_for(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="assigned")
    from minyi.departments.models import Department

    code = db.get(Department, case.department_id).code
    arrange(db)
    sign_in(client, f"{code}-handler")
    queue = client.get("/staff")
    ids = [v.split('"')[0] for v in queue.text.split('name="case_id" value="')[1:]]
    assert str(case.id) in ids
    r = client.post("/staff/cases/sign-for", data={"csrf_token": csrf_of(queue.text), "case_id": ids},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and f"signed={len(ids)}" in r.headers["location"]
    db.refresh(case)
    assert case.status == "in_progress"


def test_supervisor_sees_the_late_case_and_issues_a_notice(client, db) -> None:  # type: ignore[no-untyped-def]
    case = _late_case(db)
    sign_in(client, "supervisor")
    board = client.get("/staff/board")
    assert f"/staff/cases/{case.id}" in board.text and "超期案件" in board.text
    before = db.query(EscalationNotice).filter_by(case_id=case.id, level=2).count()
    arrange(db)
    r = client.post(f"/staff/cases/{case.id}/act/supervise",
                    data={"csrf_token": csrf_of(board.text), "version": case.version, "back": "board"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"].startswith("/staff/board")
    assert db.query(EscalationNotice).filter_by(case_id=case.id, level=2).count() == before + 1


def test_handlers_get_no_board_and_no_admin(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "zjj-handler")
    assert client.get("/staff/board").status_code == 403
    assert client.get("/staff/admin").status_code == 403


def test_admin_adds_a_department_and_a_member_of_staff(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    assert "分派规则" in page.text and "时限规则" in page.text and "答复模板" in page.text
    r = client.post("/staff/admin/departments", data={"csrf_token": csrf_of(page.text), "code": "test-dept",
                    "name": "测试局"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = client.get("/staff/admin")
    assert "测试局" in page.text
    r = client.post("/staff/admin/users", data={"csrf_token": csrf_of(page.text), "username": "new-intake",
                    "password": "longenough1", "role": "intake"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and "new-intake" in client.get("/staff/admin").text


def test_admin_sets_a_deadline_policy(client) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    fields = {"accept_days": "1", "sign_days": "1", "handle_days": "4", "rehandle_days": "3", "evaluation_days": "5",
              "extension_max_days": "5", "remind_before_days": "1", "accountability_after_days": "2"}  # fmt: skip
    data = {
        "csrf_token": csrf_of(page.text),
        "name": "热线咨询件",
        "kind": "inquiry",
        "channel": "hotline",
        "urgent": "0",
    }
    r = client.post("/staff/admin/policies", data={**data, **fields}, follow_redirects=False)
    assert r.status_code == 303
    assert "热线咨询件" in client.get("/staff/admin").text
    bad = client.post("/staff/admin/policies", data={**data, **fields, "extension_max_days": "99",
                      "csrf_token": csrf_of(client.get("/staff/admin").text)}, follow_redirects=False)  # fmt: skip
    assert bad.status_code == 422 and "延期" in bad.text


def test_admin_keeps_reply_templates_that_handlers_see(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    page = client.get("/staff/admin")
    r = client.post("/staff/admin/reply-templates", data={"csrf_token": csrf_of(page.text), "name": "供水抢修",
                    "text": "您好！供水管道已抢修完毕。"}, follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    case = find_case(db, status="in_progress")
    assert "供水管道已抢修完毕" in client.get(f"/staff/cases/{case.id}").text


def test_supervisor_acknowledges_an_alert_on_the_board(client, db) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from minyi.cases.models import AlertRow

    db.add(AlertRow(key="region:990102:test", kind="region", series="东湖区", window_start=date(2026, 11, 27),
                    window_end=date(2026, 11, 28), count=12, expected=1.5, ratio=8.0, p_value=1e-6, weighted=12.0,
                    examples=["ABCD-EFGH-JKMN"]))  # fmt: skip
    arrange(db)
    sign_in(client, "supervisor")
    board = client.get("/staff/board")
    assert "东湖区" in board.text and "确认预警" in board.text and "近30天热点问题" in board.text
    alert_id = db.query(AlertRow).one().id
    r = client.post(f"/staff/board/alerts/{alert_id}/ack", data={"csrf_token": csrf_of(board.text), "note": "已处置"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    db.rollback()
    db.expire_all()
    assert db.query(AlertRow).one().ack_note == "已处置"
    assert "没有待确认的预警" in client.get("/staff/board").text


def test_queue_and_board_make_a_bounded_number_of_queries(client, demo_engine) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "admin")
    for url, bound in [
        ("/staff?view=all", 8),
        (
            "/staff/board",
            24,
        ),  # + alerts, weak replies, hot issues, key suggestions (3), risk list (4; cached 10 min)
        ("/cases", 6),
        ("/staff?view=all&page=2", 8),
    ]:
        with count_queries(demo_engine) as statements:
            assert client.get(url).status_code == 200
        assert len(statements) <= bound, (url, len(statements), statements)


def test_intake_registers_a_call_and_reads_out_the_tracking_code(client, db) -> None:  # type: ignore[no-untyped-def]
    sign_in(client, "intake")
    page = client.get("/staff/register")
    assert page.status_code == 200 and 'name="channel"' in page.text and 'name="consent"' not in page.text
    data = {"csrf_token": csrf_of(page.text), "channel": "letters_visits", "on_behalf_of": "东湖社区居委会",
            "kind": "help", "title": "独居老人家中漏水", "body": "湖滨街道某小区独居老人家中水管破裂，需要尽快维修。",
            "contact_name": "李阿姨", "contact_phone": "13900002222"}  # fmt: skip
    data["submit_token"] = re.search(r'name="submit_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/staff/register", data=data, follow_redirects=False)
    assert r.status_code == 303 and "done=register" in r.headers["location"]
    again = client.post("/staff/register", data=data, follow_redirects=False)  # a double click
    assert again.headers["location"] == r.headers["location"]
    case_page = client.get(r.headers["location"])
    assert 'id="tracking-code"' in case_page.text and "请告诉群众这个查询码" in case_page.text
    case = find_case(db, title="独居老人家中漏水")
    assert case.channel == "letters_visits" and case.on_behalf_of == "东湖社区居委会"
    spoken = "-".join(case.tracking_code[i : i + 4] for i in range(0, 12, 4))  # read out with dashes
    assert f"/staff/cases/{case.id}" in client.get("/staff", params={"view": "all", "q": spoken}).text
    bad = client.post("/staff/register", data={**data, "csrf_token": csrf_of(page.text), "title": ""},
                      follow_redirects=False)  # fmt: skip
    assert bad.status_code == 422
    sign_in(client, "cgj-handler")
    assert client.get("/staff/register").status_code == 403


def test_the_board_keeps_a_confidential_title_from_an_uncleared_supervisor(client, db) -> None:  # type: ignore[no-untyped-def]
    secret = "某局长收受开发商贿赂"
    for i, case in enumerate(db.query(Case).order_by(Case.id).limit(6)):
        case.title, case.body = f"{secret}{i}", f"翠湖花园项目{secret}，第{i}次举报，请纪检部门调查。"
        case.visibility, case.registered_at = "confidential", utcnow() - timedelta(hours=i)
        case.due_at, case.status, case.urgent = utcnow() - timedelta(days=2), "in_progress", True
    arrange(db)
    sign_in(client, "supervisor")
    assert secret not in client.get("/staff/board").text
    sign_in(client, "admin")
    assert secret in client.get("/staff/board").text


def test_handlers_open_on_the_cases_to_sign_for(client, db) -> None:  # type: ignore[no-untyped-def]
    from minyi.departments.models import Department

    case = find_case(db, status="assigned")
    code = db.get(Department, case.department_id).code
    for other in db.query(Case).filter(
        Case.department_id == case.department_id, Case.status == "in_progress"
    ):
        other.due_at = utcnow() - timedelta(days=30)  # older work due first must not push the new case away
    arrange(db)
    sign_in(client, f"{code}-handler")
    queue = client.get("/staff").text
    assert 'href="/staff?view=to_sign" aria-current="page"' in queue and "待签收" in queue
    listed = [
        int(v.split('"')[0]) for v in queue.split('href="/staff/cases/')[1:] if v.split('"')[0].isdigit()
    ]
    assert case.id in listed
    assert {db.get(Case, i).status for i in listed} == {"assigned"}


def test_the_board_shows_late_cases_a_department_and_a_page_at_a_time(client, db) -> None:  # type: ignore[no-untyped-def]
    for c in db.query(Case).filter(Case.due_at.is_not(None)):
        c.due_at = utcnow() + timedelta(days=30)  # nothing else late
    cases = db.query(Case).filter(Case.department_id.is_not(None)).order_by(Case.id).all()
    first = cases[0]
    other = next(c for c in cases if c.department_id != first.department_id)
    many = [c for c in cases if c is not other][:12]
    for c in [*many, other]:
        c.status, c.visibility = "in_progress", "public"
    for c in many:
        c.department_id = first.department_id
    for i, c in enumerate([*many, other]):
        c.due_at = utcnow() - timedelta(days=3, hours=i)
    arrange(db)
    sign_in(client, "supervisor")
    board = client.get("/staff/board").text
    assert board.count('class="late-case"') == 10 and "第 1 / 2 页" in board
    assert (
        client.get(f"/staff/board?dept={first.department_id}&page=2").text.count('class="late-case"')
        == len(many) - 10
    )
    elsewhere = client.get(f"/staff/board?dept={other.department_id}").text
    assert elsewhere.count('class="late-case"') == 1 and f"/staff/cases/{other.id}" in elsewhere


def test_an_uncovered_year_is_flagged_until_an_administrator_loads_its_schedule(
    client, db, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from minyi.deadlines import workcal
    from minyi.deadlines.clock import forget_calendar

    next_year = utcnow().year + 1
    monkeypatch.setattr(workcal, "_library_years", lambda: frozenset(range(2004, next_year)))
    forget_calendar()
    case = find_case(db, status="in_progress")
    case.deadline_provisional = True
    arrange(db)
    sign_in(client, "admin")
    assert "暂定" in client.get(f"/staff/cases/{case.id}").text
    for page in ("/staff/board", "/staff/admin"):
        assert f"节假日安排尚未覆盖{next_year}年" in client.get(page).text
    bad = post_form(client, "/staff/admin", "/staff/admin/calendar-schedule", {"schedule": '{"holidays": 1}'})
    assert bad.status_code == 422 and "节假日安排文件无效" in bad.text
    schedule = f'{{"holidays": ["{next_year}-01-01"], "workdays": []}}'
    ok = post_form(client, "/staff/admin", "/staff/admin/calendar-schedule", {"schedule": schedule})
    assert ok.status_code == 303
    assert "calendar-coverage" not in client.get("/staff/admin").text
    assert "calendar-coverage" not in client.get("/staff/board").text


def test_a_capped_queue_total_reads_at_least_and_keeps_the_next_page(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import minyi.cases.queries as queries
    import minyi.workbench.pages as pages

    sign_in(client, "admin")
    exact = client.get("/staff?view=all").text
    n = int(re.search(r"共 (\d+) 件", exact).group(1))  # type: ignore[union-attr]
    assert n > 25 and f"第 1 页 / {(n + 19) // 20}" in exact  # under the cap: exact, with the page count
    for module in (queries, pages):
        monkeypatch.setattr(module, "COUNT_CAP", 25)
    first = client.get("/staff?view=all").text
    assert (
        "共 25+ 件" in first and "第 1 页</span>" in first and "page=2" in first
    )  # at least 25; more follow
    deep = client.get("/staff?view=all&page=2").text  # past the cap, the next page is still offered
    assert "共 25+ 件" in deep and ("page=3" in deep) == (n > 40)
