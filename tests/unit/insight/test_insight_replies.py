"""Reply quality: bare acknowledgements are weak; replies with facts, actions and a basis are complete."""

from __future__ import annotations

from datetime import UTC, datetime

from minyi.deadlines.workcal import WorkCalendar
from minyi.insight.replies import score_reply, substance, weak

GOOD = (
    "网友您好！您的留言已收悉。现将有关情况回复如下：经查，魏家坡小区停车秩序混乱、垃圾清运不及时的情况属实。"
    "根据《A市物业管理条例》第三十条规定，物业服务企业应当维护小区公共秩序。街道已责成物业公司于10月15日前完成"
    "垃圾清运并增设停车位，下一步将由社区每周督查，城管执法中队对占用消防通道的车辆依法处理。感谢您对我们工作的支持！"
)
MSG = "A3区魏家坡小区脏乱差。魏家坡小区停车难、垃圾多，消防通道被占。"


def test_full_reply_is_complete_and_explained() -> None:
    s = score_reply(MSG, GOOD)
    assert s.complete and s.explained and not s.acknowledgement and not s.template
    assert s.relevance > 0.1
    assert weak(s)[0] is False


def test_bare_acknowledgement_is_weak() -> None:
    s = score_reply(MSG, "网友您好！您的留言已收悉。已转交相关部门处理，请耐心等待。")
    assert s.acknowledgement and not s.complete and not s.explained
    is_weak, reasons = weak(s)
    assert is_weak and any("收悉" in r for r in reasons)


def test_substance_drops_greeting_and_thanks() -> None:
    assert (
        substance("网友您好！您的留言已收悉。现将有关情况回复如下：已修复。感谢您对我们工作的支持！")
        == "已修复。"
    )


def test_unrelated_reply_has_low_relevance() -> None:
    s = score_reply(MSG, "经查，公积金贷款最高额度为70万元，根据《住房公积金管理条例》执行。")
    assert s.relevance < score_reply(MSG, GOOD).relevance


def test_workdays_skip_weekends_and_national_day() -> None:
    asked = datetime(2019, 9, 27, 2, tzinfo=UTC)  # Friday 27 Sept, China
    replied = datetime(2019, 10, 9, 2, tzinfo=UTC)  # Wednesday 9 Oct
    # 28 Sept (Sat) and 12 Oct (Sat) are make-up workdays; 1-7 Oct are holidays: 28 Sep, 30 Sep, 8 Oct, 9 Oct.
    assert WorkCalendar().workdays_elapsed(asked, replied) == 4
    s = score_reply(MSG, GOOD, asked, datetime(2019, 12, 31, 2, tzinfo=UTC))
    assert s.workdays and s.workdays > 15 and s.timeliness < 0.5
    assert any("工作日" in r for r in weak(s)[1])
