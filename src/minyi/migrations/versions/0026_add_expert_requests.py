"""add expert requests: a signed opinion of an expert body's member on a case or a suggestion

Revision ID: 0026
Revises: 0019
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0026"
down_revision: str | None = "0025"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "expert_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_type", sa.String(20), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("expert_user_id", sa.Integer(), nullable=False),
        sa.Column("invited_by_user_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("invited_at", UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text()),
        sa.Column("submitted_at", UTCDateTime()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("audit_seq", sa.Integer()),
        sa.Column("audit_hash", sa.String(64)),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_expert_requests_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["expert_user_id"], ["users.id"], name=op.f("fk_expert_requests_expert_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["invited_by_user_id"], ["users.id"], name=op.f("fk_expert_requests_invited_by_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expert_requests")),
    )
    op.create_index(op.f("ix_expert_requests_expert_user_id"), "expert_requests", ["expert_user_id"])
    op.create_index("ix_expert_requests_subject", "expert_requests", ["subject_type", "subject_id"])


def downgrade() -> None:
    op.drop_index("ix_expert_requests_subject", table_name="expert_requests")
    op.drop_index(op.f("ix_expert_requests_expert_user_id"), table_name="expert_requests")
    op.drop_table("expert_requests")
