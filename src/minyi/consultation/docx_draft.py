"""Read a draft from a Word file (.docx, with python-docx): headings and numbered paragraphs become clauses.

The result is the plain-text draft `drafts.parse_draft` reads ("第一条 …" or "3. …" lines), so a .docx, plain text
and Markdown all pass the same checks. A .docx is a zip: its declared sizes are checked before anything is
unpacked, so a small upload cannot expand into gigabytes.
"""

from __future__ import annotations

import io
import zipfile

from minyi.consultation.drafts import HEADING, chinese_number, parse_draft
from minyi.errors import InvalidInput

MAX_DOCX_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _refuse(zh: str, en: str) -> InvalidInput:
    return InvalidInput(zh, en, field="draft_file")


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_DOCX_BYTES:
        raise _refuse(f"文件不能超过 {MAX_DOCX_BYTES // 1024 // 1024} MB", "the file is larger than 5 MB")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(info.file_size for info in z.infolist())
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise _refuse("无法读取该文件，请上传 .docx 格式的草案", "not a .docx file") from None
    if "word/document.xml" not in names:
        raise _refuse("无法读取该文件，请上传 .docx 格式的草案", "not a .docx file")
    if unpacked > MAX_UNPACKED_BYTES:
        raise _refuse("文件解压后过大", "the file unpacks to more than 50 MB")


def _is_clause_start(style: str, numbered: bool, text: str) -> bool:
    """A heading (not the document's title), a paragraph Word numbers, or one that starts with its number."""
    heading = style.lower().startswith(("heading", "list number")) or style.startswith("标题")
    return heading or numbered or _own_number(text) is not None


def _own_number(text: str) -> int | None:
    m = HEADING.match(text)
    if m is None:
        return None
    return chinese_number(m["cn"]) if m["cn"] else int(m["num"])


def docx_to_draft(data: bytes) -> str:
    """The draft text of a .docx: each heading or numbered paragraph starts a clause, other paragraphs follow it.

    A heading that already says "第三条" keeps its number; others are numbered in order.
    """
    _check_zip(data)
    from docx import Document

    try:
        paragraphs = Document(io.BytesIO(data)).paragraphs
    except Exception:  # python-docx raises several kinds on a damaged package
        raise _refuse("无法读取该文件，请上传 .docx 格式的草案", "the .docx file is damaged") from None
    lines: list[str] = []
    number = 0
    for p in paragraphs:
        text = p.text.strip()
        if not text:
            continue
        style = p.style.name if p.style is not None and p.style.name else ""
        numbered = p._p.find(f"{_W}pPr/{_W}numPr") is not None  # Word's own list numbering
        if _is_clause_start(style, numbered, text):
            own = _own_number(text)
            number = own if own is not None else number + 1
            lines.append(text if own is not None else f"{number}. {text}")
        elif lines:
            lines.append(text)
        # text before the first clause (a title, a preamble) is left to the background
    draft = "\n".join(lines)
    parse_draft(draft)  # the same refusals as a typed draft, before anything is written
    return draft
