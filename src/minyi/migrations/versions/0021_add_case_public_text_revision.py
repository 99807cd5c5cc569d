"""add cases.public_text_rev (the redaction revision the stored public text was masked with: readers such as the
open-data export use the stored text when it is current instead of masking again)

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0018"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("public_text_rev", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN public_text_rev")
