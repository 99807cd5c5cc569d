"""Model versions on disk (topic, urgency): each retrained version in its own folder, one active, history in JSON.

Layout under `<data_dir>/models/<kind>/` (kind "topic" or "urgency"): `registry.json` ({"active": version or null, "versions": [...]}) and
`<version>/topic.npz|topic.json`. With no active version the shipped model (minyi/nlp/model) is used, so a
rollback to "shipped" is always possible. Writes replace registry.json atomically (write, then rename).

Two advisory file locks beside it keep processes from interleaving: `retrain.lock`, held for a whole retrain
(a second retrain is refused at once rather than comparing against a registry that changes under it), and
`registry.lock`, held briefly around each read-modify-write of registry.json (`update`).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from minyi.settings import get_settings

SHIPPED = "shipped"
REGISTRY_FILE = "registry.json"
RETRAIN_LOCK = "retrain.lock"
UPDATE_LOCK = "registry.lock"
_VERSION = re.compile(r"^[a-z0-9][a-z0-9.-]{0,59}$")
KINDS = ("topic", "urgency")


def root(kind: str = "topic") -> Path:
    """Folder holding the retrained versions of one kind of model."""
    if kind not in KINDS:
        raise ValueError(f"unknown model kind {kind!r}")
    return get_settings().data_dir / "models" / kind


def valid_version(version: str) -> bool:
    """A version is a short lowercase name: it becomes a folder name, so nothing else is allowed."""
    return bool(_VERSION.match(version))


def read(kind: str = "topic") -> dict[str, Any]:
    """The registry: active version (None: the shipped model) and every version's record, oldest first."""
    path = root(kind) / REGISTRY_FILE
    if not path.exists():
        return {"active": None, "versions": []}
    data = json.loads(path.read_text("utf-8"))
    return {"active": data.get("active"), "versions": list(data.get("versions", []))}


def write(data: dict[str, Any], kind: str = "topic") -> None:
    """Replace the registry atomically."""
    folder = root(kind)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (REGISTRY_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(tmp, folder / REGISTRY_FILE)


class RetrainRunning(Exception):
    """Another process holds the retrain lock."""


@contextmanager
def _flock(name: str, kind: str, *, wait: bool) -> Iterator[None]:
    folder = root(kind)
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError as exc:
            raise RetrainRunning(name) from exc
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


@contextmanager
def retrain_lock(kind: str = "topic") -> Iterator[None]:
    """Held for a whole retrain; raises RetrainRunning at once when another process holds it."""
    with _flock(RETRAIN_LOCK, kind, wait=False):
        yield


def update(change: Callable[[dict[str, Any]], None], kind: str = "topic") -> None:
    """Read, change and write the registry under its lock, so that concurrent writers never lose an entry."""
    with _flock(UPDATE_LOCK, kind, wait=True):
        data = read(kind)
        change(data)
        write(data, kind)


def find(data: dict[str, Any], version: str) -> dict[str, Any] | None:
    """The record of a version, or None."""
    return next((v for v in data["versions"] if v.get("version") == version), None)


def active_dir(kind: str = "topic") -> Path | None:
    """Folder of the active retrained version, or None when the shipped model (or, for urgency, the rules) is active."""
    active = read(kind)["active"]
    if not active or not valid_version(active):
        return None
    folder = root(kind) / active
    return folder if folder.is_dir() else None


def stamp(kind: str = "topic") -> float:
    """Modification time of the registry (0 when none): a process reloads its model when it changes."""
    try:
        return (root(kind) / REGISTRY_FILE).stat().st_mtime
    except OSError:
        return 0.0
