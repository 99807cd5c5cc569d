"""add attachments, report deadlines and notices, public evaluation (民主评议)

Revision ID: 0020
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0020"
down_revision: str | None = "0024"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("object_type", sa.String(40), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("content_type", sa.String(100), nullable=False),
        sa.Column("sealed_key", sa.LargeBinary()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_index("ix_attachments_object", "attachments", ["object_type", "object_id"])
    op.create_table(
        "evaluation_periods",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("department_ids", sa.JSON(), nullable=False),
        sa.Column("opened_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("opened_at", UTCDateTime(), nullable=False),
        sa.Column("closed_at", UTCDateTime()),
    )
    op.create_table(
        "evaluation_ratings",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "period_id", sa.Integer(), sa.ForeignKey("evaluation_periods.id"), nullable=False, index=True
        ),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("departments.id"), nullable=False),
        sa.Column("rater_digest", sa.String(64), nullable=False),
        sa.Column("rater_kind", sa.String(20), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("period_id", "department_id", "rater_digest", name="uq_evaluation_one_rating"),
    )
    with op.batch_alter_table("misconduct_reports") as batch:  # a steered demand may not know the unit
        batch.alter_column("department_id", existing_type=sa.Integer(), nullable=True)
    op.create_table(
        "report_notices",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id", sa.Integer(), sa.ForeignKey("misconduct_reports.id"), nullable=False, index=True
        ),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("report_id", "stage", "level", name="uq_report_notice"),
    )


def downgrade() -> None:
    op.drop_table("evaluation_ratings")
    op.drop_table("evaluation_periods")
    op.drop_table("report_notices")
    op.execute(
        "DELETE FROM report_messages WHERE report_id IN (SELECT id FROM misconduct_reports WHERE department_id IS NULL)"
    )
    with op.batch_alter_table("misconduct_reports") as batch:
        batch.alter_column("department_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index("ix_attachments_object", table_name="attachments")
    op.drop_table("attachments")
