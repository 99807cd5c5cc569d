#!/usr/bin/env bash
# Old main against this tree, alternately, twice: CPU a vote in process (the action alone, then the whole ASGI app
# beside GET /api/v1/health) and over HTTP with wrk (docs/benchmarks.md).
# Usage: bench/compare_votes.sh OLD_SRC NEW_SRC   (e.g. a `git archive main src` unpacked, and ./src)
# Set PYTHON to the interpreter and MINYI_BIN to the `minyi` command when the venv is not .venv/.
set -u
old=$1 new=$2 py=${PYTHON:-.venv/bin/python}
export MINYI_LOG_LEVEL=WARNING MINYI_REPORT_WORKER=0
for round in 1 2; do
  for tree in "$old" "$new"; do
    echo "== $tree round $round $(uptime)"
    PYTHONPATH=$tree $py bench/bench_vote_path.py --votes 600 2>&1 | grep votes
    PYTHONPATH=$tree $py bench/bench_vote_asgi.py --requests 300 --rounds 2 2>&1 | grep round
    PYTHONPATH=$tree timeout 300 $py bench/bench_votes.py --workers "${WORKERS:-1}" --seconds 10 \
      --participants 500 --statements 100 2>/dev/null | tail -2
  done
done
echo "== end $(uptime)"
