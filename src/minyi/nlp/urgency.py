"""Urgency flags (danger to life, vulnerable people, wage arrears, collective action) with their trigger words."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from minyi.nlp.text import normalize

FLAGS = ("danger", "vulnerable", "wage_arrears", "collective")
FLAG_NAMES = {
    "danger": "生命安全",
    "vulnerable": "弱势群体",
    "wage_arrears": "农民工欠薪",
    "collective": "群体性诉求",
}
URGENT_FLAGS = frozenset({"danger", "collective"})
RAISE_AT = 1.0
ENV_VAR = "MINYI_URGENCY_LEXICON"
# A trigger right after a negation or a hypothetical ("没有火灾", "一旦发生火灾") does not count.
_NEGATED = re.compile(
    r"(?:没有|没|无|未|非|并未|从未|从来没有|不是|并非|不存在|不会|一旦|万一|如果|假如|若|防止|预防|避免)(?:发生|出现|过|任何|造成)?$"
)
_NEG_WINDOW = 6


@dataclass(frozen=True, slots=True)
class UrgencyFlag:
    """One raised flag and the words in the text that raised it."""

    flag: str
    words: list[str] = field(default_factory=list)
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Rule:
    """One lexicon row: a pattern that adds its weight to a flag."""

    flag: str
    pattern: re.Pattern[str]
    weight: float


def _parse(text: str, source: str) -> list[Rule]:
    """Rows `flag,pattern,weight` (the pattern may itself hold commas); '#' lines are comments."""
    rules: list[Rule] = []
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#") or line.replace(" ", "") == "flag,pattern,weight":
            continue
        flag, _, rest = line.partition(",")
        pattern, _, weight = rest.rpartition(",")
        flag = flag.strip()
        if flag not in FLAGS:
            raise ValueError(f"{source}:{n}: unknown flag {flag!r} (expected one of {', '.join(FLAGS)})")
        try:
            rules.append(Rule(flag, re.compile(pattern.strip()), float(weight)))
        except (re.error, ValueError) as exc:
            raise ValueError(f"{source}:{n}: bad row {line!r}: {exc}") from exc
    return rules


@lru_cache(maxsize=8)
def load_lexicon(extra: tuple[str, ...] = ()) -> tuple[Rule, ...]:
    """The packaged lexicon plus any extra CSV files an administrator supplies."""
    base = resources.files("minyi.nlp").joinpath("lexicons/urgency.csv").read_text("utf-8")
    rules = _parse(base, "urgency.csv")
    for path in extra:
        rules += _parse(Path(path).read_text("utf-8"), path)
    return tuple(rules)


def _extra_paths(extra_lexicon: str | Path | Iterable[str | Path] | None) -> tuple[str, ...]:
    paths: list[str] = []
    if isinstance(extra_lexicon, str | Path):
        paths.append(str(extra_lexicon))
    elif extra_lexicon is not None:
        paths += [str(p) for p in extra_lexicon]
    env = os.environ.get(ENV_VAR, "")
    paths += [p for p in env.split(os.pathsep) if p]
    return tuple(paths)


def _negated(text: str, start: int) -> bool:
    return _NEGATED.search(text[max(0, start - _NEG_WINDOW) : start]) is not None


def detect(
    text: str, *, extra_lexicon: str | Path | Iterable[str | Path] | None = None, normalized: bool = False
) -> list[UrgencyFlag]:
    """Flags raised by the text, each with its trigger words, in the order of FLAGS."""
    if not text:
        return []
    t = text if normalized else normalize(text)
    scores: dict[str, float] = {}
    words: dict[str, dict[str, None]] = {}  # ordered sets
    for rule in load_lexicon(_extra_paths(extra_lexicon)):
        hits = [m.group() for m in rule.pattern.finditer(t) if m.group() and not _negated(t, m.start())]
        if not hits:
            continue
        scores[rule.flag] = scores.get(rule.flag, 0.0) + rule.weight
        words.setdefault(rule.flag, {}).update(dict.fromkeys(hits))
    return [
        UrgencyFlag(flag, list(words[flag]), round(scores[flag], 3))
        for flag in FLAGS
        if scores.get(flag, 0.0) >= RAISE_AT
    ]


def is_urgent(flags: Iterable[UrgencyFlag]) -> bool:
    """Urgent when life or safety is in danger or people act collectively; the other flags only inform."""
    return any(f.flag in URGENT_FLAGS for f in flags)
