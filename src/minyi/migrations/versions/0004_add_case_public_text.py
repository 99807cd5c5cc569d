"""add case public text (masked title and body; the public word search indexes only them)

Revision ID: 0004
Revises: 0006
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0006"  # written against 0002; chained after 0006 (merged first)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("public_title", sa.Text(), nullable=True))
    op.add_column("cases", sa.Column("public_body", sa.Text(), nullable=True))
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT 1 FROM cases LIMIT 1")).first() is None:
        return
    from sqlalchemy.orm import Session

    from minyi.cases.search import reindex

    with Session(bind=bind) as session:  # the index held the full text until now: mask it and index afresh
        reindex(session, with_revision=False)  # the revision column comes in 0021
        session.flush()


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN public_body")
    op.execute("ALTER TABLE cases DROP COLUMN public_title")
