#!/usr/bin/env bash
# Same-run A/B of the test suite's fixtures: the tests of git revision $1 (default main) against the working
# tree's, on the same product code (src/), alternating, two rounds; prints wall and CPU per run with the load.
# Usage: bench/bench_suite.sh [REV] [TEST PATHS...]
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:-main}; shift || true
sub=${*:-tests/web/test_api.py tests/web/test_pages_workbench.py tests/integration/test_lifecycle.py tests/integration/test_sweep_and_audit.py}
old=$(mktemp -d); trap 'rm -rf "$old"' EXIT
git archive "$rev" tests pyproject.toml | tar -x -C "$old"
here=$(pwd); py=${PYTHON:-$here/.venv/bin/python}
for round in 1 2; do
  for v in old new; do
    if [ $v = old ]; then dir=$old; else dir=$here; fi
    echo "== $v round $round $(uptime | sed 's/.*load/load/')"
    (cd "$dir" && PYTHONPATH="$here/src:$dir:$here/bench" "$py" -m pytest -q -p no:xdist -p pytest_cpu_plugin \
      $sub 2>&1 | grep -E "SXCPU|passed|failed")
  done
done
