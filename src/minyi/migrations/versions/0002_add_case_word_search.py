"""add case word search (CJK bigrams: SQLite FTS5, PostgreSQL tsvector + GIN)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute(
            "CREATE TABLE case_search (case_id INTEGER PRIMARY KEY REFERENCES cases(id), doc tsvector)"
        )
        op.execute("CREATE INDEX ix_case_search_doc ON case_search USING gin (doc)")
    else:
        op.execute("CREATE VIRTUAL TABLE case_search USING fts5(doc, content='', tokenize='unicode61')")
    from minyi.cases.search import index_cases

    rows = bind.execute(sa.text("SELECT id, title, body FROM cases ORDER BY id")).all()
    if rows:
        from sqlalchemy.orm import Session

        with Session(bind=bind) as session:
            index_cases(session, [(r[0], r[1], r[2]) for r in rows])
            session.flush()


def downgrade() -> None:
    op.execute("DROP TABLE case_search")
