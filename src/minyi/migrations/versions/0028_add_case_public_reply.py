"""add cases.public_reply and cases.public_reply_rev (the reply masked as the public reads it, with the redaction
revision it was masked with: the export and the public pages use it when current instead of masking again;
`minyi opendata remask` fills it for replies written before, or loaded outside minyi's write path)

Revision ID: 0028
Revises: 0019
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0031"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("cases", sa.Column("public_reply", sa.Text(), nullable=True))
    op.add_column("cases", sa.Column("public_reply_rev", sa.String(length=16), nullable=True))


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN public_reply_rev")
    op.execute("ALTER TABLE cases DROP COLUMN public_reply")
