"""Chinese messages for the schema validator's errors, so that a Chinese message never carries English text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

FIELDS_ZH = {
    "kind": "诉求类型", "channel": "渠道", "title": "标题", "body": "详细内容", "text": "内容",
    "topic_code": "问题分类", "region_code": "所在区域", "address": "具体地点", "latitude": "纬度",
    "longitude": "经度", "visibility": "公开方式", "anonymous": "匿名", "contact": "联系方式",
    "contact.name": "姓名", "contact.phone": "电话", "contact.email": "电子邮箱", "contact.id_number": "身份证号",
    "occurred_at": "发生时间", "on_behalf_of": "代为反映", "evaluation": "评价", "comment": "意见",
    "note": "备注", "reason": "理由", "department_id": "单位", "co_handler_ids": "协办单位", "days": "天数",
    "version": "版本号", "username": "用户名", "password": "密码", "current_password": "当前密码",
    "new_password": "新密码", "name": "名称", "name_en": "英文名称", "role": "角色", "priority": "优先级",
    "topic_prefix": "分类前缀", "region_prefix": "区划前缀", "queue": "队列", "page": "页码",
    "per_page": "每页条数", "q": "搜索词", "status": "状态", "day": "日期",
}  # fmt: skip

_BY_TYPE = {
    "missing": "必须填写", "string_too_short": "至少{min_length}个字", "string_too_long": "不能超过{max_length}个字",
    "too_short": "至少{min_length}项", "too_long": "不能超过{max_length}项",
    "string_pattern_mismatch": "格式不正确", "string_type": "须为文字", "int_parsing": "须为整数",
    "int_type": "须为整数", "int_from_float": "须为整数", "float_parsing": "须为数字", "float_type": "须为数字",
    "bool_parsing": "须为 true 或 false", "bool_type": "须为 true 或 false", "enum": "不是可选的取值",
    "literal_error": "不是可选的取值", "greater_than_equal": "不能小于{ge}",
    "less_than_equal": "不能大于{le}", "greater_than": "须大于{gt}", "less_than": "须小于{lt}",
    "datetime_parsing": "日期时间格式不正确", "datetime_type": "日期时间格式不正确",
    "datetime_from_date_parsing": "日期时间格式不正确", "timezone_aware": "日期时间须带时区",
    "date_parsing": "日期格式不正确", "date_from_datetime_parsing": "日期格式不正确",
    "json_invalid": "JSON 格式不正确", "model_type": "须为一个对象", "dict_type": "须为一个对象",
    "model_attributes_type": "须为一个对象", "list_type": "须为列表", "extra_forbidden": "不是可接受的字段",
    "value_error": "取值无效", "assertion_error": "取值无效", "url_parsing": "网址格式不正确",
}  # fmt: skip


def field_name_zh(field: str | None) -> str:
    """The Chinese name of a field as the API spells it (the field itself when it has none)."""
    if not field:
        return "请求"
    return FIELDS_ZH.get(field) or FIELDS_ZH.get(field.rsplit(".", 1)[-1]) or field


def message_zh(error: Mapping[str, Any]) -> str:
    """One validator error in Chinese, from its type and context (never the validator's English)."""
    template = _BY_TYPE.get(str(error.get("type", "")), "取值无效")
    context = {k: v for k, v in (error.get("ctx") or {}).items() if isinstance(v, str | int | float)}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split("{", 1)[0].rstrip("：") or "取值无效"
