"""The file store: bytes under `<data_dir>/attachments/<aa>/<sha256>`, outside the web root, written once.

A file is written before its row commits; if the unit of work rolls back, the file is removed again unless a
committed row references the same bytes (`attachments.actions`); the same bytes uploaded twice are stored once.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from minyi.settings import get_settings

HEX64 = re.compile(r"^[0-9a-f]{64}$")


def root() -> Path:
    """Where the files live (never under the static folder the web server serves)."""
    return Path(get_settings().data_dir) / "attachments"


def path_of(sha256: str) -> Path:
    """The file of a hash; refuses anything that is not a hash, so no name can reach outside the store."""
    if not HEX64.match(sha256):
        raise ValueError("not a sha256 digest")
    return root() / sha256[:2] / sha256


def put(data: bytes) -> str:
    """Store the bytes (atomically, once) and return their sha256."""
    digest = hashlib.sha256(data).hexdigest()
    target = path_of(digest)
    if target.exists():
        return digest
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return digest


def get(sha256: str) -> bytes:
    """The stored bytes, checked against their hash (a file changed on disk is refused, not served)."""
    data = path_of(sha256).read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise ValueError("the stored file does not match its hash")
    return data
