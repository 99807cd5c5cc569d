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


DOG = "楼下邻居养大型犬，每天夜里狗叫扰民，出门也不拴绳，小孩很害怕，希望有关部门管一管。"


def test_a_reply_saying_what_was_checked_done_and_on_what_basis_is_not_weak() -> None:
    # Issue 9 (newcomer): a complete, lawful reply in other words than the message (犬 for 狗) was flagged.
    reply = (
        "经核查，已联系社区对养犬户进行劝导，要求其文明养犬、出门拴绳。"
        "依据《明川市养犬管理条例》，社区将持续跟进，如再次发生请及时反映。"
    )
    s = score_reply(DOG, reply)
    assert s.complete and s.explained
    assert weak(s) == (False, [])


def test_a_reply_that_only_forwards_is_weak_even_when_it_names_a_check() -> None:
    s = score_reply(
        DOG + "什么时候能处理？", "您好!您反映的问题已转观音阁镇核查、办复,感谢您的留言,祝您事事顺心。"
    )
    assert not s.complete and not s.explained
    assert weak(s)[0]


def test_a_referral_to_a_hotline_is_weak() -> None:
    s = score_reply(
        "孩子出生证明怎么办理？医院说要正式身份证。",
        "网民您好:您反映的问题建议您拨打12345市长热线,可以就有关问题进咨询,谢谢!",
    )
    assert not s.complete and weak(s)[0]


def test_a_short_direct_answer_to_a_question_is_complete() -> None:
    s = score_reply(
        "身份证丢了怎么挂失？需不需要登报申明遗失？",
        "全国各地公安机关均可受理身份证挂失业务,不需要登报申明遗失。您可以就近选择公安机关办理。",
    )
    assert s.complete and not weak(s)[0]


def test_a_refusal_with_its_reason_is_complete_and_explained() -> None:
    s = score_reply(
        "建议将白竹坡路口公交站更名为马坡岭小学。",
        "公交站点的设置需要方便周边的市民出行,现有公交线路均使用该三处公交站站名,市民均已熟知,因此不宜变更。",
    )
    assert s.complete and s.explained
