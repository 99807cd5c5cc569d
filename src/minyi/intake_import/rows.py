"""Reading one row of a hotline export: which column is which, and what is wrong with a bad row. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple, Protocol

from minyi.cases.rules import KIND_ZH, Kind
from minyi.cases.schemas import MAX_BODY
from minyi.deadlines.workcal import CHINA

FIELDS = {
    "ref": [
        "工单编号",
        "工单号",
        "编号",
        "流水号",
        "信件编号",
        "work_order",
        "work_order_no",
        "ref",
        "id",
        "order_no",
    ],
    "time": ["来电时间", "受理时间", "登记时间", "留言时间", "时间", "time", "received_at", "created_at"],
    "caller": ["来电人", "反映人", "姓名", "联系人", "caller", "name", "user"],
    "phone": ["来电号码", "联系电话", "电话", "phone"],
    "title": ["标题", "留言主题", "主题", "title", "subject"],
    "text": [
        "诉求内容",
        "反映内容",
        "来电内容",
        "留言详情",
        "问题描述",
        "内容",
        "text",
        "content",
        "body",
        "detail",
    ],
    "kind": ["诉求类型", "工单类型", "性质", "类型", "kind", "type"],
    "region": ["所属区域", "行政区划", "区域", "区县", "region", "district"],
    "department": ["承办单位", "处理单位", "办理单位", "责任单位", "department", "handling_unit"],
    "reply": ["答复内容", "答复意见", "回复内容", "办理结果", "reply", "answer"],
    "reply_time": ["答复时间", "回复时间", "办结时间", "reply_time", "replied_at"],
}
REQUIRED = ("ref", "time", "text")
KIND_BY_NAME = {zh: k for k, zh in KIND_ZH.items()} | {k.value: k.value for k in Kind}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_COMMON_TIME = re.compile(r"(\d{4})[/-](\d{1,2})[/-](\d{1,2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")
_TIME_FORMATS = ("%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S",
                 "%Y/%m/%d", "%Y-%m-%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日")  # fmt: skip


class Lookups(Protocol):
    region_codes: set[str]
    region_by_name: dict[str, str]
    dept_by_name: dict[str, int]


class MappingError(ValueError):
    """The header does not name the columns an import needs."""


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


class ImportRow(NamedTuple):
    """One good row, as the tables need it (a tuple: cheap to build, and to hand over from a worker process)."""

    ref: str
    time: datetime
    title: str
    text: str
    kind: str
    channel: str
    caller: str | None
    phone: str | None
    region_code: str | None
    topic_code: str | None
    department_id: int | None
    reply: str | None
    reply_time: datetime | None


def resolve_columns(header: list[str], mapping: str | None = None) -> dict[str, int]:
    """Field name → column index, from known Chinese/English names or an explicit "列名=field,..." mapping."""
    names = [h.strip().lstrip("\ufeff") for h in header]
    columns: dict[str, int] = {}
    if mapping:
        for pair in mapping.split(","):
            if "=" not in pair:
                raise MappingError(f"mapping entry {pair!r} is not COLUMN=field")
            col, fld = (p.strip() for p in pair.split("=", 1))
            if fld not in FIELDS:
                raise MappingError(f"unknown field {fld!r}; known: {', '.join(FIELDS)}")
            if col not in names:
                raise MappingError(f"column {col!r} not in the file's header")
            columns[fld] = names.index(col)
    lowered = [n.lower() for n in names]
    for fld, aliases in FIELDS.items():
        if fld in columns:
            continue
        for alias in aliases:
            if alias.lower() in lowered:
                columns[fld] = lowered.index(alias.lower())
                break
    missing = [f for f in REQUIRED if f not in columns]
    if missing:
        raise MappingError(f"no column for {', '.join(missing)}; header was {names}; use --mapping")
    return columns


def parse_time(value: Any) -> datetime | None:
    """A timestamp from text (China local time unless it says otherwise) or a spreadsheet date."""
    if value is None or value == "":
        return None
    dt: datetime | None = None
    if isinstance(value, datetime):
        dt = value
    else:
        text = str(value).strip()
        m = _COMMON_TIME.fullmatch(text)
        if m:  # the usual export shape, parsed without strptime
            y, mo, d, h, mi, sec = map(int, m.groups("0"))
            return datetime(y, mo, d, h, mi, sec, tzinfo=CHINA).astimezone(UTC)
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            for fmt in _TIME_FORMATS:
                try:
                    dt = datetime.strptime(text, fmt)
                    break
                except ValueError:
                    continue
    if dt is None:
        raise ValueError(f"unreadable time {value!r}")
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=CHINA)
    return dt.astimezone(UTC)


def _cell(raw: list[Any], columns: dict[str, int], fld: str) -> str | None:
    i = columns.get(fld)
    if i is None or i >= len(raw):
        return None
    value = raw[i]
    if value.__class__ is not str:  # a spreadsheet's number, date or empty cell (CSV cells are all text)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        value = str(value)
    return value.strip() or None


def parse_row(
    line: int, raw: list[Any], columns: dict[str, int], lookups: Lookups, latest: datetime | None = None
) -> ImportRow | RowError:
    """One row as an ImportRow, or the reason it cannot be imported; a time after `latest` (default: five
    minutes from now) is in the future."""
    try:
        return _parse(raw, columns, lookups, latest or datetime.now(UTC) + FUTURE_SLACK)
    except ValueError as exc:
        return RowError(line, str(exc))


FUTURE_SLACK = timedelta(minutes=5)


def _parse(raw: list[Any], columns: dict[str, int], lookups: Lookups, latest: datetime) -> ImportRow:
    ref = _cell(raw, columns, "ref")
    if not ref:
        raise ValueError("missing work-order number")
    if len(ref) > 80:
        raise ValueError("work-order number longer than 80 characters")
    text = _cell(raw, columns, "text")
    if not text:
        raise ValueError("empty text")
    if len(text) > MAX_BODY:
        raise ValueError(f"text longer than {MAX_BODY} characters")
    text = _CONTROL.sub(" ", text)
    i = columns.get("time")
    when = parse_time(raw[i] if i is not None and i < len(raw) else None)
    if when is None:
        raise ValueError("missing time")
    if when > latest:
        raise ValueError(f"time in the future: {when.isoformat()}")
    kind_name = _cell(raw, columns, "kind")
    kind = KIND_BY_NAME.get(kind_name or "complaint")
    if kind is None:
        raise ValueError(f"unknown kind {kind_name!r}")
    region_code = None
    region = _cell(raw, columns, "region")
    if region:
        region_code = region if region in lookups.region_codes else lookups.region_by_name.get(region)
        if region_code is None:
            raise ValueError(f"unknown region {region!r}")
    dept_name = _cell(raw, columns, "department")
    department_id = lookups.dept_by_name.get(dept_name) if dept_name else None
    if dept_name and department_id is None:
        raise ValueError(f"unknown department {dept_name!r}")
    reply = _cell(raw, columns, "reply")
    rt = columns.get("reply_time")
    reply_time = parse_time(raw[rt] if rt is not None and rt < len(raw) else None) if reply else None
    if reply_time is not None and reply_time < when:
        raise ValueError("reply time before the message time")
    title = _cell(raw, columns, "title") or text[:30]
    return ImportRow(
        ref=ref, time=when, title=_CONTROL.sub(" ", title)[:200], text=text, kind=kind, channel="hotline",
        caller=(_cell(raw, columns, "caller") or "")[:100] or None, phone=(_cell(raw, columns, "phone") or "")[:40] or None,
        region_code=region_code,
        topic_code=None, department_id=department_id, reply=reply, reply_time=reply_time or (when if reply else None),
    )  # fmt: skip
