"""Benchmark the shipped topic model: load time and messages per second on one core (and the emotion score)."""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from minyi.nlp import emotion  # noqa: E402
from minyi.nlp.topic import get_topic_model  # noqa: E402
from minyi.nlp.train import message_text, read_messages  # noqa: E402
from minyi.settings import get_settings  # noqa: E402


def main() -> None:
    """Print load time, topic msgs/s over the real messages, and emotion msgs/s."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--file", default="teddy2020/messages_unlabelled.csv", help="under shared data")
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    start, cpu = time.perf_counter(), time.process_time()
    model = get_topic_model()
    load_s, load_cpu = time.perf_counter() - start, time.process_time() - cpu
    assert model is not None, "no shipped topic model"
    texts = [message_text(r) for r in read_messages(get_settings().shared_data / args.file)]
    mean_chars = sum(map(len, texts)) / len(texts)

    model.predict(texts[:50])  # warm the tokeniser
    start, cpu = time.perf_counter(), time.process_time()
    for _ in range(args.repeat):
        for i in range(0, len(texts), args.batch):
            model.predict(texts[i : i + args.batch])
    n = args.repeat * len(texts)
    topic_wall, topic_cpu = n / (time.perf_counter() - start), n / (time.process_time() - cpu)

    emotion.score(texts[0])  # load the polarity model and lexicon
    start, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        emotion.score(text)
    emo_wall, emo_cpu = len(texts) / (time.perf_counter() - start), len(texts) / (time.process_time() - cpu)

    print(f"model {model.version}, {len(texts)} messages from {args.file}, mean {mean_chars:.0f} chars")
    print("rates per wall-clock second, and per CPU second of this process (what one core gives when shared)")
    print(f"topic model load: {load_s:.3f} s wall, {load_cpu:.3f} s CPU")
    print(
        f"topic classification: {topic_wall:,.0f} msgs/s wall, {topic_cpu:,.0f} msgs/s CPU (batches of {args.batch})"
    )
    print(f"emotion score: {emo_wall:,.0f} msgs/s wall, {emo_cpu:,.0f} msgs/s CPU (one message at a time)")


if __name__ == "__main__":
    main()
