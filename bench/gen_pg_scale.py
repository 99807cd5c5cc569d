"""Generate N cases on PostgreSQL through the real schema, fast: the rows are made by the server itself.

Usage: python bench/gen_pg_scale.py N [--db URL] [--chunk 1000000]
Run `bench/pgscale.py start` first (or give --db). The schema comes from `alembic upgrade` and the demo city
(departments, regions, staff); then, chunk by chunk, one INSERT ... SELECT over generate_series writes:
- cases over 3 years (more recent ones more frequent, as intake grows), departments with Zipf-like weights,
  regions, topics, kinds and channels with realistic shares, 85 % public / 12 % private / 3 % confidential;
  statuses by age (the last 60 days open in every state; older ones closed, declined, withdrawn or merged),
  replies, evaluations and a second round for 5 %;
- the history: one event per step of each case's path (register, accept, assign, sign_for, reply, close ...),
  3 % of handled cases with a return to another department;
- the public word index (case_search: the masked text's character pairs as a tsvector).
Texts come from a pool of 5,000 messages (the real ones in shared/data when present, read at run time, never
copied), masked and indexed once in Python. The open cases' clocks are then computed by the real
`compute_clock` (working days) and written back with COPY, so that `minyi sweep` has its real work.
On a first load the secondary indexes are dropped and built afterwards (appending keeps them), then ANALYZE; foreign-key triggers
are off during the load (session_replication_role), the generated keys being valid by construction. The hash chains are
placeholders: `minyi audit verify` is not meaningful on this data.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from pgscale import url as primary_url  # noqa: E402

POOL = 5000
OPEN_STAGE = {"registered": "acceptance", "accepted": "handling", "assigned": "sign_for",
              "in_progress": "handling", "rehandling": "rehandling", "replied": "evaluation"}  # fmt: skip
PATHS = {
    "registered": ["register"], "accepted": ["register", "accept"],
    "assigned": ["register", "accept", "assign"], "in_progress": ["register", "accept", "assign", "sign_for"],
    "replied": ["register", "accept", "assign", "sign_for", "reply"],
    "rehandling": ["register", "accept", "assign", "sign_for", "reply", "evaluate", "rehandle"],
    "closed": ["register", "accept", "assign", "sign_for", "reply", "evaluate", "close"],
    "declined": ["register", "decline"], "withdrawn": ["register", "withdraw"], "merged": ["register", "merge"],
}  # fmt: skip


def pick(weights: dict[str, float], r: str) -> str:
    """A SQL CASE that maps the uniform random value `r` to a key with the given weights."""
    total, acc, parts = sum(weights.values()), 0.0, []
    for key, w in weights.items():
        acc += w / total
        parts.append(f"WHEN {r} < {acc:.6f} THEN '{key}'")
    return "CASE " + " ".join(parts[:-1]) + f" ELSE '{list(weights)[-1]}' END"


def texts(rng: random.Random) -> list[tuple[str, str]]:
    """The pool of (title, body): real messages when shared/data has them, generated ones otherwise."""
    from minyi.settings import get_settings

    source = get_settings().shared_data / "teddy2020" / "messages_unlabelled.csv"
    rows: list[tuple[str, str]] = []
    if source.exists():
        with open(source, encoding="utf-8") as f:
            rows = [((r.get("title") or r["detail"][:30])[:200], r["detail"][:2000])
                    for r in csv.DictReader(f) if r.get("detail")]  # fmt: skip
    places, things = (
        ["湖滨路", "解放大道", "人民路", "新华街", "滨江小区"],
        ["路灯不亮", "噪音扰民", "垃圾未清运", "积水严重"],
    )
    while len(rows) < POOL:
        p, t = rng.choice(places), rng.choice(things)
        rows.append((f"{p}{t}", f"{p}{rng.randint(1, 300)}号附近{t}，已经持续一周，请尽快处理。"))
    rng.shuffle(rows)
    return rows[:POOL]


def load_pool(conn: psycopg.Connection, rng: random.Random) -> None:
    from minyi.cases.redaction import text_revision
    from minyi.cases.search import document, public_text

    rev = text_revision()
    conn.execute("DROP TABLE IF EXISTS gen_pool")
    conn.execute("CREATE UNLOGGED TABLE gen_pool (i int PRIMARY KEY, title text, body text, ptitle text, "
                 "pbody text, rev text, doc tsvector)")  # fmt: skip
    with conn.cursor().copy("COPY gen_pool (i, title, body, ptitle, pbody, rev) FROM STDIN") as cp:
        for i, (title, body) in enumerate(texts(rng)):
            pt, pb = public_text(title, body, None)
            cp.write_row((i, title, body, pt, pb, rev))
    docs = [(document(pt, pb), i) for i, pt, pb in conn.execute("SELECT i, ptitle, pbody FROM gen_pool")]
    with conn.cursor() as cur:
        cur.executemany("UPDATE gen_pool SET doc = to_tsvector('simple', %s) WHERE i = %s", docs)


def case_sql(base: int, n: int, regions: list[str], topics: list[str], depts: list[int]) -> str:
    dep_w = {str(d): 1 / (k + 1) ** 0.8 for k, d in enumerate(depts)}
    region_arr = "ARRAY[" + ",".join(f"'{r}'" for r in regions) + "]"
    topic_arr = "ARRAY[" + ",".join(f"'{t}'" for t in topics) + "]"
    age_status = f"""CASE
      WHEN age < 2 THEN {pick({"registered": 5, "accepted": 3, "assigned": 2}, "r3")}
      WHEN age < 30 THEN {pick({"in_progress": 40, "assigned": 10, "replied": 20, "closed": 25, "rehandling": 5}, "r3")}
      WHEN age < 60 THEN {pick({"closed": 70, "replied": 15, "in_progress": 10, "rehandling": 5}, "r3")}
      ELSE {pick({"closed": 92, "declined": 4, "withdrawn": 3, "merged": 1}, "r3")} END"""  # fmt: skip
    return f"""
