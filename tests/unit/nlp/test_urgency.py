"""Urgency flags: each category, the trigger words, negation, urgency rule and administrator lexicons."""

from __future__ import annotations

from pathlib import Path

import pytest

from minyi.nlp import urgency
from minyi.nlp.urgency import UrgencyFlag, detect, is_urgent


def flags_of(text: str) -> dict[str, list[str]]:
    return {f.flag: f.words for f in detect(text)}


@pytest.mark.parametrize(
    ("text", "flag", "word"),
    [
        ("邻居家厨房着火了，浓烟滚滚", "danger", "着火"),
        ("楼道里闻到很重的煤气味，疑似燃气泄漏", "danger", "燃气泄漏"),
        ("老房子的墙体开裂，随时可能倒塌", "danger", "墙体开裂"),
        ("他说再不解决就跳楼", "danger", "跳楼"),
        ("城管暴力执法，把摊主打伤了", "danger", "打伤"),
        ("小区门口的变压器漏电，已经有狗触电死了", "danger", "触电"),
        ("我家有一个残疾的儿子需要照顾", "vulnerable", "残疾"),
        ("女儿放学路上被一辆逆行摩托车撞到在地", "danger", "被一辆逆行摩托车撞到"),
        ("网吧允许未成年人通宵上网", "vulnerable", "未成年人"),
        ("家里孩子还小，老人又生病住院", "vulnerable", "孩子"),
        ("包工头拖欠我们农民工工资两年", "wage_arrears", "拖欠我们农民工工资"),
        ("去年干了半年活，到现在还没拿到工资", "wage_arrears", "没拿到工资"),
        ("我们去讨薪被保安赶出来了", "wage_arrears", "讨薪"),
        ("业主们准备集体上访", "collective", "集体上访"),
        ("有人在售楼部门口拉横幅", "collective", "拉横幅"),
        ("村民堵路要求赔偿", "collective", "堵路"),
        ("我们已经联名写信给市长", "collective", "联名"),
        ("我们300多户业主都没有拿到房产证", "collective", "我们300多户"),
        ("我们两百户业主三年没有用上天然气", "collective", "我们两百户"),
        ("小区上千名居民饮水困难", "collective", "上千名居民"),
    ],
)
def test_each_category_is_flagged_with_its_trigger_word(text: str, flag: str, word: str) -> None:
    found = flags_of(text)
    assert flag in found, found
    assert word in found[flag]


@pytest.mark.parametrize(
    "text",
    [
        "小区路灯坏了一个月，请尽快维修",
        "建议增加公交线路，方便出行",
        "没有发生火灾，但消防通道被堵",
        "一旦发生火灾，后果不堪设想",
        "从未拖欠工资的企业也被检查",
        "补偿款只有3000元，太少了",
        "小区共1200户，只有两部电梯",  # a count of households is not itself a collective action
        "我们小区2019年交房",
        "几千元的物业费不知道用在哪里",
        "学校有2000多名学生，周边还有很多老人",
        "全镇人口2712人，实际3000多人",
        "晚上停车堵路情况严重",
        "出动上百人次的执法人员",
        "K3县龙溪村非危房被拆无赔偿",
    ],
)
def test_ordinary_complaints_raise_nothing_urgent(text: str) -> None:
    assert not is_urgent(detect(text)), detect(text)


def test_a_single_weak_word_is_not_enough() -> None:
    assert flags_of("学校门口的路太窄") == {}
    assert "vulnerable" not in flags_of("孩子上学很远")
    assert "vulnerable" in flags_of("孩子上学很远，老人看病也难")


def test_only_danger_and_collective_make_a_message_urgent() -> None:
    assert is_urgent([UrgencyFlag("danger", ["火灾"])])
    assert is_urgent([UrgencyFlag("collective", ["联名"])])
    assert not is_urgent([UrgencyFlag("vulnerable", ["残疾"]), UrgencyFlag("wage_arrears", ["欠薪"])])
    assert not is_urgent([])


def test_flags_come_in_a_fixed_order_with_scores() -> None:
    result = detect("我们100多户业主集体上访，有老人被打伤，还有人拖欠农民工工资，家里有残疾人")
    assert [f.flag for f in result] == ["danger", "vulnerable", "wage_arrears", "collective"]
    assert all(f.score >= urgency.RAISE_AT for f in result)


def test_traditional_and_full_width_text_is_normalised_first() -> None:
    assert "danger" in flags_of("樓道裡發生火災")
    assert "collective" in flags_of("我們３００多戶業主")


def test_administrators_can_extend_the_lexicon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extra = tmp_path / "extra.csv"
    extra.write_text("flag,pattern,weight\n# local words\ndanger,野猪伤人|毒蛇,1\n", "utf-8")
    assert flags_of("村里有野猪伤人") == {}
    assert detect("村里有野猪伤人", extra_lexicon=extra)[0].words == ["野猪伤人"]
    monkeypatch.setenv(urgency.ENV_VAR, str(extra))
    assert flags_of("院子里发现毒蛇") == {"danger": ["毒蛇"]}


def test_a_broken_lexicon_row_is_reported_with_its_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("flag,pattern,weight\nnonsense,火,1\n", "utf-8")
    with pytest.raises(ValueError, match="bad.csv:2"):
        detect("火", extra_lexicon=bad)
    bad.write_text("danger,(unclosed,1\n", "utf-8")
    with pytest.raises(ValueError, match="bad row"):
        detect("火", extra_lexicon=str(bad))


def test_empty_text_raises_nothing() -> None:
    assert detect("") == []
    assert detect("   ") == []


@pytest.mark.parametrize(
    "text",
    [
        "为了减轻生产成本",  # 轻生 inside 减轻生产
        "医疗事故夺走了年轻生命",
        "31栋103业主无证经营麻将馆",  # a room number, not a head count
        "发工资时不发放工资条",
        "不污染没噪音之类的瞎话，这是在慢性自杀",
        "系统瘫痪了三天",
    ],
)
def test_look_alike_words_raise_no_flag(text: str) -> None:
    assert detect(text) == []
