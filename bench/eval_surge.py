"""Evaluate surge detection: false alarms on the real stream, and detection of injected surges of real messages.

Usage: python bench/eval_surge.py [--trials 60] [--alpha 1e-4] [--regroup]

--regroup also injects surges of a hot issue's messages and lets the grouping find them (the 35 days before the
surge plus the injected copies are grouped afresh, as `detect_surges` does), then checks that an issue alert holds
the injected messages and is titled from one of them, not from an older message of the group.
"""

from __future__ import annotations

import argparse
import random
import statistics
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from minyi.insight.matters import matter_keys
from minyi.insight.model import Message
from minyi.insight.readers import read_messages
from minyi.insight.signals import region_of, weights_for
from minyi.insight.surge import SeriesBook, SurgeParams, local_day
from minyi.settings import get_settings

FILES = ("messages_with_votes.csv", "messages_unlabelled.csv", "replies.csv", "messages_labelled.csv")
START, END = date(2019, 2, 1), date(2019, 12, 31)


def load(root: Path) -> list[Message]:
    """The real stream: every dated message of the teddy2020 files, duplicates (same user, title, time) once."""
    seen, out = set(), []
    for name in FILES:
        for m in read_messages(root / name):
            k = (m.user, m.title, m.time)
            if k not in seen:
                seen.add(k)
                m.id = f"{name[:3]}{m.id}"
                out.append(m)
    return out


def scan(book: SeriesBook, p: SurgeParams, days: list[date]) -> dict[date, list]:
    """Alerts for every day."""
    return {d: book.test(d, p) for d in days}


