"""add the notification outbox, staff contacts, submitters' notification preferences and region boundaries

Revision ID: 0012
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0012"
down_revision: str | None = "0007"  # chained after 0007 on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+ drops columns too): rebuilding submitters would trip the cases' foreign key
    op.add_column("submitters", sa.Column("wechat_openid", sa.String(64), nullable=True))
    op.add_column("submitters", sa.Column("notify_by", sa.String(10), nullable=True))
    op.add_column("submitters", sa.Column("language", sa.String(5), nullable=True))
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_key", sa.String(80), nullable=False),
        sa.Column("recipient", sa.String(40), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("template", sa.String(40), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTCDateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("sent_at", UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_notifications_case_id_cases")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint(
            "event_key", "recipient", "channel", name=op.f("uq_notifications_event_key_recipient_channel")
        ),
    )
    op.create_index("ix_notifications_due", "notifications", ["status", "next_attempt_at"])
    op.create_index(op.f("ix_notifications_case_id"), "notifications", ["case_id"])
    op.create_index(op.f("ix_notifications_user_id"), "notifications", ["user_id"])
    op.create_table(
        "staff_contacts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(200), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("wechat_openid", sa.String(64), nullable=True),
        sa.Column("notify_by", sa.String(10), nullable=True),
        sa.Column("language", sa.String(5), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_staff_contacts_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_staff_contacts")),
    )
    op.create_table(
        "region_shapes",
        sa.Column("code", sa.String(12), nullable=False),
        sa.Column("geometry", sa.JSON(), nullable=False),
        sa.Column("loaded_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["code"], ["regions.code"], name=op.f("fk_region_shapes_code_regions")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_region_shapes")),
    )


def downgrade() -> None:
    op.drop_table("region_shapes")
    op.drop_table("staff_contacts")
    op.drop_index(op.f("ix_notifications_user_id"), table_name="notifications")
    op.drop_index(op.f("ix_notifications_case_id"), table_name="notifications")
    op.drop_index("ix_notifications_due", table_name="notifications")
    op.drop_table("notifications")
    for column in ("language", "notify_by", "wechat_openid"):
        op.drop_column("submitters", column)
