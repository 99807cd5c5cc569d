"""Split a draft into numbered clauses (条) from plain text or Markdown headings. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass

from minyi.errors import InvalidInput

MAX_CLAUSES = 500
_CN = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
# "第十二条 …", "## 第3条 …", "## 3. title", "3、…", "# 3 title"
HEADING = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:第\s*(?P<cn>[零〇一二两三四五六七八九十百\d]+)\s*条|(?P<num>\d{1,3})\s*(?:[.、．]|\s))\s*(?P<rest>.*)$"
)


@dataclass(frozen=True)
class DraftClause:
    number: int
    heading: str
    text: str


def chinese_number(s: str) -> int:
    """一 → 1, 十二 → 12, 二十 → 20, 一百零五 → 105; digits pass through."""
    if s.isdigit():
        return int(s)
    total, current = 0, 0
    for ch in s:
        if ch == "百":
            total += (current or 1) * 100
            current = 0
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = _CN[ch]
    return total + current


def parse_draft(text: str) -> list[DraftClause]:
    """The clauses of a draft, in order; text before the first numbered heading is refused as unplaced."""
    clauses: list[tuple[int, str, list[str]]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        m = HEADING.match(line)
        if m:
            number = chinese_number(m["cn"]) if m["cn"] else int(m["num"])
            clauses.append((number, m["rest"].strip(), []))
        elif line.strip():
            if not clauses:
                raise InvalidInput("草案应以编号条款开头（如“第一条”或“1.”）",
                                   "the draft must start with a numbered clause (第一条 or 1.)", field="draft")  # fmt: skip
            clauses[-1][2].append(line.strip())
    if not clauses:
        raise InvalidInput("草案中没有找到编号条款", "no numbered clause found in the draft", field="draft")
    if len(clauses) > MAX_CLAUSES:
        raise InvalidInput(f"条款不能超过 {MAX_CLAUSES} 条", f"at most {MAX_CLAUSES} clauses", field="draft")
    numbers = [n for n, _, _ in clauses]
    if len(set(numbers)) != len(numbers):
        raise InvalidInput("条款编号重复", "two clauses share a number", field="draft")
    out = []
    for number, rest, body in clauses:
        heading, lines = (rest, body) if body else ("", [rest] if rest else [])
        if not lines:
            raise InvalidInput(f"第 {number} 条没有内容", f"clause {number} is empty", field="draft")
        out.append(DraftClause(number, heading[:200], "\n".join(lines)))
    return out