INSERT INTO cases (id, tracking_code, kind, channel, title, body, public_title, public_body, public_text_rev,
  region_code, topic_code, visibility, status, round, policy_name, urgent, department_id, anonymous,
  registered_at, created_at, updated_at, accepted_at, assigned_at, signed_at, replied_at, closed_at,
  handling_due_at, escalation_level, extension_days, reply_text, reply_issues, evaluation, evaluated_at,
  needs_triage, urgency_flags, understood_at, event_count, last_event_hash, version, deadline_provisional)
SELECT id, upper(substr(md5(id::text || 'code'), 1, 16)), kind, channel, p.title, p.body, p.ptitle, p.pbody,
  p.rev, region, topic, visibility, status, CASE WHEN status = 'rehandling' OR r4 < 0.05 THEN 2 ELSE 1 END,
  '信访工作条例', r4 > 0.98, CASE WHEN status = 'registered' THEN NULL ELSE dept END, r5 < 0.1,
  reg, reg, reg, acc, CASE WHEN acc IS NULL THEN NULL ELSE acc + interval '3 hours' END,
  CASE WHEN acc IS NULL THEN NULL ELSE acc + interval '1 day' END, rep, CASE WHEN status = 'closed'
  THEN rep + interval '5 days' END, CASE WHEN acc IS NULL THEN NULL ELSE reg + interval '21 days' END,
  0, 0, CASE WHEN rep IS NULL THEN NULL ELSE '您反映的问题已处理，感谢您的监督。' END, '[]',
  CASE WHEN status IN ('closed', 'rehandling') THEN
    {pick({"satisfied": 70, "partly": 15, "unsatisfied": 10, "none": 5}, "r5")} END,
  CASE WHEN status IN ('closed', 'rehandling') THEN rep + interval '2 days' END,
  false, '[]', reg + interval '1 minute', n_events, repeat(md5(id || '-' || n_events), 2), 1, false
