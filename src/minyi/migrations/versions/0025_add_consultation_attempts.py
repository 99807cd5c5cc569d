"""add consultation_attempts: tracking-code joins and hearing registrations counted across processes

Revision ID: 0025
Revises: 0019
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0028"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "consultation_attempts",
        sa.Column("key", sa.String(120), primary_key=True),
        sa.Column("period", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_index("ix_consultation_attempts_period", "consultation_attempts", ["period"])


def downgrade() -> None:
    op.drop_index("ix_consultation_attempts_period", table_name="consultation_attempts")
    op.drop_table("consultation_attempts")
