"""Drafts from Word files: headings and numbered paragraphs become clauses; damaged or oversized files are refused."""

from __future__ import annotations

import io
import zipfile

import pytest
from tests.support.consultations import word_file

from minyi.consultation.docx_draft import MAX_DOCX_BYTES, MAX_UNPACKED_BYTES, docx_to_draft
from minyi.consultation.drafts import parse_draft
from minyi.errors import InvalidInput


def test_headings_and_numbered_paragraphs_of_a_word_file_become_clauses() -> None:
    clauses = parse_draft(docx_to_draft(word_file()))
    assert [(c.number, c.heading) for c in clauses] == [
        (1, "目的"),
        (2, "费用由业主按楼层分摊。"),
        (3, ""),
        (4, "附则"),
    ]
    assert clauses[1].text == "政府补贴每台二十万元。"
    assert clauses[2].text == "施工期间应保障居民出行安全。"
    assert clauses[3].text == "本办法自发布之日起施行。"


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize(
    "data",
    [
        b"plain text, not a zip",
        _zip({"readme.txt": b"a zip but not a Word file"}),
        _zip({"word/document.xml": b"<not xml"}),
        b"x" * (MAX_DOCX_BYTES + 1),
    ],
    ids=["not-a-zip", "no-document", "damaged", "too-big"],
)
def test_files_that_are_not_readable_drafts_are_refused_on_the_file_field(data: bytes) -> None:
    with pytest.raises(InvalidInput) as refused:
        docx_to_draft(data)
    assert refused.value.field == "draft_file"


def test_a_small_file_that_unpacks_into_a_huge_one_is_refused_before_unpacking() -> None:
    bomb = _zip({"word/document.xml": b"\0" * (MAX_UNPACKED_BYTES + 1)})
    assert len(bomb) < MAX_DOCX_BYTES
    with pytest.raises(InvalidInput) as refused:
        docx_to_draft(bomb)
    assert "50 MB" in refused.value.message_en