FROM (
  SELECT g AS id, reg, status, r4, r5, kind, channel, region, topic, visibility, dept, pool,
    CASE {" ".join(f"WHEN status = '{k}' THEN {len(v)}" for k, v in PATHS.items())} END
      + CASE WHEN g % 33 = 0 AND status NOT IN ('registered', 'accepted', 'assigned', 'declined', 'withdrawn',
      'merged') THEN 2 ELSE 0 END AS n_events,
    CASE WHEN status IN ('registered', 'declined', 'withdrawn', 'merged') THEN NULL
      ELSE reg + interval '4 hours' END AS acc,
    CASE WHEN status IN ('replied', 'rehandling', 'closed') THEN reg + (2 + r4 * 25) * interval '1 day' END AS rep
  FROM (
    SELECT g, reg, age, r4, r5, pool, kind, channel, region, topic, visibility, dept, {age_status} AS status
    FROM (
      SELECT g, now() - age * interval '1 day' AS reg, age, random() AS r3, random() AS r4, random() AS r5,
        (abs(hashint4(g)) % {POOL}) AS pool,
        {pick({"complaint": 40, "help": 25, "inquiry": 15, "suggestion": 10, "report": 5, "criticism": 3,
               "praise": 2}, "random()")} AS kind,
        {pick({"hotline": 60, "web": 25, "letters_visits": 8, "deputy": 3, "media": 2, "mass_org": 2},
              "random()")} AS channel,
        ({region_arr})[1 + floor(random() * {len(regions)})::int] AS region,
        ({topic_arr})[1 + floor(random() * {len(topics)})::int] AS topic,
        {pick({"public": 85, "private": 12, "confidential": 3}, "random()")} AS visibility,
        ({pick(dep_w, "random()")})::int AS dept
      FROM (SELECT g, 1095 * power(random(), 1.3) AS age FROM generate_series({base + 1}, {base + n}) g) s
    ) a
  ) b
) c JOIN gen_pool p ON p.i = c.pool
""".replace("'none'", "NULL")  # fmt: skip


def event_sql(base: int, n: int) -> str:
    paths = ", ".join(f"('{s}', ARRAY[{','.join(repr(a) for a in p)}])" for s, p in PATHS.items())
    return f"""
INSERT INTO case_events (case_id, seq, at, actor_label, actor_role, action, from_status, to_status, data,
  public, prev_hash, hash)
SELECT c.id, e.seq, c.registered_at + (e.seq - 1) * interval '20 hours', CASE WHEN e.seq = 1 THEN '市民'
  ELSE '办理人' END, CASE WHEN e.seq = 1 THEN 'citizen' ELSE 'handler' END, e.action, NULL, NULL,
  CASE WHEN e.action = 'return' THEN json_build_object('department_id', 1 + (c.id % 10)) ELSE '{{}}'::json END,
  true, repeat(md5(c.id || '-' || (e.seq - 1)), 2), repeat(md5(c.id || '-' || e.seq), 2)
FROM cases c JOIN (VALUES {paths}) AS p(status, path) ON p.status = c.status
CROSS JOIN LATERAL unnest(CASE WHEN c.id % 33 = 0 AND cardinality(p.path) >= 4
  THEN p.path[1:3] || ARRAY['return', 'assign'] || p.path[4:] ELSE p.path END)
  WITH ORDINALITY AS e(action, seq)
