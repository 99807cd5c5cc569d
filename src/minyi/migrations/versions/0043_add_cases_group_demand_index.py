"""add a partial index on the group demands, read by the scoreboard's households per region (scale, issue 15)

The public scoreboard sums the households behind committees' group demands (联名, households ≥ 2) per district;
without an index that is a scan of every case on every page view (0.6 s at a million cases, for no rows).
Group demands are a small share of the cases, so the partial index is small and other cases do not pay for it.

Revision ID: 0043
Revises: 0034
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GROUP = sa.text("households >= 2")


def upgrade() -> None:
    op.create_index(
        "ix_cases_group_demands",
        "cases",
        ["region_code", "households"],
        postgresql_where=GROUP,
        sqlite_where=GROUP,
    )


def downgrade() -> None:
    op.drop_index("ix_cases_group_demands", table_name="cases")
