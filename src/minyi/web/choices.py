"""The choices forms offer (topics, regions) and topic labels, in the reader's language: for both sites."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from minyi.departments.queries import regions_to_level
from minyi.locale import current_locale
from minyi.taxonomy import load_taxonomy


@dataclass(frozen=True)
class Choice:
    """One option of a select: its code and what people read."""

    code: str
    label: str
    group: str = ""


def topic_choices() -> list[Choice]:
    """First- and second-level topics, grouped by the first level, named in the reader's language."""
    return list(_topic_choices(current_locale() == "en"))


@lru_cache(maxsize=4)
def _topic_choices(english: bool) -> tuple[Choice, ...]:
    """The choices of one language, built once (the taxonomy is read once per process)."""
    taxonomy = load_taxonomy()
    out = []
    for t in sorted(taxonomy.topics.values(), key=lambda t: t.code):
        if t.code.count(".") <= 1:
            out.append(
                Choice(t.code, taxonomy.name_of(t.code, english), taxonomy.name_of(t.code[:2], english))
            )
    return tuple(out)


def topic_label(code: str | None) -> str:
    """The path of a topic code such as 城乡建设 / 安全生产, in the reader's language."""
    return load_taxonomy().path_of(code, current_locale() == "en")


def region_choices(session: Session, max_level: int = 3) -> list[Choice]:
    """Regions down to the county level, indented by level, named in the reader's language."""
    english = current_locale() == "en"
    return [
        Choice(code, "\u3000" * max(level - 1, 0) + (en if english and en else name))
        for code, name, en, level in regions_to_level(session, max_level)
    ]
