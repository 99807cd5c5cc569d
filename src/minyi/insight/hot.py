"""Rank hot issues (热点问题): groups of messages about one matter, scored by a documented hotness index."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from minyi.insight.cluster import Grouping, GroupingParams
from minyi.insight.entities import REGION, SUFFIXES, place_key
from minyi.insight.features import title_names, title_phrases
from minyi.insight.model import Message


@dataclass(frozen=True, slots=True)
class HotnessWeights:
    """Weights of the hotness index; see docs/insight.md for the formula."""

    people: float = 1.0
    extra_messages: float = 0.4
    likes: float = 0.5
    dislikes: float = 0.1
    half_life_days: float = 60.0
    recency_floor: float = 0.5
    burst_days: int = 7
    concentration: float = 0.3
    growth_days: int = 14
    growth: float = 0.3
    emotion: float = 0.2  # mean emotional intensity (0–1) of the messages raises the score by up to 20 %


@dataclass(slots=True)
class HotIssue:
    """One hot issue: a ranked group of messages about the same place or people and the same problem."""

    rank: int
    score: float
    place: str
    description: str
    first: datetime
    last: datetime
    messages: list[Message] = field(repr=False)
    people: int = 0  # distinct people, the households behind group demands (联名) counted as people
    likes: int = 0
    households: int = 0  # of those people, households behind group demands
    components: dict[str, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        """How many messages the issue holds."""
        return len(self.messages)

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "place": self.place,
            "description": self.description,
            "count": self.count,
            "people": self.people,
            "households": self.households,
            "likes": self.likes,
            "first": self.first.isoformat(),
            "last": self.last.isoformat(),
            "message_ids": [m.id for m in self.messages],
            "components": {k: round(v, 4) for k, v in self.components.items()},
        }


def hotness(
    msgs: Sequence[Message], now: datetime, w: HotnessWeights | None = None, intensity: float = 0.0
) -> dict[str, float]:
    """Score one group: support (people, extra messages, votes) × recency × (1+burst) × (1+growth) × (1+emotion)."""
    w = w or HotnessWeights()
    n, senders = len(msgs), len({m.user for m in msgs})
    # a group demand (联名): the households behind it count like distinct people (its sender is one of them)
    households = sum(m.households for m in msgs if m.households >= 2)
    people = senders + sum(m.households - 1 for m in msgs if m.households >= 2)
    likes, dislikes = sum(max(m.likes, 0) for m in msgs), sum(max(m.dislikes, 0) for m in msgs)
    support = (
        w.people * math.log1p(people)
        + w.extra_messages * math.log1p(n - senders)
        + w.likes * math.log1p(likes)
        + w.dislikes * math.log1p(dislikes)
    )
    times = sorted(m.time for m in msgs)
    age = max((now - times[-1]).total_seconds() / 86400, 0.0)
    recency = w.recency_floor + (1 - w.recency_floor) * 0.5 ** (age / w.half_life_days)
    burst = 0.0
    if n >= 2:
        span, j, best = timedelta(days=w.burst_days), 0, 1
        for i, t in enumerate(times):
            while t - times[j] > span:
                j += 1
            best = max(best, i - j + 1)
        burst = (best - 1) / (n - 1)
    g = timedelta(days=w.growth_days)
    recent = sum(1 for t in times if now - g < t <= now)
    before = sum(1 for t in times if now - 2 * g < t <= now - g)
    growth = min(max(recent - before, 0) / (before + 1), 2.0) / 2.0
    score = (
        support
        * recency
        * (1 + w.concentration * burst)
        * (1 + w.growth * growth)
        * (1 + w.emotion * intensity)
    )
    return {
        "score": score,
        "count": float(n),
        "emotion": intensity,
        "support": support,
        "recency": recency,
        "burst": burst,
        "growth": growth,
        "people": float(people),
        "households": float(households),
        "likes": float(likes),
    }


_STOP_CHARS = set("在对反至向从给把被于与和及问的距了是有将")
_SUFFIXES = (*SUFFIXES, "区", "县")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _common_name(titles: Sequence[str], seeds: Iterable[str]) -> str:
    """The name most titles share: grow the commonest seed word while it keeps (nearly) all its titles."""
    clean = [REGION.sub(" ", t) for t in titles]
    counts = Counter(s for s in set(seeds) if len(s) >= 2 and _HAN.search(s) for t in clean if s in t)
    if not counts:
        return ""
    best = max(counts, key=lambda s: (counts[s], len(s), s))
    cover = counts[best]
    if cover < min(2, len(titles)) or cover < len(titles) // 3:
        return ""
    holders = [t for t in clean if best in t]
    grown = best
    for step in (1, -1) * 8:
        for t in holders:
            at = t.find(grown)
            ext = t[at : at + len(grown) + 1] if step == 1 else t[max(at - 1, 0) : at + len(grown)]
            new_char = ext[-1 if step == 1 else 0] if ext and ext != grown else ""
            if not new_char.isalnum() or new_char in _STOP_CHARS or (step == 1 and grown.endswith(_SUFFIXES)):
                continue
            if sum(ext in h for h in holders) >= 0.8 * len(holders):
                grown = ext
                break
    return grown


def _describe(
    msgs: Sequence[Message], rows: np.ndarray, grouping_vectors: object, places: list[str]
) -> tuple[str, str]:
    vecs = grouping_vectors[rows]  # type: ignore[index]
    centroid = np.asarray(vecs.mean(axis=0)).ravel()
    sims = vecs @ centroid
    weights = np.asarray(sims).ravel() + 1e-3 * np.log1p([m.likes for m in msgs])
    description = msgs[int(np.argmax(weights))].title
    place = ""
    if places:
        key, _ = Counter(place_key(p) for p in places).most_common(1)[0]
        place = Counter(p for p in places if place_key(p) == key).most_common(1)[0][0]
    return place, description


def rank_hot_issues(
    messages: Iterable[Message],
    top: int = 10,
    now: datetime | None = None,
    *,
    params: GroupingParams | None = None,
    weights: HotnessWeights | None = None,
    grouping: Grouping | None = None,
    use_nlp: bool = False,
) -> list[HotIssue]:
    """Group messages into matters and return the `top` hottest, best first (top <= 0: all groups).

    Emotion comes from `Message.intensity` (stored at intake); `use_nlp` scores the messages that lack it with the
    emotion model (about a second to load: the command line and the brief do, the board does not).
    """
    msgs = list(messages)
    if not msgs:
        return []
    now = now or max(m.time for m in msgs)
    if grouping is None:  # the one grouping the board and the alerts share (minyi.insight.matters)
        from minyi.insight.matters import shared_grouping

        grouping = shared_grouping(msgs, {}, params)[0]
    order = np.argsort(grouping.labels, kind="stable")
    bounds = np.flatnonzero(np.diff(grouping.labels[order])) + 1
    scored = []
    for rows in np.split(order, bounds):
        group = [msgs[i] for i in rows]
        comp = hotness(group, now, weights)
        scored.append((comp["score"], rows, group, comp))
    # Emotion can raise a score by at most (1 + w.emotion): only groups within that reach of the top are read.
    w = weights or HotnessWeights()
    scored.sort(key=lambda s: -s[0])
    reach = scored[min(top, len(scored)) - 1][0] / (1 + w.emotion) if top > 0 else 0.0
    emotion = _intensity_scorer() if use_nlp else None
    for k, (score, rows, group, comp) in enumerate(scored):
        if score < reach:
            break
        felt = [m.intensity if m.intensity is not None else emotion(m) if emotion else 0.0 for m in group]
        comp = hotness(group, now, weights, float(np.mean(felt)) if felt else 0.0)
        scored[k] = (comp["score"], rows, group, comp)
    scored.sort(key=lambda s: (-s[0], min(m.time for m in s[2])))
    chosen = scored if top <= 0 else scored[:top]
    out: list[HotIssue] = []
    for rank, (score, rows, group, comp) in enumerate(chosen, start=1):
        ents = [grouping.entities[i] for i in rows]
        places = [p for i in rows for p in grouping.title_places[i]] or [
            p for e in ents for p in e.places[:2]
        ]
        place, description = _describe(group, rows, grouping.problem_vectors, places)
        seeds = [w for m in group for w in title_names(m.title)] + places
        titles = [m.title for m in group]
        place = _common_name(titles, seeds) or place
        if not any(grouping.title_places[i] for i in rows):  # a policy matter: name it by its shared phrase
            phrase = [w for m in group for ph in title_phrases(m.title) for w in ph.split("|")]
            place = _common_name(titles, seeds) or _common_name(titles, phrase) or place
        district = Counter(e.district for e in ents if e.district).most_common(1)
        people = Counter(p for e in ents for p in e.people).most_common(1)
        where = " ".join(x for x in (district[0][0] if district else "", place) if x)
        if not place and people:
            where = f"{where} {people[0][0]}".strip()
        group.sort(key=lambda m: m.time)
        out.append(
            HotIssue(
                rank=rank,
                score=score,
                place=where or "—",
                description=description,
                first=group[0].time,
                last=group[-1].time,
                messages=group,
                people=int(comp["people"]),
                likes=int(comp["likes"]),
                households=int(comp["households"]),
                components=comp,
            )
        )
    return out


def _intensity_scorer() -> Callable[[Message], float] | None:
    """Emotional intensity (0–1) of a message from the nlp emotion model, when it is installed."""
    from minyi.insight.signals import nlp_scorers

    emotion, _ = nlp_scorers()
    if emotion is None:
        return None
    scorer = emotion

    def felt(m: Message) -> float:
        try:
            return min(max(scorer(f"{m.title}。{m.text[:500]}"), 0.0), 1.0)
        except Exception:  # noqa: BLE001 - a scorer failing must not stop the ranking
            return 0.0

    return felt
