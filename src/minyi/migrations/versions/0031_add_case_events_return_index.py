"""add a partial index on the return events, read by the scoreboard (scale, issue 15)

The scoreboard counts each department's returns (退回) from the history; without an index that is a scan of
every event (50 million rows at 10 million cases). Returns are a few per cent of the cases, so the partial
index is small and the other events do not pay for it.

Revision ID: 0031
Revises: 0019
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0027"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RETURNS = sa.text("action = 'return'")


def upgrade() -> None:
    op.create_index(
        "ix_case_events_returns", "case_events", ["case_id"], postgresql_where=RETURNS, sqlite_where=RETURNS
    )


def downgrade() -> None:
    op.drop_index("ix_case_events_returns", table_name="case_events")
