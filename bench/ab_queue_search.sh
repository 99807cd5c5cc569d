#!/bin/bash
# The work queue and word search on a scale database: main's src with main's queue index, then this checkout's
# src with its index (migration 0039), alternated ROUNDS times. Usage, after pgscale.py start / gen / replica and
# `minyi db upgrade`: MINYI_SCALE_PORT=56532 bash bench/ab_queue_search.sh [ROUNDS]   (N=150 requests per figure)
set -e
cd "$(dirname "$0")/.."
PORT=${MINYI_SCALE_PORT:-55432}
OLD=$(mktemp -d) && git archive main src | tar -x -C "$OLD"
P="psql -q -h 127.0.0.1 -p $PORT -U postgres"
PY=${PYTHON:-python}
for r in $(seq 1 "${1:-1}"); do
  $P -c "DROP INDEX ix_cases_queue" -c "CREATE INDEX ix_cases_queue ON cases (department_id, due_at)" -c "VACUUM ANALYZE cases"
  echo "== round $r: main's src and index; $(uptime)"
  PYTHONPATH=$OLD/src $PY -u bench/bench_pg_scale.py --only queue,search --n "${N:-150}"
  $P -c "DROP INDEX ix_cases_queue" -c "CREATE INDEX ix_cases_queue ON cases (department_id, due_at, status) INCLUDE (visibility, id)" -c "VACUUM ANALYZE cases"
  echo "== round $r: this checkout; $(uptime)"
  PYTHONPATH=src $PY -u bench/bench_pg_scale.py --only queue,search --n "${N:-150}"
done
rm -rf "$OLD"
