"""Fixtures shared by the integration tests of the learning loop."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from minyi.db import reset_caches
from minyi.nlp import enrich


@pytest.fixture
def model_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A fresh model registry under a temporary data folder; yields the topic models' folder."""
    monkeypatch.setenv("MINYI_DATA_DIR", str(tmp_path))
    reset_caches()
    enrich.reset_topic_model()
    yield tmp_path / "models" / "topic"
    enrich.reset_topic_model()
