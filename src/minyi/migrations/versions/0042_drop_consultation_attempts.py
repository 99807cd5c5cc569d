"""drop consultation_attempts: consultations' attempt limits are counted in the shared rate_counters

Revision ID: 0042
Revises: 0039
Create Date: 2026-11-30

The counts were short-lived (10-minute windows), so nothing is carried over: at worst an address gets one fresh
window after the upgrade. The table kept the caller's address in clear in its key; `rate_counters` keeps a keyed
hash of a coarse bucket.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0039"  # after main's head (0039); re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_consultation_attempts_period", table_name="consultation_attempts")
    op.drop_table("consultation_attempts")


def downgrade() -> None:
    op.create_table(
        "consultation_attempts",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("period", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_consultation_attempts_period", "consultation_attempts", ["period"])
