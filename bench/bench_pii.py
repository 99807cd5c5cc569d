"""Speed of the personal-data redactor on one core, beside a same-run reference (another pii module, if given).

Usage: PYTHONPATH=src .venv/bin/python bench/bench_pii.py [--repeat 3] [--reference path/to/old_pii.py]

Texts: the real teddy2020 messages (title + body, and replies) when the shared data is there, else the
test fixtures. Prints messages per second of CPU time for `minyi.nlp.pii.redact`, and for the reference
module when --reference names one (e.g. `git show <old>:src/minyi/nlp/pii.py > /tmp/pii_old.py`).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from minyi.nlp import pii
from minyi.settings import get_settings

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nlp"
FILES = ("messages_with_votes.csv", "messages_unlabelled.csv", "messages_labelled.csv", "replies.csv")


def load_texts() -> tuple[str, list[str]]:
    """The texts to redact and where they came from."""
    root = get_settings().shared_data / "teddy2020"
    if root.exists():
        texts: list[str] = []
        for name in FILES:
            with (root / name).open(encoding="utf-8") as f:
                for r in csv.DictReader(f):
                    texts.append(f"{r.get('title') or ''}\n{r.get('detail') or ''}")
                    if r.get("reply"):
                        texts.append(r["reply"])
        return "teddy2020", texts
    rows = (FIXTURES / "pii_cases.jsonl").read_text("utf-8").splitlines()
    return "fixtures", [json.loads(r)["text"] for r in rows]


def load_module(path: str) -> ModuleType:
    """Import a pii module from a file, for the same-run comparison."""
    spec = importlib.util.spec_from_file_location("pii_reference", path)
    assert spec and spec.loader, path
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def rate(redact: Callable[[str], str], texts: list[str], repeat: int) -> float:
    """Best messages per CPU second over `repeat` runs."""
    best = 0.0
    for _ in range(repeat):
        cpu = time.process_time()
        for t in texts:
            redact(t)
        best = max(best, len(texts) / max(time.process_time() - cpu, 1e-9))
    return best


def main() -> None:
    """Print the redaction rate of this tree's module and of the reference."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reference", help="path of another pii.py to time in the same run")
    args = parser.parse_args()
    source, texts = load_texts()
    chars = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} texts from {source}, {chars:.0f} characters on average")
    modules = [("minyi.nlp.pii (this tree)", pii.redact)]
    if args.reference:
        modules.append((f"reference {args.reference}", load_module(args.reference).redact))
    for _, redact in modules:
        redact(texts[0])  # warm lexicons and compiled patterns
    for _round in range(2):  # interleaved, so load on the shared machine hits both alike
        for label, redact in modules:
            r = rate(redact, texts, args.repeat)
            print(f"  {label:<44} {r:10,.0f} msgs/s CPU  ({1e6 / r:6.1f} µs/msg)")


if __name__ == "__main__":
    main()
