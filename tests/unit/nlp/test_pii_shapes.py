"""The shapes found on public pages in issues 9 and 14: each must be masked, and its look-alikes left alone."""

from __future__ import annotations

import pytest

from minyi.nlp.pii import find, redact


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in find(text)]


@pytest.mark.parametrize("number", ["510104-19900101-1230", "510104 19900101 1230", "510104.1990.0101.1230"])
def test_id_numbers_split_by_dashes_spaces_or_dots_are_masked(number: str) -> None:
    assert redact(f"身份证{number}，请核实") == "身份证【身份证号】，请核实"
    assert kinds(f"号码{number}") == [("id_card", number)]


def test_a_separated_number_that_is_not_an_id_is_left_alone() -> None:
    assert find("工单号510104-19900101-1230") == []  # an order cue, and no ID cue
    assert find("编号510104-19901301-1230") == []  # month 13


@pytest.mark.parametrize("number", ["137.0000.2222", "137-0000-2222", "137 0000 2222", "137—0000—2222"])
def test_mobiles_with_dots_dashes_or_spaces_are_masked(number: str) -> None:
    assert redact(f"电话{number}。") == "电话【手机号】。"


@pytest.mark.parametrize(
    "number",
    ["一三八一二三四五六七八", "壹叁捌零零零零壹贰叁肆", "幺三九〇〇〇〇二二二二", "138一二三四五六七八"],
)
def test_mobiles_written_in_chinese_numerals_are_masked(number: str) -> None:
    assert redact(f"我的电话{number}，谢谢") == "我的电话【手机号】，谢谢"


def test_chinese_numerals_that_are_not_a_phone_are_left_alone() -> None:
    for text in ["二〇一九年十一月十日", "一二三四五六七八九十", "第一百二十三条", "三三两两"]:
        assert find(text) == [], text


@pytest.mark.parametrize(
    ("text", "wechat"),
    [
        ("微信：zhang_wei1988", "zhang_wei1988"),
        ("加我VX: lm19900101", "lm19900101"),
        ("wx：abc-def123", "abc-def123"),
        ("微信号是wxid_k2m9x8a7q1", "wxid_k2m9x8a7q1"),
    ],
)
def test_wechat_ids_after_their_cue_are_masked(text: str, wechat: str) -> None:
    assert kinds(text) == [("wechat", wechat)]


def test_qq_numbers_after_their_cue_are_masked_but_not_groups_or_mail() -> None:
    assert redact("我的QQ：12345678，扣扣 2845671234") == "我的QQ：【QQ号】，扣扣 【QQ号】"
    assert kinds("QQ邮箱553218@qq.com") == [("email", "553218@qq.com")]
    assert find("QQ群123456789里通知的") == []
    assert find("微信公众号A市发布，微信群里说的") == []


@pytest.mark.parametrize("plate", ["湘A 12345", "湘 A12345", "粤B D12345", "京N-8K2M1"])
def test_plates_with_spaces_or_dashes_are_masked(plate: str) -> None:
    assert kinds(f"车牌{plate}的车") == [("plate", plate)]


def test_street_numbers_and_flats_are_masked_below_the_road_or_estate() -> None:
    assert redact("家住湖滨路18号") == "家住湖滨路【门牌地址】"
    assert redact("滨江花园B座1502楼上漏水") == "滨江花园【门牌地址】楼上漏水"
    assert redact("长乐路123弄4号") == "长乐路【门牌地址】"
    assert redact("阳光小区1502室") == "阳光小区【门牌地址】"
    assert kinds("朝阳路311号金色华庭3栋2单元501室") == [("address", "311号"), ("address", "3栋2单元501室")]


def test_road_names_lines_documents_and_floors_are_not_addresses() -> None:
    for text in [
        "湖滨路全线封闭",
        "地铁2号线",
        "湘政发〔2019〕3号",
        "万达B座48楼整层",
        "K128路公交车",
        "302室的住户",
    ]:
        assert find(text) == [], text


def test_greetings_name_the_person_greeted() -> None:
    assert redact("张建国您好，您反映的问题已转交") == "【姓名】您好，您反映的问题已转交"
    assert redact("王秀英：您好！") == "【姓名】：您好！"
    assert redact("尊敬的李建华同志：") == "尊敬的【姓名】同志："
    assert redact("刘同志您好") == "【姓名】同志您好"


def test_greetings_to_offices_and_crowds_are_left_alone() -> None:
    for text in [
        "尊敬的领导您好",
        "网友您好",
        "胡书记您好",
        "王局长您好",
        "各位同志",
        "党员同志带头",
        "我的安全您好",
    ]:
        assert [s for s in find(text) if s.kind == "name"] == [], text


def test_names_after_a_relation_cue() -> None:
    assert redact("邻居刘德明每天堆杂物") == "邻居【姓名】每天堆杂物"
    assert redact("我爱人王秀英在住院") == "我爱人【姓名】在住院"
    assert redact("房东李华不退押金") == "房东【姓名】不退押金"
    for text in ["邻居张贴小广告", "邻居家的狗", "邻居王大爷", "业主委员会", "村民小组"]:
        assert find(text) == [], text


def test_a_bare_name_leading_a_title_before_a_verb() -> None:
    assert redact("王小明 投诉噪音") == "【姓名】 投诉噪音"
    assert redact("李秀英实名举报村干部") == "【姓名】实名举报村干部"
    assert redact("标题\n刘明反映停水") == "标题\n【姓名】反映停水"
    for text in ["高温投诉", "王府井投诉", "关于投诉物业", "车主投诉", "黄金投诉", "房东反映"]:
        assert find(text) == [], text
