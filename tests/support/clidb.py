"""A migrated SQLite file that `minyi` commands use through the environment, for tests of the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from minyi.db import reset_caches


def cli_database(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Copy the migrated template, point MINYI_DATABASE_URL and MINYI_DATA_DIR at it, forget cached engines."""
    path = tmp_path / "cli.sqlite3"
    path.write_bytes(template.read_bytes())
    monkeypatch.setenv("MINYI_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path / "data"))
    reset_caches()
    return path
