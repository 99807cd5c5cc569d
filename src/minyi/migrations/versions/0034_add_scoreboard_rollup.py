"""add the scoreboard's rollup per department and month, filled from the record (scale, issue 15)

The cold scoreboard read every case (three aggregates, the history's returns, and every reply's working days
counted in Python): a minute at a million cases. The rollup holds its figures per department and local month of
registration, kept by the unit of work; this migration creates it and fills it from the record (the same
`minyi scoreboard rebuild` does later).

Revision ID: 0034
Revises: 0037
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0038"  # re-chained on merge (after 0037 and 0038)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIGURES = ("received", "replied", "on_time", "evaluated", "satisfied", "rehandled", "returned", "returns_sent_back",
           "escalated", "reply_days_sum", "reply_days_n", "group_demands", "households")  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "scoreboard_months",
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        *[sa.Column(f, sa.Integer(), nullable=False) for f in FIGURES],
        sa.PrimaryKeyConstraint("department_id", "month"),
    )
    op.create_table(
        "scoreboard_cases",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("facts", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("case_id"),
    )
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM cases")).scalar():
        from sqlalchemy.orm import Session

        from minyi.deadlines.clock import calendar
        from minyi.portal.rollup import rebuild

        with Session(bind=bind) as session:
            rebuild(session, calendar(session))
            session.flush()


def downgrade() -> None:
    op.drop_table("scoreboard_cases")
    op.drop_table("scoreboard_months")
