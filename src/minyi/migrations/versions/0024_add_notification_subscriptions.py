"""add notification subscriptions: a confirmed wish to hear of a topic (consultations, a proposer's items)

Revision ID: 0024
Revises: 0014
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0024"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "notify_subscriptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(60), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("confirmed_at", UTCDateTime()),
        sa.Column("ended_at", UTCDateTime()),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notify_subscriptions")),
        sa.UniqueConstraint(
            "topic", "channel", "address", name=op.f("uq_notify_subscriptions_topic_channel_address")
        ),
    )
    op.create_index(op.f("ix_notify_subscriptions_topic"), "notify_subscriptions", ["topic"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notify_subscriptions_topic"), table_name="notify_subscriptions")
    op.drop_table("notify_subscriptions")
