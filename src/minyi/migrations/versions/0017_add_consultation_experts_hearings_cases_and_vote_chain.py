"""add invited experts' signed opinions, hearing registrations, linked cases and the vote chain to consultations

Revision ID: 0017
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0017"
down_revision: str | None = "0022"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("consultations") as batch:
        batch.add_column(sa.Column("hearing_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("hearing_place", sa.String(200), nullable=True))
        batch.add_column(sa.Column("hearing_capacity", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("origin", sa.String(200), nullable=True))
        batch.add_column(sa.Column("vote_seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("vote_head", sa.String(64), nullable=False, server_default="0" * 64))
        batch.add_column(sa.Column("vote_sealed_seq", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "consultation_vote_log",
        sa.Column("consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), primary_key=True),
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "consultation_cases",
        sa.Column("consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), primary_key=True),
    )
    op.create_table(
        "consultation_expert_opinions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=False, index=True
        ),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("affiliation", sa.String(200), nullable=False),
        sa.Column("invited_at", UTCDateTime(), nullable=False),
        sa.Column("body", sa.Text()),
        sa.Column("submitted_at", UTCDateTime()),
        sa.Column("content_hash", sa.String(64)),
        sa.Column("audit_seq", sa.Integer()),
        sa.Column("audit_hash", sa.String(64)),
    )
    op.create_table(
        "consultation_hearing_registrations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "consultation_id", sa.Integer(), sa.ForeignKey("consultations.id"), nullable=False, index=True
        ),
        sa.Column("name", sa.String(50), nullable=False),
        sa.Column("phone", sa.String(20), nullable=False),
        sa.Column("contact_ref", sa.String(64), nullable=False),
        sa.Column("position", sa.String(20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("consultation_id", "contact_ref"),
    )


def downgrade() -> None:
    op.drop_table("consultation_hearing_registrations")
    op.drop_table("consultation_expert_opinions")
    op.drop_table("consultation_cases")
    op.drop_table("consultation_vote_log")
    with op.batch_alter_table("consultations") as batch:
        batch.drop_column("vote_sealed_seq")
        batch.drop_column("vote_head")
        batch.drop_column("vote_seq")
        batch.drop_column("origin")
        batch.drop_column("hearing_capacity")
        batch.drop_column("hearing_place")
        batch.drop_column("hearing_at")
