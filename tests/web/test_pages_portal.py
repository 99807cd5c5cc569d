"""The public portal over HTTP: submit, track, evaluate, browse, scoreboard; personal data stays masked."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from minyi.accounts.actions import actor_of
from minyi.cases import actions
from minyi.cases.models import Case
from minyi.cases.tracking import normalize_code
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import csrf_of, find_case, post_form, user

CODE = re.compile(r'id="tracking-code">([0-9A-Z-]+)<')


def _submit(client, **extra):  # type: ignore[no-untyped-def]
    data = {"kind": "complaint", "title": "幸福路路灯不亮", "body": "幸福路与人民路口的路灯坏了一个月，晚上很黑。",
            "visibility": "public", "consent": "1", **extra}  # fmt: skip
    return post_form(client, "/submit", "/submit", data)


def test_front_page_is_chinese_and_offers_english(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/")
    assert r.status_code == 200
    assert '<html lang="zh-CN">' in r.text and "我要留言" in r.text
    assert 'href="/?lang=en"' in r.text


def test_english_switch_sets_a_cookie_and_sticks(client) -> None:  # type: ignore[no-untyped-def]
    r = client.get("/submit?lang=en")
    assert '<html lang="en">' in r.text and "Submit a demand" in r.text
    assert "minyi_lang=en" in r.headers["set-cookie"]
    assert "Track a case" in client.get("/").text
    assert "我要留言" in client.get("/?lang=zh-CN").text


def test_citizen_submits_tracks_and_evaluates(client, db) -> None:  # type: ignore[no-untyped-def]
    r = _submit(client, contact_name="王小明", contact_phone="13812345678")
    assert r.status_code == 303 and r.headers["location"] == "/submit/done"
    done = client.get("/submit/done")
    code = CODE.search(done.text).group(1)
    assert "请抄下或截图保存这个查询码" in done.text
    assert client.get("/submit/done", follow_redirects=False).status_code == 303  # shown once
    case = db.scalar(select(Case).where(Case.tracking_code == normalize_code(code)))
    assert case is not None and case.title == "幸福路路灯不亮"
    arrange(db)
    r = post_form(client, "/track", "/track", {"code": code.lower()})
    assert r.status_code == 303 and code not in r.headers["location"]
    page = client.get("/track/case")
    assert "幸福路路灯不亮" in page.text and "已登记" in page.text and "13812345678" not in page.text
    handler = actor_of(user(db, "cgj-handler"))
    intake = actor_of(user(db, "intake"))
    actions.do_accept(db, case, intake)
    actions.do_assign(db, case, intake, department_id=handler.department_id)
    actions.do_sign_for(db, case, handler)
    actions.do_reply(db, case, handler, text="已于今日修复，联系电话13900001111。")
    page = client.get("/track/case")
    assert "已于今日修复" in page.text and "13900001111" not in page.text and "【手机号】" in page.text
    assert page.text.count("已于今日修复") == 1  # the reply once, not again in the timeline
    r = client.post("/track/evaluate", data={"evaluation": "satisfied", "csrf_token": csrf_of(page.text)},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "感谢您的评价" in client.get(r.headers["location"]).text
    db.refresh(case)
    assert case.status == "closed" and case.evaluation == "satisfied"


def test_unsatisfied_evaluation_reopens_the_case(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="replied")
    post_form(client, "/track", "/track", {"code": case.tracking_code})
    page = client.get("/track/case")
    r = client.post("/track/evaluate", data={"evaluation": "unsatisfied", "comment": "没解决",
                                             "csrf_token": csrf_of(page.text)}, follow_redirects=False)  # fmt: skip
    assert "重新办理" in client.get(r.headers["location"]).text
    db.refresh(case)
    assert case.status == "rehandling"


def test_submit_shows_each_problem_next_to_its_field(client) -> None:  # type: ignore[no-untyped-def]
    r = post_form(client, "/submit", "/submit", {"kind": "", "title": "", "body": "", "contact_phone": "abc"})
    assert r.status_code == 422
    for field, message in [("kind", "请选择诉求类型"), ("title", "请填写标题"), ("body", "请填写详细内容"),
                           ("contact_phone", "电话号码格式不正确"), ("consent", "请确认内容属实")]:  # fmt: skip
        assert f'id="f-{field}-error">{message}' in r.text
    assert 'aria-invalid="true"' in r.text


def test_wrong_tracking_code_is_refused_kindly(client) -> None:  # type: ignore[no-untyped-def]
    r = post_form(client, "/track", "/track", {"code": "0000-0000-0000"})
    assert r.status_code == 404 and "没有找到这个查询码" in r.text
    assert client.get("/track/case", follow_redirects=False).headers["location"] == "/track"


def test_public_cases_are_masked_filtered_and_paged(client, db) -> None:  # type: ignore[no-untyped-def]
    _submit(client, body="我叫王小明，电话13812345678，家门口的井盖丢了。", contact_phone="13812345678")
    case = db.scalar(select(Case).order_by(Case.id.desc()))
    arrange(db)
    actions.do_accept(db, case, actor_of(user(db, "intake")))
    listing = client.get("/cases?q=井盖")
    assert f'href="/cases/{case.id}"' in listing.text
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200 and "13812345678" not in page.text and "【手机号】" in page.text
    assert "13812345678" not in listing.text
    assert client.get("/cases?kind=praise&status=closed").status_code == 200
    fragment = client.get("/cases?q=井盖", headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in fragment.text and f"/cases/{case.id}" in fragment.text


def test_private_and_unreviewed_cases_answer_like_missing_ones(client, db) -> None:  # type: ignore[no-untyped-def]
    registered = find_case(db, status="registered")
    missing = client.get("/cases/999999")
    hidden = client.get(f"/cases/{registered.id}")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.text.replace(f"/cases/{registered.id}", "/cases/X") == missing.text.replace(
        "/cases/999999", "/cases/X"
    )


def test_scoreboard_has_a_table_a_chart_and_a_csv(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/scoreboard")
    assert page.status_code == 200 and "按时答复率" in page.text
    assert "/static/vendor/echarts/echarts.common.min.js" in page.text and 'id="chart-data"' in page.text
    csv = client.get("/scoreboard.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("单位,收件数") and len(lines) > 5
    assert client.get("/scoreboard.csv?lang=en").text.lstrip("\ufeff").startswith("Department,")


def test_assets_are_served_locally_with_licences(client) -> None:  # type: ignore[no-untyped-def]
    for path in ["/static/vendor/htmx/htmx.min.js", "/static/vendor/htmx/LICENSE",
                 "/static/vendor/echarts/echarts.common.min.js", "/static/vendor/echarts/LICENSE",
                 "/static/css/minyi.css", "/static/js/charts.js"]:  # fmt: skip
        assert client.get(path).status_code == 200, path
    html = client.get("/scoreboard").text
    assert "http://" not in html.replace("http://testserver", "") and "https://" not in html
    assert "default-src 'self'" in client.get("/").headers["content-security-policy"]


def test_citizen_withdraws_an_open_demand(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="registered")
    post_form(client, "/track", "/track", {"code": case.tracking_code})
    page = client.get("/track/case")
    assert "撤回诉求" in page.text
    r = client.post("/track/withdraw", data={"reason": "已自行解决", "csrf_token": csrf_of(page.text)},
                    follow_redirects=True)  # fmt: skip
    assert r.status_code == 200 and "您的诉求已撤回" in r.text and "撤回诉求" not in r.text
    db.rollback()
    db.expire_all()
    assert db.get(type(case), case.id).status == "withdrawn"


def test_back_and_resubmit_shows_the_same_case(client, db) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/submit").text
    token = re.search(r'name="submit_token" value="([^"]+)"', page).group(1)
    data = {"kind": "complaint", "title": "幸福路井盖缺失", "body": "幸福路12号门前井盖丢了，很危险。",
            "visibility": "public", "consent": "1", "csrf_token": csrf_of(page), "submit_token": token}  # fmt: skip
    codes = []
    for _ in range(2):
        r = client.post("/submit", data=data, follow_redirects=False)
        assert r.status_code == 303
        codes.append(CODE.search(client.get("/submit/done").text).group(1))
    assert codes[0] == codes[1]
    assert db.scalar(select(func.count()).select_from(Case).where(Case.title == "幸福路井盖缺失")) == 1
    changed = client.post("/submit", data={**data, "title": "幸福路井盖还是没有"}, follow_redirects=False)
    assert changed.status_code == 409 and "这份表单已经提交过" in changed.text
    assert f'name="submit_token" value="{token}"' not in changed.text  # a fresh form to send the new matter


def test_language_switch_does_not_echo_a_huge_query(client) -> None:  # type: ignore[no-untyped-def]
    """The switch keeps short parameters and drops a long value and the parameters past the cap."""
    many = "&".join(f"p{i}=v" for i in range(200))
    r = client.get(f"/?q=路灯&big={'x' * 5000}&{many}")
    links = re.findall(r'href="(/\?[^"]*lang=en)"', r.text)
    assert links and len(links[0]) < 500
    assert "xxxx" not in links[0] and "p199" not in links[0] and "q=" in links[0]
