"""What a file may be, pure: the type read from its bytes (never from the name or the client), the limits, a
safe file name. A file whose extension disagrees with its bytes is refused, so nothing can pose as another type."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from minyi.errors import InvalidInput, TooLarge

MAX_FILE_BYTES = 5 * 1024 * 1024  # a phone photo or a scanned page fits; a video does not
MAX_FILES = 5  # per object (a case, a report)
MAX_NAME = 120
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# the allow-list: sniffed type -> the extensions a file of that type may carry
ALLOWED: dict[str, frozenset[str]] = {
    "image/jpeg": frozenset({"jpg", "jpeg"}),
    "image/png": frozenset({"png"}),
    "image/gif": frozenset({"gif"}),
    "image/webp": frozenset({"webp"}),
    "application/pdf": frozenset({"pdf"}),
    "text/plain": frozenset({"txt"}),
    DOCX: frozenset({"docx"}),
}
IMAGES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})
_TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNSAFE_NAME = re.compile(r"[\x00-\x1f\x7f\"'<>:/\\|?*;\u202a-\u202e\u2066-\u2069]")


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed the checks: its safe name, the type its bytes show, the bytes."""

    name: str
    content_type: str
    data: bytes


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def sniff(data: bytes) -> str | None:
    """The content type the bytes themselves show, if it is on the allow-list (None: refused)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if not _TEXT_CONTROL.search(data):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return "text/plain"
    return None


def safe_name(raw: str) -> str:
    """The last path part of the name, without control, quote or path characters (never '..' or empty)."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").split("/")[-1]
    name = _UNSAFE_NAME.sub("_", name).strip(" .")
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else name[:MAX_NAME]
    return name or "file"


def extension(name: str) -> str:
    """The lower-case extension of a name ('' when none)."""
    stem, dot, ext = name.rpartition(".")
    return ext.lower() if dot and stem else ""


def check_file(raw_name: str, data: bytes, already: int) -> CheckedFile:
    """Refuse a file over the limits, of a type not allowed, or whose extension disagrees with its bytes."""
    if already >= MAX_FILES:
        raise InvalidInput(f"附件最多{MAX_FILES}个", f"at most {MAX_FILES} attachments", field="files")
    if len(data) > MAX_FILE_BYTES:
        mb = MAX_FILE_BYTES // (1024 * 1024)
        raise TooLarge(f"单个附件不得超过{mb}MB", f"an attachment may be at most {mb} MB", field="files")
    if not data:
        raise InvalidInput("附件是空文件", "the attachment is empty", field="files")
    name = safe_name(raw_name)
    kind = sniff(data)
    if kind is None:
        raise InvalidInput(
            "只能上传图片、PDF、纯文本或Word（.docx）文件",
            "only images, PDF, plain text and .docx files are accepted",
            field="files",
        )
    if extension(name) not in ALLOWED[kind]:
        raise InvalidInput(
            "文件扩展名与文件内容不符", "the file's extension does not match its content", field="files"
        )
    return CheckedFile(name, kind, data)


def content_disposition(name: str) -> str:
    """`attachment` with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987)."""
    from urllib.parse import quote

    ascii_name = safe_name(name).encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe_name(name), safe='')}"