def main() -> None:
    """Print false alarms per month and detection rate/delay of injected surges."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", type=int, default=60)
    ap.add_argument("--alpha", type=float, default=SurgeParams().alpha)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--nlp", action="store_true", help="weight messages by emotion and collective action")
    ap.add_argument(
        "--regroup", action="store_true", help="also inject issue surges found by the grouping itself"
    )
    args = ap.parse_args()
    p = replace(SurgeParams(), alpha=args.alpha)
    root = get_settings().shared_data / "teddy2020"
    stream = load(root)
    in_2019 = [m for m in stream if date(2018, 12, 1) <= local_day(m.time) <= END]
    names = matter_keys(in_2019)
    days = [START + timedelta(days=i) for i in range((END - START).days + 1)]
    months = len(days) / 30.44

    wmap = (
        dict(zip([m.id for m in in_2019], weights_for(in_2019, use_nlp=True), strict=True))
        if args.nlp
        else {}
    )

    def weights(msgs: list[Message]) -> list[float] | None:
        return [wmap.get(m.id.split("~")[0], 1.0) for m in msgs] if args.nlp else None

    book = SeriesBook(in_2019, p.kinds, names, weights(in_2019), p.repeat_days)
    alerts = scan(book, p, days)
    per_kind = Counter(a.kind for d in days for a in alerts[d])
    # An alert that repeats on following days for the same series is one episode.
    episodes, last = Counter(), {}
    for d in days:
        for a in alerts[d]:
            if (a.kind, a.series) not in last or (d - last[(a.kind, a.series)]).days > 7:
                episodes[a.kind] += 1
            last[(a.kind, a.series)] = d
    print(
        f"stream: {len(in_2019)} messages, {len(book.counts)} series, days {START}..{END} ({months:.1f} months)"
    )
    print(
        f"alpha={p.alpha} windows={p.windows} baseline={p.baseline_days}d min_count={p.min_count} "
        f"weights={'emotion+collective' if args.nlp else 'none'}"
    )
    for kind in ("region", "issue", "topic"):
        print(
            f"  real stream, {kind:6s}: {per_kind[kind] / months:.2f} alert-days/month, "
            f"{episodes[kind] / months:.2f} episodes/month (upper bound on false alarms)"
        )

    rnd = random.Random(args.seed)
    # Null stream: every message keeps its series but gets a uniformly random day, so no real surge is left;
    # every alert on it is a false alarm.
    span = (END - date(2018, 12, 1)).days
    null = [
        replace(
            m,
            time=m.time
            - timedelta(days=(local_day(m.time) - date(2018, 12, 1)).days - rnd.randrange(span + 1)),
        )
        for m in in_2019
    ]
    null_book = SeriesBook(null, p.kinds, names, weights(null), p.repeat_days)
    null_alerts = scan(null_book, p, days)
    null_kind = Counter(a.kind for d in days for a in null_alerts[d])
    tests = sum(1 for k in null_book.counts) * len(p.windows) * len(days)
    for kind in ("region", "issue", "topic"):
        print(f"  null stream (days shuffled), {kind:6s}: {null_kind[kind] / months:.2f} false alerts/month")
    print(f"  null stream: {sum(null_kind.values())} alerts from about {tests} series×window×day tests")
    regions = Counter(r for m in in_2019 if (r := region_of(m)))
    big_regions = [r for r, c in regions.items() if c >= 100]
    groups: dict[str, list[Message]] = {}
    for m in in_2019:
        groups.setdefault(names[m.id], []).append(m)
    multi = [g for g, ms in groups.items() if len(ms) >= 3]
    for kind in ("region", "issue"):
        for size in (4, 8, 16):
            hits, delays = 0, []
            for t in range(args.trials):
                d0 = START + timedelta(days=rnd.randrange(35, len(days) - 8))
                if kind == "region":
                    series = rnd.choice(big_regions)
                    pool = [
                        m
                        for m in in_2019
                        if region_of(m) == series and abs((local_day(m.time) - d0).days) > 60
                    ]
                else:
                    series = rnd.choice(multi)
                    pool = groups[series]
                injected, inj_names = [], dict(names)
                for i in range(size):
                    src = rnd.choice(pool)
                    when = src.time.replace(year=d0.year, month=d0.month, day=d0.day) + timedelta(
                        days=rnd.randrange(3)
                    )
                    copy = replace(
                        src,
                        id=f"{src.id}~inj{t}-{i}",
                        user=f"inj-user-{t}-{i}",
                        time=when,
                        region=region_of(src),
                    )
                    injected.append(copy)
                    if kind == "issue":
                        inj_names[copy.id] = series
                    elif src.id in names:
                        inj_names[copy.id] = names[src.id]
                b = SeriesBook(
                    in_2019 + injected, p.kinds, inj_names, weights(in_2019 + injected), p.repeat_days
                )
                found = None
                for dd in range(0, 7):
                    day = d0 + timedelta(days=dd)
                    if any(a.kind == kind and a.identity == series for a in b.test(day, p)):
                        found = dd
                        break
                if found is not None:
                    hits += 1
                    delays.append(found)
            med = statistics.median(delays) if delays else float("nan")
            print(
                f"  injected {kind:6s} surge of {size:2d} messages over 3 days: detected {hits}/{args.trials} "
                f"({hits / args.trials:.0%}), median delay {med} days after the first injected day"
            )
    if args.regroup:
        regrouped(in_2019, p, args.trials, rnd)


def regrouped(in_2019: list[Message], p: SurgeParams, trials: int, rnd: random.Random) -> None:
    """Issue surges found by the grouping itself: detection, and alerts titled from the injected messages."""
    names = matter_keys(in_2019)
    groups: dict[str, list[Message]] = {}
    for m in in_2019:
        groups.setdefault(names[m.id], []).append(m)
    multi = [g for g, ms in groups.items() if len(ms) >= 3]
    span = (END - START).days
    for size in (5, 10, 20):
        hits = titled = 0
        for t in range(trials):
            d0 = START + timedelta(days=rnd.randrange(35, span - 8))
            pool = groups[rnd.choice(multi)]
            injected = []
            for i in range(size):
                src = rnd.choice(pool)
                when = src.time.replace(year=d0.year, month=d0.month, day=d0.day) + timedelta(
                    days=rnd.randrange(3)
                )
                injected.append(replace(src, id=f"{src.id}~inj{t}-{i}", user=f"inj-user-{t}-{i}", time=when))
            lo, hi = d0 - timedelta(days=35), d0 + timedelta(days=7)
            window = [m for m in in_2019 if lo <= local_day(m.time) <= hi] + injected
            book = SeriesBook(window, ("issue",), matter_keys(window), None, p.repeat_days)
            inj = {m.id for m in injected}
            titles = {m.title[:30] for m in injected}
            for dd in range(7):
                found = [
                    a for a in book.test(d0 + timedelta(days=dd), p) if len(inj & set(a.example_ids)) >= 3
                ]
                if found:
                    hits += 1
                    titled += any(a.series.rsplit("（", 1)[0] in titles for a in found)
                    break
        print(
            f"  regrouped issue surge of {size:2d} messages over 3 days: detected {hits}/{trials} ({hits / trials:.0%}), "
            f"titled from an injected message {titled}/{max(hits, 1)}"
        )


if __name__ == "__main__":
    main()
