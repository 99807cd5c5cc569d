"""Regions get an English name, shown in English mode.

Revision ID: 0007
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("regions", sa.Column("name_en", sa.String(200), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE regions DROP COLUMN name_en")
