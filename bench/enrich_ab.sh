#!/usr/bin/env bash
# Issue 15: enrichment CPU time of this tree against an older commit, run alternately (old, new, old, new) so that
# both see the same machine load. Usage: bench/enrich_ab.sh [OLD_COMMIT] [ROUNDS]   (default: ae2f5aa, 2 rounds)
set -euo pipefail
old=${1:-ae2f5aa}; rounds=${2:-2}
py=${PYTHON:-.venv/bin/python}
dir=$(mktemp -d /tmp/enrich-ab.XXXXXX)
git archive "$old" src | tar -x -C "$dir"
export MINYI_SHARED_DATA=${MINYI_SHARED_DATA:-$(pwd)/../shared/data}
for i in $(seq "$rounds"); do
    echo "== round $i: old ($old), $(uptime | sed 's/.*load/load/')"
    PYTHONPATH="$dir/src" "$py" bench/bench_enrich.py --skip-lookup
    echo "== round $i: new ($(git rev-parse --short HEAD)), $(uptime | sed 's/.*load/load/')"
    PYTHONPATH=src "$py" bench/bench_enrich.py --skip-lookup
done
rm -rf "$dir"
