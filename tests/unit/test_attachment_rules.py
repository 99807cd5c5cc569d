"""The attachment rules with plain bytes: the type comes from the bytes, the name cannot lead anywhere."""

from __future__ import annotations

import pytest

from minyi.attachments.images import strip_metadata
from minyi.attachments.rules import (
    DOCX,
    MAX_FILE_BYTES,
    MAX_FILES,
    check_file,
    content_disposition,
    safe_name,
    sniff,
)
from minyi.errors import InvalidInput, TooLarge
from tests.support import files


def test_the_type_is_read_from_the_bytes_not_the_name() -> None:
    assert sniff(files.jpeg_with_gps()) == "image/jpeg"
    assert sniff(files.PDF) == "application/pdf"
    assert sniff(files.docx()) == DOCX
    assert sniff(files.xlsx()) is None  # a zip that is not a Word document
    assert sniff(files.EXE) is None
    assert sniff("投诉内容\n".encode()) == "text/plain"
    assert sniff(b"\xff\xfe\x00bad") is None


@pytest.mark.parametrize(
    ("name", "data"),
    [("photo.jpg", files.HTML), ("scan.pdf", files.jpeg_with_gps()), ("page.html", files.HTML),
     ("setup.exe", files.EXE), ("doc.docx", files.xlsx()), ("image.svg", b"<svg onload=alert(1)>"),
     ("noext", files.PDF)],
)  # fmt: skip
def test_a_file_posing_as_another_type_is_refused(name: str, data: bytes) -> None:
    with pytest.raises(InvalidInput):
        check_file(name, data, 0)


def test_limits_of_size_and_count() -> None:
    with pytest.raises(TooLarge):
        check_file("big.txt", b"a" * (MAX_FILE_BYTES + 1), 0)
    with pytest.raises(InvalidInput):
        check_file("one.txt", b"a", MAX_FILES)
    with pytest.raises(InvalidInput):
        check_file("empty.txt", b"", 0)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("../../etc/passwd.txt", "passwd.txt"), ("..\\..\\windows\\x.pdf", "x.pdf"), ("..", "file"),
     ("/abs/a.pdf", "a.pdf"), ('a"b\r\nX-Evil: 1.txt', "a_b__X-Evil_ 1.txt"), ("\u202egpj.txt", "_gpj.txt"),
     ("", "file")],
)  # fmt: skip
def test_path_tricks_in_names_lead_nowhere(raw: str, clean: str) -> None:
    assert safe_name(raw) == clean
    assert "\r" not in content_disposition(raw) and "\n" not in content_disposition(raw)


def test_image_metadata_is_stripped() -> None:
    import io

    from PIL import Image

    jpeg = files.jpeg_with_gps()
    assert files.GPS_MARK.encode() in jpeg
    clean = strip_metadata(check_file("p.jpg", jpeg, 0))
    assert files.GPS_MARK.encode() not in clean.data
    with Image.open(io.BytesIO(clean.data)) as img:
        assert not img.getexif() and img.size == (40, 30)
    png = strip_metadata(check_file("p.png", files.png_with_text(), 0))
    assert files.GPS_MARK.encode() not in png.data


def test_a_damaged_image_is_refused() -> None:
    with pytest.raises(InvalidInput):
        strip_metadata(check_file("p.jpg", b"\xff\xd8\xff" + b"\x00" * 50, 0))
