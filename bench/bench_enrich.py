"""Speed of the text-understanding slice on one core: full enrichment, then repeat lookup among 1M signatures.

Usage: .venv/bin/python bench/bench_enrich.py [--stored 1000000] [--queries 1000] [--skip-lookup | --skip-enrich]
                                              [--rules-only]

Part 1 enriches real teddy2020 messages (title + body) with minyi.nlp.enrich.enrich_many in batches and
prints messages per second, with the time of each stage. Part 2 builds what the database would hold for
--stored messages (a signature and 32 band keys each), from generated texts: most are new combinations of
real sentences, and three edited copies of each query message are planted among them. The band-key table is
held as a sorted int64 array searched with searchsorted (what a B-tree index on a BIGINT column does; a
Python dict with 32M keys would need several GB). Each query computes its keys, looks up the candidates,
compares the candidates' signatures and keeps those at or above REPEAT_THRESHOLD.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import random
import re
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from minyi.nlp import enrich, pii, repeats, urgency
from minyi.nlp.text import normalize
from minyi.settings import get_settings

FILES = ("messages_with_votes.csv", "messages_unlabelled.csv", "messages_labelled.csv")
_SENTENCE = re.compile(r"[^。！？!?；;\n]+[。！？!?；;]?")


def load_messages() -> list[tuple[str, str]]:
    """(title, body) of every real message, in file order."""
    root = get_settings().shared_data / "teddy2020"
    if not root.exists():
        sys.exit(f"real data not found at {root} (set MINYI_SHARED_DATA)")
    out: list[tuple[str, str]] = []
    for name in FILES:
        with (root / name).open(encoding="utf-8") as f:
            out += [(r.get("title") or "", r.get("detail") or "") for r in csv.DictReader(f)]
    return out


def timed(label: str, n: int, fn: Callable[[], Any]) -> float:
    """Run fn and print its CPU time (and wall time) per message."""
    t0, c0 = time.perf_counter(), time.process_time()
    fn()
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(f"  {label:<34} {cpu / n * 1e6:8.0f} µs/msg CPU ({dt / n * 1e6:.0f} wall)")
    return cpu


def part_enrich(messages: list[tuple[str, str]], batch: int) -> None:
    """Full enrichment throughput, then stage by stage."""
    model = enrich.get_topic_model()
    try:
        emotion: Any = importlib.import_module("minyi.nlp.emotion")
    except ImportError:
        emotion = None
    print(
        f"topic model: {type(model).__name__ if model else 'MISSING'}; emotion: {'yes' if emotion else 'MISSING'}"
    )
    enrich.enrich_many(messages[:50])  # warm caches (lexicons, model)
    t0, c0 = time.perf_counter(), time.process_time()
    done = 0
    for i in range(0, len(messages), batch):
        done += len(enrich.enrich_many(messages[i : i + batch]))
    dt, cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"full enrichment: {done} messages, {done / cpu:,.0f} msgs/s of CPU time "
        f"({done / dt:,.0f} msgs/s wall on a shared machine; batch {batch}, one process, one thread)"
    )
    n = len(messages)
    texts = [f"{normalize(t)}\n{normalize(b)}" for t, b in messages]
    print("stages:")
    timed("normalize (title + body)", n, lambda: [enrich._normalize_pair(t, b) for t, b in messages])
    timed("urgency.detect", n, lambda: [urgency.detect(x, normalized=True) for x in texts])
    timed("pii.find", n, lambda: [pii.find(x) for x in texts])
    sigs: list[np.ndarray] = []
    timed("repeats.signature", n, lambda: sigs.extend(repeats.signature(x, normalized=True) for x in texts))
    if hasattr(repeats, "band_keys_of"):  # since issue 15: the keys of a whole batch at once
        raw = [repeats.to_bytes(s) for s in sigs]
        timed(
            f"repeats.band_keys_of (batch {batch})",
            n,
            lambda: [repeats.band_keys_of(raw[i : i + batch]) for i in range(0, n, batch)],
        )
    else:
        timed("repeats.band_keys", n, lambda: [repeats.band_keys(s) for s in sigs])
    if emotion is not None and hasattr(emotion, "score_many"):
        timed(
            f"emotion.score_many (batch {batch})",
            n,
            lambda: [emotion.score_many(texts[i : i + batch]) for i in range(0, n, batch)],
        )
    elif emotion is not None:  # the code before issue 15 scored one message at a time
        timed("emotion.score", n, lambda: [emotion.score(x) for x in texts])
    if model is not None:
        timed(
            f"topic predict (batch {batch})",
            n,
            lambda: [model.predict(texts[i : i + batch]) for i in range(0, n, batch)],
        )


def _edit(text: str, rng: random.Random, pool: list[str]) -> str:
    """An edited copy: a few characters dropped or changed, a sentence added or removed."""
    chars = [c for c in text if rng.random() > 0.03]
    for _ in range(max(1, len(chars) // 60)):
        chars[rng.randrange(len(chars))] = rng.choice("的了是在我们请")
    out = "".join(chars)
    parts = _SENTENCE.findall(out)
    kind = rng.randrange(3)
    if kind == 0 and len(parts) > 3:
        parts.pop(rng.randrange(len(parts)))
    elif kind == 1:
        parts.insert(rng.randrange(len(parts) + 1), rng.choice(pool))
    else:
        parts.append("请领导尽快处理，谢谢！")
    return "".join(parts)


def part_lookup(messages: list[tuple[str, str]], stored: int, queries: int, seed: int = 7) -> None:
    """Band-key lookup among `stored` signatures, with planted edited copies of the queries."""
    rng = random.Random(seed)
    texts = [f"{normalize(t)}\n{normalize(b)}" for t, b in messages]
    texts = [t for t in dict.fromkeys(texts) if len(t) > 40]
    query_texts = rng.sample(texts, queries)
    # Filler texts never reuse a query's sentences nor near-copies of them (the corpus holds reposts), so a
    # link to a filler text is a false link.
    near = repeats.RepeatIndex(threshold=0.3)
    for n, sentence in enumerate({s for t in query_texts for s in _SENTENCE.findall(t)}):
        near.add(n, sentence)
    sentences = sorted({s for t in texts for s in _SENTENCE.findall(t) if len(s) >= 8})
    pool = [s for s in sentences if not near.query(s)]
    print(f"filler sentences: {len(pool):,} ({len(sentences) - len(pool):,} near query sentences left out)")
    planted = [(q, _edit(text, rng, pool)) for q, text in enumerate(query_texts) for _ in range(3)]
    print(f"building {stored:,} stored signatures ({len(planted)} planted copies of {queries} queries) ...")
    t0 = time.perf_counter()
    sigs = np.empty((stored, repeats.NUM_PERM), dtype=np.uint32)
    owner = np.full(stored, -1, dtype=np.int64)
    slots = rng.sample(range(stored), len(planted))
    for slot, (q, text) in zip(slots, planted, strict=True):
        sigs[slot] = repeats.signature(text, normalized=True)
        owner[slot] = q
    taken = set(slots)
    for i in range(stored):
        if i not in taken:
            sigs[i] = repeats.signature("".join(rng.sample(pool, rng.randint(2, 6))), normalized=True)
    t_sig = time.perf_counter() - t0
    t0 = time.perf_counter()
    keys = repeats.band_keys_many(sigs).ravel()
    ids = np.repeat(np.arange(stored, dtype=np.int32), repeats.BANDS)
    order = np.argsort(keys, kind="stable")
    keys, ids = keys[order], ids[order]
    t_index = time.perf_counter() - t0
    print(
        f"  signatures {t_sig:.0f} s ({t_sig / stored * 1e6:.0f} µs each); band-key table "
        f"{len(keys):,} rows sorted in {t_index:.1f} s"
    )
    found = wrong = cand_total = 0
    t0 = time.perf_counter()
    for q, text in enumerate(query_texts):
        sig = repeats.signature(text, normalized=True)
        qk = np.asarray(repeats.band_keys(sig), dtype=np.int64)
        lo, hi = np.searchsorted(keys, qk, "left"), np.searchsorted(keys, qk, "right")
        cand = np.unique(np.concatenate([ids[a:b] for a, b in zip(lo, hi, strict=True)]))
        cand_total += len(cand)
        sim = np.count_nonzero(sigs[cand] == sig, axis=1) / repeats.NUM_PERM if len(cand) else np.empty(0)
        hits = cand[sim >= repeats.REPEAT_THRESHOLD]
        found += int(np.count_nonzero(owner[hits] == q))
        wrong += int(np.count_nonzero(owner[hits] != q))
    dt = time.perf_counter() - t0
    print(
        f"lookup: {queries} queries against {stored:,} stored: {dt / queries * 1e3:.2f} ms per query "
        f"(signature + keys + index + compare), {cand_total / queries:.1f} candidates per query"
    )
    print(
        f"  planted copies found: {found}/{len(planted)} ({found / len(planted):.3f}); "
        f"false links (filler texts at or above the threshold): {wrong}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--skip-lookup", action="store_true")
    parser.add_argument("--skip-enrich", action="store_true")
    parser.add_argument(
        "--rules-only", action="store_true", help="hide the topic and emotion models: time the rules alone"
    )
    args = parser.parse_args()
    messages = load_messages()
    if args.rules_only:
        sys.modules["minyi.nlp.topic"] = None  # type: ignore[assignment]
        sys.modules["minyi.nlp.emotion"] = None  # type: ignore[assignment]
        enrich.reset_topic_model()
    if not args.skip_enrich:
        part_enrich(messages, args.batch)
    if not args.skip_lookup:
        part_lookup(messages, args.stored, args.queries)


if __name__ == "__main__":
    main()
