"""raise the word index column's statistics target; widen the work queue's index so its total is counted from it alone

Words: the public search chooses its shape from each pair's share of cases (`cases.search.word_share`), and a pair
missing from ANALYZE's list of the most common ones is sent straight to the index. ANALYZE lists at most 10 × the
target pairs: with the default target (100) the least listed pair was in 1.4 % of the cases of the generated scale
database, so a missing one could still be in 140,000 of 10,000,000, far over the bound T (≈ 14,500); with 1,000 it
lists 10,000 pairs, the least in 0.19 %. ANALYZE then samples 300,000 rows instead of 30,000 (20 s at 300,000
cases on a loaded machine). PostgreSQL only (SQLite's index is an FTS5 table).

The queue's total: `ix_cases_queue` (department, due date) becomes (department, due date, status) with the
visibility and the id included. The first page still walks it by deadline and stops at the page (the status now
checked in the index, not the table); the total ("how many of my department's cases in these states", capped at
1,000) is an index-only scan where the visibility map allows: 0.5 ms at 300,000 cases instead of 12 ms through
the (status, due date) index and the table, which read every department's cases in those states
(docs/benchmarks.md). The index is rebuilt under a lock on writes to cases: seconds at 1,000,000 cases.

Revision ID: 0039
Revises: 0043
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | None = "0043"  # after main's head when merged (re-chained on merge)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TARGET = 1000


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_queue")
        batch_op.create_index(
            "ix_cases_queue", ["department_id", "due_at", "status"], postgresql_include=["visibility", "id"]
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE case_search ALTER COLUMN doc SET STATISTICS {TARGET}")
        op.execute("ANALYZE case_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE case_search ALTER COLUMN doc SET STATISTICS -1")
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_queue")
        batch_op.create_index("ix_cases_queue", ["department_id", "due_at"])
