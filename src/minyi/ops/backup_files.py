"""The attachment files in a backup: `FILE.files.tar` beside the database's FILE, and back into the store.

Taken after the database snapshot: a file is written before its row commits, so every file the snapshot refers
to is already in the store (a few unreferenced ones may come along, harmless). The files go as they lie on disk:
sealed evidence of reports stays ciphertext in the archive. A restore takes only entries named `<aa>/<sha256>`
whose bytes match their name, through the store's own atomic write: nothing outside the store, nothing altered.
"""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

from minyi.attachments import storage

SUFFIX = ".files.tar"


def files_archive(file: Path) -> Path:
    """Where the attachment files of the backup `file` go."""
    return file.with_name(file.name + SUFFIX)


def backup_files(file: Path) -> int:
    """Archive the store next to `file` (whole or not at all: written as *.partial, then renamed); the count."""
    target = files_archive(file)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    count = 0
    store = storage.root()
    with tarfile.open(partial, "w") as tar:
        for path in sorted(store.glob("??/*")) if store.is_dir() else []:
            if path.is_file() and storage.HEX64.match(path.name) and path.parent.name == path.name[:2]:
                tar.add(path, arcname=f"{path.parent.name}/{path.name}", recursive=False)
                count += 1
    partial.replace(target)
    return count


def restore_files(file: Path) -> int:
    """Put the archived files of the backup `file` back into the store (none when it has no archive); the count.

    Raises ValueError for an entry that is not a stored file or whose bytes do not match its name."""
    source = files_archive(file)
    if not source.is_file():
        return 0
    count = 0
    with tarfile.open(source, "r") as tar:
        for member in tar:
            folder, _, name = member.name.partition("/")
            if not member.isfile() or not storage.HEX64.match(name) or folder != name[:2]:
                raise ValueError(f"not a stored file: {member.name!r}")
            handle = tar.extractfile(member)
            data = handle.read() if handle is not None else b""
            if hashlib.sha256(data).hexdigest() != name:
                raise ValueError(f"a file does not match its hash: {member.name!r}")
            storage.put(data)
            count += 1
    return count
