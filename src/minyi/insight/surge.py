"""Early warning: surges by topic, region and hot issue against each series' own trailing baseline."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import numpy as np
from scipy import stats

from minyi.insight.model import Message
from minyi.insight.readers import CHINA
from minyi.insight.signals import region_of, weights_for


@dataclass(frozen=True, slots=True)
class SurgeParams:
    """How surges are tested; alpha is the false-alarm probability of one test (series × window × day)."""

    windows: tuple[int, ...] = (1, 3, 7)
    baseline_days: int = 28
    min_history_days: int = 14
    alpha: float = 1e-4
    min_count: int = 3
    min_ratio: float = 2.0
    prior_count: float = 0.5
    kinds: tuple[str, ...] = ("topic", "region", "issue")
    repeat_days: int = 7  # a person's further messages in one series within this many days count once


@dataclass(slots=True)
class Alert:
    """One surge: what rose, by how much, against what baseline, with a stable key for acknowledgement."""

    key: str
    kind: str
    series: str
    window_start: date
    window_end: date
    window_days: int
    count: int
    expected: float
    ratio: float
    p_value: float
    weighted: float
    baseline_days: int
    baseline_count: int
    example_ids: list[str] = field(default_factory=list)
    identity: str = (
        ""  # what stays the same while a surge goes on (an issue's first message id); else the series
    )

    @property
    def explanation(self) -> str:
        """One sentence a duty officer can read."""
        label = {"topic": "类别", "region": "地区", "issue": "热点问题"}.get(self.kind, self.kind)
        return (
            f"{label}「{self.series}」在{self.window_start}至{self.window_end}（{self.window_days}天）"
            f"有{self.count}人来信，"
            f"按此前{self.baseline_days}天（{self.baseline_count}件）的基线预期约{self.expected:.1f}件，"
            f"为{self.ratio:.1f}倍，p={self.p_value:.1e}。例：{'、'.join(self.example_ids[:5])}"
        )

    def as_dict(self) -> dict[str, object]:
        """A JSON-ready view."""
        return {
            "key": self.key,
            "kind": self.kind,
            "series": self.series,
            "window_start": self.window_start.isoformat(),
            "window_end": self.window_end.isoformat(),
            "window_days": self.window_days,
            "count": self.count,
            "expected": round(self.expected, 3),
            "ratio": round(self.ratio, 2),
            "p_value": float(f"{self.p_value:.3e}"),
            "weighted": round(self.weighted, 2),
            "baseline_days": self.baseline_days,
            "baseline_count": self.baseline_count,
            "example_ids": self.example_ids,
            "identity": self.identity,
            "explanation": self.explanation,
        }


def alert_key(kind: str, series: str, start: date, end: date) -> str:
    """Stable de-duplication key: the same series and window always give the same key."""
    raw = f"{kind}|{series}|{start.isoformat()}|{end.isoformat()}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


def local_day(t: datetime) -> date:
    """The China local date of an aware datetime."""
    return t.astimezone(CHINA).date()


class SeriesBook:
    """Daily counts and weights of every series, built once, tested on any day."""

    def __init__(
        self,
        messages: Sequence[Message],
        kinds: Iterable[str],
        issue_of: dict[str, str] | None = None,
        weights: Sequence[float] | None = None,
        repeat_days: int = 7,
    ) -> None:
        self.start = min(local_day(m.time) for m in messages)
        self.length = (max(local_day(m.time) for m in messages) - self.start).days + 1
        w = list(weights) if weights is not None else [1.0] * len(messages)
        self.counts: dict[tuple[str, str], np.ndarray] = {}
        self.wsum: dict[tuple[str, str], np.ndarray] = {}
        self.wsq: dict[tuple[str, str], np.ndarray] = {}
        self.ids: dict[tuple[str, str], dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.titles: dict[str, str] = {}
        last_counted: dict[tuple[str, str, str], int] = {}
        kinds = set(kinds)
        for m, wt in sorted(zip(messages, w, strict=True), key=lambda mw: mw[0].time):
            d = (local_day(m.time) - self.start).days
            self.titles[m.id] = m.title
            keys = []
            if "topic" in kinds and m.topic:
                keys.append(("topic", m.topic))
            if "region" in kinds and (r := region_of(m)):
                keys.append(("region", r))
            if "issue" in kinds and issue_of is not None and m.id in issue_of:
                keys.append(("issue", issue_of[m.id]))
            for k in keys:
                # Count people, not messages: one person reposting within `repeat_days` counts once.
                person = (k[0], k[1], m.user or m.id)
                if person in last_counted and d - last_counted[person] < repeat_days:
                    continue
                last_counted[person] = d
                if k not in self.counts:
                    self.counts[k] = np.zeros(self.length)
                    self.wsum[k] = np.zeros(self.length)
                    self.wsq[k] = np.zeros(self.length)
                self.counts[k][d] += 1
                self.wsum[k][d] += wt
                self.wsq[k][d] += wt * wt
                self.ids[k][d].append(m.id)

    def test(self, day: date, p: SurgeParams) -> list[Alert]:
        """All surges whose window ends on `day` (one per series: its most significant window)."""
        d = (day - self.start).days
        if d < 0 or d >= self.length:
            return []
        out = []
        for k, cnt in self.counts.items():
            best: Alert | None = None
            for w in p.windows:
                a = self._test_one(k, cnt, d, w, p)
                if a and (best is None or a.p_value < best.p_value):
                    best = a
            if best:
                out.append(best)
        return sorted(out, key=lambda a: a.p_value)

    def _test_one(self, k: tuple[str, str], cnt: np.ndarray, d: int, w: int, p: SurgeParams) -> Alert | None:
        lo = d - w + 1
        b_hi, b_lo = lo, max(lo - p.baseline_days, 0)
        bdays = b_hi - b_lo
        if lo < 0 or bdays < p.min_history_days:
            return None
        k_raw = int(cnt[lo : d + 1].sum())
        if k_raw < p.min_count:
            return None
        ws, wq = self.wsum[k], self.wsq[k]
        win_w, base_w = ws[lo : d + 1].sum(), ws[b_lo:b_hi].sum()
        all_w, all_q = win_w + base_w, wq[lo : d + 1].sum() + wq[b_lo:b_hi].sum()
        scale = all_q / all_w if all_w else 1.0  # compound-Poisson scale: weights → effective counts
        k_eff = win_w / scale
        base = cnt[b_lo:b_hi]
        rate = (base_w / scale + p.prior_count) / bdays
        mu = rate * w
        mean = base.mean()
        phi = float(np.clip(base.var(ddof=1) / mean, 1.0, 10.0)) if mean > 0 and bdays > 1 else 1.0
        kk = int(np.floor(k_eff))
        if phi > 1.05:
            r = mu / (phi - 1.0)
            pval = float(stats.nbinom.sf(kk - 1, r, r / (r + mu)))
        else:
            pval = float(stats.poisson.sf(kk - 1, mu))
        expected = (base.sum() + p.prior_count) / bdays * w
        ratio = k_raw / expected
        if pval >= p.alpha or ratio < p.min_ratio:
            return None
        start, end = self.start + timedelta(days=lo), self.start + timedelta(days=d)
        examples = [i for dd in range(d, lo - 1, -1) for i in self.ids[k].get(dd, [])]
        # An issue is titled from its own messages of the window, never from an older message of its group.
        series = (
            f"{central_title([self.titles[i] for i in examples])[:30]}（{k[1]}）" if k[0] == "issue" else k[1]
        )
        return Alert(
            key=alert_key(k[0], k[1], start, end),
            kind=k[0],
            series=series,
            identity=k[1],
            window_start=start,
            window_end=end,
            window_days=w,
            count=k_raw,
            expected=float(expected),
            ratio=float(ratio),
            p_value=pval,
            weighted=float(win_w),
            baseline_days=bdays,
            baseline_count=int(base.sum()),
            example_ids=examples[:10],
        )


def issue_names(messages: Sequence[Message], labels: dict[str, int]) -> dict[str, str]:
    """Each message's issue identity: the id of its group's earliest message (stable while the issue goes on)."""
    first: dict[int, Message] = {}
    for m in sorted(messages, key=lambda m: m.time):
        first.setdefault(labels[m.id], m)
    return {m.id: first[labels[m.id]].id for m in messages if m.id in labels}


def _grams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def central_title(titles: Sequence[str]) -> str:
    """The title that shares most character pairs with the others (ties: the newest, listed first)."""
    if not titles:
        return ""
    grams = [_grams(t) for t in titles]
    return titles[max(range(len(titles)), key=lambda i: (sum(len(grams[i] & g) for g in grams), -i))]


def detect_surges(
    messages: Iterable[Message],
    now: datetime | None = None,
    params: SurgeParams | None = None,
    *,
    issue_of: dict[str, str] | None = None,
    use_nlp: bool = True,
) -> list[Alert]:
    """Surges whose window ends on the (China local) day of `now`, most significant first."""
    p = params or SurgeParams()
    now = now or datetime.now(CHINA)
    end_of_day = datetime.combine(local_day(now), time.max, tzinfo=CHINA)
    horizon = datetime.combine(local_day(now), time(), tzinfo=CHINA) - timedelta(
        days=max(p.windows) + p.baseline_days
    )
    msgs = [m for m in messages if horizon <= m.time <= end_of_day]
    if not msgs:
        return []
    if "issue" in p.kinds and issue_of is None:
        from minyi.insight.matters import matter_keys

        issue_of = matter_keys(msgs)
    book = SeriesBook(msgs, p.kinds, issue_of, weights_for(msgs, use_nlp), p.repeat_days)
    return book.test(local_day(now), p)
