"""raise the statistics target of the word index column, so that ANALYZE lists the pairs down to ~0.1 % of cases

The public search chooses its shape from each pair's share of cases (`cases.search.word_share`). ANALYZE keeps
10 × the target most common pairs, and drops those under about 9 occurrences per 100,000 pairs sampled: with the
default target (100) a pair missing from the list may still be in ~1 % of the cases, 100,000 of 10,000,000;
with 1,000 it is in under ~0.1 %, fewer than the bound T (≈ 14,500 at 10,000,000), so the search sends it
straight to the index. ANALYZE then samples 300,000 rows instead of 30,000. PostgreSQL only (SQLite's index is
an FTS5 table).

Revision ID: 0039
Revises: 0034
Create Date: 2026-11-30
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0039"
down_revision: str | None = "0034"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TARGET = 1000


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE case_search ALTER COLUMN doc SET STATISTICS {TARGET}")
        op.execute("ANALYZE case_search")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE case_search ALTER COLUMN doc SET STATISTICS -1")
