"""add the sealed channel for misconduct reports (举报): reports, messages, office key, unsealing, flags

Revision ID: 0014
Revises: 0012
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0014"
down_revision: str | None = "0011"  # chained after 0011 on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "misconduct_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("receipt_digest", sa.String(64), nullable=False, unique=True),
        sa.Column("passphrase_hash", sa.String(200), nullable=False),
        sa.Column("department_id", sa.Integer(), sa.ForeignKey("departments.id"), nullable=False, index=True),
        sa.Column("official", sa.String(200)),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("happened", sa.String(200)),
        sa.Column("evidence", sa.Text()),
        sa.Column("named", sa.Boolean(), nullable=False),
        sa.Column("sealed_identity", sa.LargeBinary()),
        sa.Column("phone_digest", sa.String(64), index=True),
        sa.Column("id_digest", sa.String(64), index=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("result", sa.Text()),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "report_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id", sa.Integer(), sa.ForeignKey("misconduct_reports.id"), nullable=False, index=True
        ),
        sa.Column("author", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "report_office_keys",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("encrypted_private_key", sa.LargeBinary(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.Column("opslimit", sa.Integer(), nullable=False),
        sa.Column("memlimit", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )
    op.create_table(
        "report_unseal_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id", sa.Integer(), sa.ForeignKey("misconduct_reports.id"), nullable=False, index=True
        ),
        sa.Column("requested_by", sa.Integer(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Integer(), sa.ForeignKey("users.id")),
        sa.Column("approval_reason", sa.Text()),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("decided_at", UTCDateTime()),
    )
    op.create_table(
        "report_retaliation_flags",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "report_id", sa.Integer(), sa.ForeignKey("misconduct_reports.id"), nullable=False, index=True
        ),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("cases.id"), nullable=False, index=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
    )


def downgrade() -> None:
    for name in ("report_retaliation_flags", "report_unseal_requests", "report_office_keys", "report_messages",
                 "misconduct_reports"):  # fmt: skip
        op.drop_table(name)
