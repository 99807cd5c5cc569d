"""The topic taxonomy (3 levels), read from configuration; an administrator may point to another file."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "config" / "taxonomy.csv"
ENGLISH_FILE = DEFAULT_FILE.with_name("taxonomy_en.csv")  # English names of the first two levels


@dataclass(frozen=True)
class Topic:
    """One node: code like 01, 01.02 or 01.02.03, and its names on each level."""

    code: str
    level1: str
    level2: str
    level3: str

    @property
    def name(self) -> str:
        return self.level3 or self.level2 or self.level1

    @property
    def path(self) -> str:
        return " / ".join(p for p in (self.level1, self.level2, self.level3) if p)


@dataclass(frozen=True)
class Taxonomy:
    """All topics by code, plus the lookup from a first-level name to its code."""

    topics: dict[str, Topic]
    english: dict[str, str] = field(default_factory=dict)

    def get(self, code: str) -> Topic | None:
        return self.topics.get(code)

    def code_of_level1(self, name: str) -> str | None:
        for t in self.topics.values():
            if t.level1 == name and not t.level2:
                return t.code
        return None

    def name_of(self, code: str | None, english: bool = False) -> str:
        """A topic's own name; in English the first two levels have English names (the third keeps its own)."""
        topic = self.topics.get(code or "")
        if topic is None:
            return ""
        return (self.english.get(topic.code) if english else None) or topic.name

    def path_of(self, code: str | None, english: bool = False) -> str:
        """The names from the first level down, such as 城乡建设 / 安全生产 (Urban and rural development / …)."""
        topic = self.topics.get(code or "")
        if topic is None:
            return ""
        if not english:
            return topic.path
        parts = code.split(".") if code else []
        names = [self.english.get(".".join(parts[: i + 1])) for i in range(min(len(parts), 2))]
        return " / ".join([n for n in names if n] + ([topic.level3] if topic.level3 else []))

    def level1_of(self, code: str | None) -> str | None:
        topic = self.topics.get(code or "")
        return topic.level1 if topic else None


@lru_cache
def load_taxonomy(path: str | None = None) -> Taxonomy:
    """Read the taxonomy CSV (code, level1, level2, level3)."""
    with open(path or DEFAULT_FILE, encoding="utf-8", newline="") as f:
        topics = {
            r["code"]: Topic(r["code"], r["level1"], r["level2"], r["level3"]) for r in csv.DictReader(f)
        }
    english: dict[str, str] = {}
    if path is None and ENGLISH_FILE.exists():
        with open(ENGLISH_FILE, encoding="utf-8", newline="") as f:
            english = {r["code"]: r["name_en"] for r in csv.DictReader(f)}
    return Taxonomy(topics, english)
