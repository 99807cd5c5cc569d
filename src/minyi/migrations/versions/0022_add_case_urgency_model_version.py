"""add cases.urgency_model_version (the urgency rules or model that judged a case) and case_groups (the shared grouping)

Revision ID: 0022
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022"
down_revision: str | None = "0023"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("urgency_model_version", sa.String(length=60), nullable=True))
    op.create_table(
        "case_groups",
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("group_key", sa.String(length=40), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_case_groups_group_key", "case_groups", ["group_key"])


def downgrade() -> None:
    op.drop_index("ix_case_groups_group_key", table_name="case_groups")
    op.drop_table("case_groups")
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN urgency_model_version")
