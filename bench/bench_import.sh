#!/usr/bin/env bash
# Import benchmark: N generated hotline rows into a fresh SQLite database; prints rows/s and peak memory.
# Usage: bench/bench_import.sh [N] [--enrich]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000000}
ENRICH=${2:---no-enrich}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/python bench/gen_hotline.py "$N" "$work/hotline.csv"
export MINYI_DATA_DIR="$work" MINYI_DATABASE_URL="sqlite:///$work/bench.sqlite3"
.venv/bin/minyi db upgrade >/dev/null
.venv/bin/minyi demo --cases 0 >/dev/null
/usr/bin/time -f "peak RSS %M KB, wall %e s" .venv/bin/minyi import "$work/hotline.csv" --quiet "$ENRICH"
echo "re-run (must import 0):"
/usr/bin/time -f "peak RSS %M KB, wall %e s" .venv/bin/minyi import "$work/hotline.csv" --quiet "$ENRICH"
