"""Topic model versions on disk: each retrained version in its own folder, one active, history in JSON.

Layout under `<data_dir>/models/topic/`: `registry.json` ({"active": version or null, "versions": [...]}) and
`<version>/topic.npz|topic.json`. With no active version the shipped model (minyi/nlp/model) is used, so a
rollback to "shipped" is always possible. Writes replace registry.json atomically (write, then rename).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from minyi.settings import get_settings

SHIPPED = "shipped"
REGISTRY_FILE = "registry.json"
_VERSION = re.compile(r"^[a-z0-9][a-z0-9.-]{0,59}$")


def root() -> Path:
    """Folder holding the retrained versions."""
    return get_settings().data_dir / "models" / "topic"


def valid_version(version: str) -> bool:
    """A version is a short lowercase name: it becomes a folder name, so nothing else is allowed."""
    return bool(_VERSION.match(version))


def read() -> dict[str, Any]:
    """The registry: active version (None: the shipped model) and every version's record, oldest first."""
    path = root() / REGISTRY_FILE
    if not path.exists():
        return {"active": None, "versions": []}
    data = json.loads(path.read_text("utf-8"))
    return {"active": data.get("active"), "versions": list(data.get("versions", []))}


def write(data: dict[str, Any]) -> None:
    """Replace the registry atomically."""
    folder = root()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (REGISTRY_FILE + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", "utf-8")
    os.replace(tmp, folder / REGISTRY_FILE)


def find(data: dict[str, Any], version: str) -> dict[str, Any] | None:
    """The record of a version, or None."""
    return next((v for v in data["versions"] if v.get("version") == version), None)


def active_dir() -> Path | None:
    """Folder of the active retrained version, or None when the shipped model is active."""
    active = read()["active"]
    if not active or not valid_version(active):
        return None
    folder = root() / active
    return folder if folder.is_dir() else None


def stamp() -> float:
    """Modification time of the registry (0 when none): a process reloads its model when it changes."""
    try:
        return (root() / REGISTRY_FILE).stat().st_mtime
    except OSError:
        return 0.0