WHERE c.id BETWEEN {base + 1} AND {base + n}
"""  # fmt: skip


def set_clocks(conn: psycopg.Connection, base: int) -> int:
    """The open cases' clock columns from the real working-day deadlines (compute_clock), written with COPY."""
    from minyi.deadlines.rules import XINFANG, compute_clock
    from minyi.deadlines.workcal import WorkCalendar

    cal = WorkCalendar()
    conn.execute("CREATE TEMP TABLE gen_clock (id int, stage text, due_at timestamptz, remind_at timestamptz, "
                 "accountability_at timestamptz, next_escalation_at timestamptz, handling_due_at timestamptz)")  # fmt: skip
    rows = conn.execute(
        "SELECT id, status, registered_at FROM cases WHERE status = ANY(%s) AND id > %s",
        [list(OPEN_STAGE), base],
    )
    n = 0
    with conn.cursor().copy("COPY gen_clock FROM STDIN") as cp:
        for cid, status, reg in rows.fetchall():
            v = compute_clock(OPEN_STAGE[status], reg, XINFANG, cal).as_values()
            cp.write_row((cid, v["stage"], v["due_at"], v["remind_at"], v["accountability_at"],
                          v["next_escalation_at"], v.get("handling_due_at")))  # fmt: skip
            n += 1
    conn.execute("""UPDATE cases c SET stage = g.stage, due_at = g.due_at, remind_at = g.remind_at,
        accountability_at = g.accountability_at, next_escalation_at = g.next_escalation_at,
        handling_due_at = coalesce(g.handling_due_at, c.handling_due_at) FROM gen_clock g WHERE g.id = c.id""")
    return n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("--db", default=None)
    ap.add_argument("--chunk", type=int, default=1_000_000)
    args = ap.parse_args()
    dsn = (args.db or primary_url()).replace("postgresql+psycopg://", "postgresql://")
    from minyi.db import make_engine
    from minyi.demo.load import load_demo
    from minyi.migrate import upgrade

    t0 = time.perf_counter()
    engine = make_engine(dsn.replace("postgresql://", "postgresql+psycopg://"))
    upgrade(engine)
    # the demo city once (load_demo ends with a sweep, which would run over the cases already there)
    with engine.connect() as c:
        if not c.exec_driver_sql("SELECT count(*) FROM departments").scalar():
            load_demo(engine, n_cases=0)
    engine.dispose()
    rng = random.Random(15)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.execute(
            "SET session_replication_role = replica"
        )  # no per-row FK triggers: keys valid by construction
        load_pool(conn, rng)
        regions = [r for (r,) in conn.execute("SELECT code FROM regions WHERE level = 4")]
        depts = [d for (d,) in conn.execute("SELECT id FROM departments ORDER BY id")]
        from minyi.web.choices import topic_choices

        topics = [t.code for t in topic_choices() if "." in t.code]
        base = conn.execute("SELECT coalesce(max(id), 0) FROM cases").fetchone()[0]  # type: ignore[index]
        index_defs = [d for (d,) in conn.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename IN ('cases', 'case_events', 'case_search') "
            "AND indexname LIKE 'ix_%'")] if base == 0 else []  # appending: keep them (the GIN build is slow)  # fmt: skip
        for d in index_defs:
            conn.execute(f"DROP INDEX {d.split(' INDEX ')[1].split(' ON ')[0]}")
        print(f"schema, demo city and text pool: {time.perf_counter() - t0:.0f}s", flush=True)
        done = 0
        while done < args.n:
            n = min(args.chunk, args.n - done)
            t = time.perf_counter()
            conn.execute(case_sql(base + done, n, regions, topics, depts))
            conn.execute(event_sql(base + done, n))
            conn.execute(f"""INSERT INTO case_search (case_id, doc) SELECT g, p.doc FROM generate_series(
                {base + done + 1}, {base + done + n}) g JOIN gen_pool p ON p.i = abs(hashint4(g)) % {POOL}""")
            done += n
            print(f"  {done:,} cases with their events and word index: chunk {time.perf_counter() - t:.0f}s",
                  flush=True)  # fmt: skip
        t = time.perf_counter()
        print(f"open cases' clocks: {set_clocks(conn, base):,} in {time.perf_counter() - t:.0f}s", flush=True)
        conn.execute("SELECT setval('cases_id_seq', (SELECT max(id) FROM cases))")
        conn.execute("SELECT setval('case_events_id_seq', (SELECT max(id) FROM case_events))")
        t = time.perf_counter()
        for d in index_defs:
            conn.execute(d)
        conn.execute("DROP TABLE gen_pool")
        conn.execute("VACUUM ANALYZE")
        print(f"indexes and analyze: {time.perf_counter() - t:.0f}s", flush=True)
        sizes = conn.execute("SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class WHERE "
                             "relname IN ('cases', 'case_events', 'case_search')").fetchall()  # fmt: skip
    print(f"{args.n:,} cases in {time.perf_counter() - t0:.0f}s; sizes: {dict(sizes)}")


if __name__ == "__main__":
    main()
