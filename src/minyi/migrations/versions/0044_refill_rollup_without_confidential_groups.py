"""re-fill the scoreboard's rollup where it counted confidential group demands (trust, issue 15)

Since this release a confidential group demand (联名) no longer counts in the public scoreboard's group-demand and
household figures (`access.counts_in_group_figures`). A rollup filled before counted it; this migration rebuilds the
rollup from the record, but only when such a case exists (found through the group-demand index of 0043), so a
large database without one pays one index probe.

Revision ID: 0044
Revises: 0042
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    found = bind.execute(
        sa.text("SELECT 1 FROM cases WHERE households >= 2 AND visibility = 'confidential' LIMIT 1")
    ).first()
    if found is not None:
        from sqlalchemy.orm import Session

        from minyi.deadlines.clock import calendar
        from minyi.portal.rollup import rebuild

        with Session(bind=bind) as session:
            rebuild(session, calendar(session))
            session.flush()


def downgrade() -> None:
    pass  # the figures stay as the rule gives them; `minyi scoreboard rebuild` recomputes them at any time
