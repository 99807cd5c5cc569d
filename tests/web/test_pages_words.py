"""What people read: no text cut silently, no English in the Chinese pages, English names in English mode."""

from __future__ import annotations

from minyi.cases.models import Case
from minyi.locale.validation import message_zh
from tests.support.tamper import arrange
from tests.web.pages_support import *  # noqa: F403
from tests.web.pages_support import find_case, post_form, sign_in


def test_an_overlong_text_is_refused_with_its_length_and_never_cut(client) -> None:  # type: ignore[no-untyped-def]
    form = client.get("/submit").text
    body_field = form[form.index('id="f-body"') : form.index("</textarea>", form.index('id="f-body"'))]
    assert "maxlength" not in body_field and 'data-max="10000"' in body_field  # a paste is not truncated
    assert 'id="f-body-count"' in form and "/static/js/counter.js" in form
    r = post_form(client, "/submit", "/submit", {"kind": "complaint", "title": "很长的留言", "body": "长" * 10_050,
                                                 "visibility": "public", "consent": "1"})  # fmt: skip
    assert r.status_code == 422 and "详细内容有10050字" in r.text
    assert client.get("/static/js/counter.js").status_code == 200


def test_topic_names_are_english_in_english_mode(client) -> None:  # type: ignore[no-untyped-def]
    english = client.get("/submit?lang=en").text
    assert "Urban and rural development" in english and "Work safety" in english
    assert "城乡建设" not in english
    assert "城乡建设" in client.get("/submit?lang=zh-CN").text


def test_the_chinese_workbench_says_why_in_chinese(client, db) -> None:  # type: ignore[no-untyped-def]
    case = db.query(Case).filter(Case.channel == "web", Case.suggested_department_id.is_not(None)).first()
    arrange(db)
    sign_in(client, "intake")
    page = client.get(f"/staff/cases/{case.id}").text
    assert "routing rule" not in page and "submitter" not in page
    assert "按分派规则（" in page or "曾办理类似案件" in page


def test_validator_errors_read_in_chinese() -> None:
    assert message_zh({"type": "string_too_long", "ctx": {"max_length": 200}}) == "不能超过200个字"
    assert message_zh({"type": "missing"}) == "必须填写"
    assert message_zh({"type": "something_new"}) == "取值无效"


def test_the_reply_is_shown_once_on_the_public_case_page(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="replied", visibility="public")
    page = client.get(f"/cases/{case.id}").text
    marker = (case.reply_text or "")[:12]
    assert marker and page.count(marker) == 1


def test_region_names_are_english_in_english_mode(client, db) -> None:  # type: ignore[no-untyped-def]
    case = find_case(db, status="in_progress", region_code="990102001")
    english = client.get(f"/cases/{case.id}?lang=en").text
    assert "Hubin Subdistrict" in english and "湖滨街道" not in english
    assert "Mingchuan City" in client.get("/cases?lang=en").text  # the region filter too
    assert "湖滨街道" in client.get(f"/cases/{case.id}?lang=zh_CN").text
