"""add cases.urgency_model_version (the urgency rules or retrained model that judged the case: the learning loop)

Revision ID: 0022
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("urgency_model_version", sa.String(length=60), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN urgency_model_version")
