#!/usr/bin/env bash
# Old main against this tree, alternately, twice: the vote path in process and over HTTP (docs/benchmarks.md).
# Usage: bench/compare_votes.sh OLD_SRC NEW_SRC   (e.g. a `git archive main src` unpacked, and ./src)
# Set MINYI_BIN to the `minyi` command when the venv is not .venv/.
set -u
old=$1 new=$2
for round in 1 2; do
  for tree in "$old" "$new"; do
    echo "== $tree round $round $(uptime)"
    PYTHONPATH=$tree python bench/bench_vote_path.py --votes 600 2>&1 | grep votes
    PYTHONPATH=$tree timeout 300 python bench/bench_votes.py --workers 1 --seconds 10 --participants 500 \
      --statements 100 2>/dev/null | tail -2
  done
done
echo "== end $(uptime)"
