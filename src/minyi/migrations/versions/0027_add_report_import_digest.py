"""add misconduct_reports.import_digest (a keyed digest of the import row a sealed report was made from)

Revision ID: 0027
Revises: 0019
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("misconduct_reports", sa.Column("import_digest", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_misconduct_reports_import_digest", "misconduct_reports", ["import_digest"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_misconduct_reports_import_digest", table_name="misconduct_reports")
    # plain ALTER TABLE (SQLite 3.35+): a batch copy would trip the foreign keys that point at the table
    op.execute("ALTER TABLE misconduct_reports DROP COLUMN import_digest")
