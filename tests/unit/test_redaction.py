"""The one redaction of public text: a submitter's own identities are masked however the text writes them."""

from __future__ import annotations

from minyi.cases.redaction import address_parts, combine, known_of, mask, number_forms

ZHANG = known_of({
    "name": "张建国", "phone": "138-0013-8000", "id_number": "51010419900101123X",
    "email": "jianguo.zhang@example.com", "address": "明川市湖滨区湖滨路18号3栋2单元301室",
})  # fmt: skip


def test_the_submitters_name_is_masked_without_any_cue_even_spaced_out() -> None:
    assert mask("张建国您好：电梯已修复", ZHANG) == "【姓名】您好：电梯已修复"
    assert mask("张 建 国反映电梯", ZHANG) == "【姓名】反映电梯"


def test_numbers_are_masked_with_spaces_dashes_or_dots() -> None:
    for written in ("13800138000", "138 0013 8000", "138.0013.8000", "138-0013-8000"):
        assert mask(f"电话{written}。", ZHANG) == "电话【手机号】。", written
    assert mask("证件510104-19900101-123x", ZHANG) == "证件【身份证号】"


def test_a_known_number_inside_a_longer_number_is_not_masked() -> None:
    assert "【手机号】" not in (mask("订单号9138001380001", ZHANG) or "")


def test_the_email_is_masked_whatever_its_case() -> None:
    assert mask("发到JianGuo.Zhang@Example.COM了", ZHANG) == "发到【邮箱】了"


def test_the_home_address_is_masked_in_its_pieces() -> None:
    assert mask("现场在湖滨路18号", ZHANG) == "现场在【门牌地址】"
    assert mask("住3栋2单元301室", ZHANG) == "住【门牌地址】"
    assert "湖滨路18号" in address_parts("湖滨区湖滨路18号3栋") and "湖滨区" not in address_parts(
        "湖滨区湖滨路18号"
    )


def test_short_or_vague_identities_mask_nothing_of_their_own() -> None:
    vague = known_of({"name": "张先生", "phone": "12345", "address": "湖滨区幸福小区"})
    assert not vague
    assert mask("湖滨区幸福小区打12345热线", vague) == "湖滨区幸福小区打12345热线"


def test_phone_forms_drop_the_country_code_and_keep_a_landline_local_number() -> None:
    assert number_forms("+86 137 2222 3333") == {"13722223333"}
    assert {"073188886666", "88886666"} <= number_forms("0731-88886666")


def test_a_merged_family_masks_everyone() -> None:
    li = known_of({"name": "李秀英"})
    assert mask("张建国、李秀英您好", combine([ZHANG, li])) == "【姓名】、【姓名】您好"
    assert mask(None, ZHANG) is None
