"""Personal-data masking: each kind, check digits, offsets, full-width input and the masks."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minyi.nlp.pii import MASKS, Span, find, redact, redact_lines


def kinds(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in find(text)]


def test_an_id_number_with_a_valid_check_digit_is_masked() -> None:
    assert redact("身份证号11010519491231002X，请核实") == "身份证号【身份证号】，请核实"
    assert kinds("证件430102199001011238") == [("id_card", "430102199001011238")]


def test_an_id_number_with_a_wrong_check_digit_needs_a_cue() -> None:
    assert kinds("单据430102199001011237") == []
    assert kinds("身份证号码：430102199001011237") == [("id_card", "430102199001011237")]


def test_old_fifteen_digit_ids_are_masked() -> None:
    assert kinds("旧证号430102900101123作废") == [("id_card", "430102900101123")]


@pytest.mark.parametrize(
    "number", ["13812345678", "138 1234 5678", "138-1234-5678", "+86 13812345678", "+8613812345678"]
)
def test_mobile_numbers_in_their_usual_shapes(number: str) -> None:
    assert redact(f"电话{number}。") == "电话【手机号】。"


def test_landlines_with_area_code_and_extension() -> None:
    assert redact("办公室0731-84567890转123，谢谢") == "办公室【电话】，谢谢"
    assert redact("座机(010)62345678") == "座机【电话】"
    assert redact("联系电话：8222580") == "联系电话：【电话】"


def test_public_hotlines_are_not_personal() -> None:
    assert find("请拨打12345或110，客服400-800-1234") == []


def test_bank_cards_need_luhn_or_a_cue_and_never_an_order_cue() -> None:
    assert kinds("转账到6222021234567890128") == [("bank_card", "6222021234567890128")]  # Luhn ok
    assert kinds("转账到6222021234567890127") == []  # Luhn fails, no cue
    assert kinds("银行卡6222 0212 3456 7890 127") == [("bank_card", "6222 0212 3456 7890 127")]
    assert kinds("订单号6222021234567890128") == []
    assert kinds("卡号0000000000000000") == []


def test_email_plate_name_and_address() -> None:
    text = "我叫张伟，邮箱zhang.wei@163.com，车牌湘A·D12345，住阳光花园3栋2单元501室"
    assert kinds(text) == [
        ("name", "张伟"),
        ("email", "zhang.wei@163.com"),
        ("plate", "湘A·D12345"),
        ("address", "3栋2单元501室"),
    ]
    assert redact(text) == "我叫【姓名】，邮箱【邮箱】，车牌【车牌号】，住阳光花园【门牌地址】"


def test_names_before_titles_and_self_introductions() -> None:
    assert redact("物业的王先生说") == "物业的【姓名】先生说"
    assert redact("本人李建国，男，现年56岁") == "本人【姓名】，男，现年56岁"
    assert find("本人系春华镇村民") == []
    assert find("退还本人费用") == []
    assert find("我和先生都是退休职工") == []


def test_names_found_by_their_cues_stop_before_verbs_and_skip_words_and_places() -> None:
    """Found on the real messages while checking the cues of pii_name_cues (issue 14, session 4)."""
    assert kinds("并明确向社区书记熊洪请求主持公道") == [("name", "熊洪")]
    assert kinds("对文中所提到的问题") == []
    assert kinds("还市民安静的休息时间") == []
    assert kinds("居民王家湾路段积水") == []
    assert kinds("李建国、王秀兰、张志华等三人") == [
        ("name", "李建国"),
        ("name", "王秀兰"),
        ("name", "张志华"),
    ]


def test_case_numbers_dates_amounts_and_counts_are_left_alone() -> None:
    for text in ["(2019)湘0102民初123号", "20191110当天", "金额12000元", "共300多户", "工单号20191110083015"]:
        assert find(text) == [], text


def test_full_width_digits_are_found_and_offsets_point_into_the_original() -> None:
    text = "手机１３８１２３４５６７８"
    (span,) = find(text)
    assert span == Span("mobile", 2, 13, "１３８１２３４５６７８")
    assert text[span.start : span.end] == span.text


def test_every_mask_names_what_was_removed() -> None:
    assert set(MASKS.values()) == {
        "【身份证号】",
        "【手机号】",
        "【电话】",
        "【邮箱】",
        "【银行卡号】",
        "【车牌号】",
        "【微信号】",
        "【QQ号】",
        "【姓名】",
        "【门牌地址】",
    }


@given(st.text(max_size=300))
def test_find_never_raises_and_spans_never_overlap(text: str) -> None:
    spans = find(text)
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    for s in spans:
        assert text[s.start : s.end] == s.text
    assert isinstance(redact(text), str)


def test_streams_are_redacted_line_by_line_keeping_line_endings() -> None:
    lines = ["电话13812345678\n", "没有个人信息\r\n", "邮箱a@b.cn"]
    assert list(redact_lines(lines)) == ["电话【手机号】\n", "没有个人信息\r\n", "邮箱【邮箱】"]


def test_a_long_text_full_of_personal_data_is_redacted_in_linear_time() -> None:
    text = "电话13812345678，我叫张三，住3栋2单元501室。" * 20_000
    started = time.perf_counter()
    out = redact(text)
    assert time.perf_counter() - started < 30
    assert out.count("【手机号】") == out.count("【姓名】") == out.count("【门牌地址】") == 20_000
