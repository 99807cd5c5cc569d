"""add inspection rounds (巡视/巡察) with rectification, and the accountability register (问责)

Revision ID: 0019
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0019"
down_revision: str | None = "0021"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id(name: str, target: str, *, nullable: bool = False, index: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), sa.ForeignKey(target), nullable=nullable, index=index)


def upgrade() -> None:
    op.create_table(
        "inspection_rounds",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        _id("unit_id", "departments.id", index=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(40)),
        sa.Column("stage", sa.String(20), nullable=False),
        sa.Column("findings", sa.Text()),
        sa.Column("findings_at", UTCDateTime()),
        sa.Column("rectification_due", sa.Date()),
        sa.Column("report_json", sa.Text()),
        sa.Column("report_published_at", UTCDateTime()),
        sa.Column("version", sa.Integer(), nullable=False),
        _id("created_by", "users.id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "inspection_round_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("round_id", "inspection_rounds.id", index=True),
        _id("user_id", "users.id", index=True),
        sa.Column("leader", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("round_id", "user_id"),
    )
    op.create_table(
        "inspection_submissions",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("round_id", "inspection_rounds.id", index=True),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("contact", sa.String(300)),
        _id("registered_by", "users.id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "inspection_clues",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("round_id", "inspection_rounds.id", index=True),
        _id("submission_id", "inspection_submissions.id", nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("handed_to", sa.String(200)),
        sa.Column("handover_note", sa.Text()),
        _id("marked_by", "users.id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("handed_at", UTCDateTime()),
    )
    op.create_table(
        "rectification_items",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("round_id", "inspection_rounds.id", index=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        _id("unit_id", "departments.id", index=True),
        sa.Column("post", sa.String(100), nullable=False),
        sa.Column("measures", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False, index=True),
        sa.Column("evidence_required", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("decision_reason", sa.Text()),
        sa.Column("reminded_at", UTCDateTime()),
        sa.Column("overdue_at", UTCDateTime()),
        sa.Column("done_at", UTCDateTime()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.UniqueConstraint("round_id", "number"),
    )
    op.create_table(
        "rectification_progress",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("item_id", "rectification_items.id", index=True),
        sa.Column("done", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("complete", sa.Boolean(), nullable=False),
        _id("reported_by", "users.id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "accountability_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("unit_id", "departments.id", index=True),
        sa.Column("post", sa.String(100)),
        sa.Column("person", sa.String(100)),
        sa.Column("ground", sa.String(30), nullable=False),
        sa.Column("form", sa.String(30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("ladder_key", sa.String(80), unique=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("response", sa.Text()),
        sa.Column("responded_at", UTCDateTime()),
        sa.Column("decision", sa.Text()),
        sa.Column("decided_at", UTCDateTime()),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _id("created_by", "users.id", nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False, index=True),
    )
    op.create_table(
        "accountability_evidence",
        sa.Column("id", sa.Integer(), primary_key=True),
        _id("record_id", "accountability_records.id", index=True),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.UniqueConstraint("record_id", "kind", "ref_id"),
    )


def downgrade() -> None:
    for table in ("accountability_evidence", "accountability_records", "rectification_progress", "rectification_items", "inspection_clues", "inspection_submissions",
                  "inspection_round_members", "inspection_rounds"):  # fmt: skip
        op.drop_table(table)
