"""add suggestions and proposals (建议提案办理) and the media intake queue (feeds, candidates)

Revision ID: 0013
Revises: 0004
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import minyi.db

revision: str = "0013"
down_revision: str | None = "0010"  # chained after 0010 on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "media_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_pulled_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_feeds")),
        sa.UniqueConstraint("url", name=op.f("uq_media_feeds_url")),
    )
    op.create_table(
        "proposers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposers")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_proposers_code_hash")),
    )
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("session_label", sa.String(length=100), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("proposer_id", sa.Integer(), nullable=False),
        sa.Column("cosigners", sa.JSON(), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("category", sa.String(length=1), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("not_accepted_reason", sa.Text(), nullable=True),
        sa.Column("to_opinion", sa.Boolean(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), nullable=True),
        sa.Column("assigned_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("dispute_until", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("months", sa.Integer(), nullable=False),
        sa.Column("due_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_on_time", sa.Boolean(), nullable=True),
        sa.Column("key_item", sa.Boolean(), nullable=False),
        sa.Column("key_leader", sa.String(length=100), nullable=True),
        sa.Column("proposer_declined_contact", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.String(length=30), nullable=True),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("withhold_reason", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_count", sa.Integer(), nullable=False),
        sa.Column("last_event_hash", sa.String(length=64), nullable=False),
        sa.Column("registered_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_unit_id"], ["departments.id"], name=op.f("fk_suggestions_lead_unit_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["proposer_id"], ["proposers.id"], name=op.f("fk_suggestions_proposer_id_proposers")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
        sa.UniqueConstraint(
            "kind", "session_label", "number", name=op.f("uq_suggestions_kind_session_label_number")
        ),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestions_due_at"), ["due_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_lead_unit_id"), ["lead_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_proposer_id"), ["proposer_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_session_label"), ["session_label"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_status"), ["status"], unique=False)

    op.create_table(
        "media_candidates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=True),
        sa.Column("source_name", sa.String(length=100), nullable=False),
        sa.Column("guid", sa.String(length=64), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("published_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("repeat_case_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("created_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_media_candidates_case_id_cases")),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_media_candidates_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["media_feeds.id"], name=op.f("fk_media_candidates_feed_id_media_feeds")
        ),
        sa.ForeignKeyConstraint(
            ["repeat_case_id"], ["cases.id"], name=op.f("fk_media_candidates_repeat_case_id_cases")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_media_candidates")),
        sa.UniqueConstraint("guid", name=op.f("uq_media_candidates_guid")),
    )
    with op.batch_alter_table("media_candidates", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_media_candidates_feed_id"), ["feed_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_media_candidates_status"), ["status"], unique=False)

    op.create_table(
        "suggestion_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=1), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=True),
        sa.Column("plan_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("signed_by", sa.Integer(), nullable=True),
        sa.Column("signed_by_label", sa.String(length=100), nullable=False),
        sa.Column("answered_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("satisfaction", sa.String(length=30), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["signed_by"], ["users.id"], name=op.f("fk_suggestion_answers_signed_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_answers_suggestion_id_suggestions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_answers")),
        sa.UniqueConstraint("suggestion_id", "round", name=op.f("uq_suggestion_answers_suggestion_id_round")),
    )
    with op.batch_alter_table("suggestion_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_answers_suggestion_id"), ["suggestion_id"], unique=False
        )

    op.create_table(
        "suggestion_contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("way", sa.String(length=20), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("who", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by"], ["users.id"], name=op.f("fk_suggestion_contacts_recorded_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_contacts_suggestion_id_suggestions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_contacts")),
    )
    with op.batch_alter_table("suggestion_contacts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_contacts_suggestion_id"), ["suggestion_id"], unique=False
        )

    op.create_table(
        "suggestion_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("at", minyi.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_label", sa.String(length=100), nullable=False),
        sa.Column("actor_role", sa.String(length=20), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["suggestion_id"], ["suggestions.id"], name=op.f("fk_suggestion_events_suggestion_id_suggestions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_events")),
        sa.UniqueConstraint("suggestion_id", "seq", name=op.f("uq_suggestion_events_suggestion_id_seq")),
    )
    with op.batch_alter_table("suggestion_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suggestion_events_suggestion_id"), ["suggestion_id"], unique=False
        )

    op.create_table(
        "suggestion_units",
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["department_id"], ["departments.id"], name=op.f("fk_suggestion_units_department_id_departments")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"], ["suggestions.id"], name=op.f("fk_suggestion_units_suggestion_id_suggestions")
        ),
        sa.PrimaryKeyConstraint("suggestion_id", "department_id", name=op.f("pk_suggestion_units")),
    )
    op.create_table(
        "suggestion_followups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("done_at", minyi.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["suggestion_answers.id"],
            name=op.f("fk_suggestion_followups_answer_id_suggestion_answers"),
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["suggestions.id"],
            name=op.f("fk_suggestion_followups_suggestion_id_suggestions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_followups")),
    )
    with op.batch_alter_table("suggestion_followups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_followups_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_suggestion_followups_suggestion_id"), ["suggestion_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("suggestion_followups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_followups_suggestion_id"))
        batch_op.drop_index(batch_op.f("ix_suggestion_followups_due_on"))

    op.drop_table("suggestion_followups")
    op.drop_table("suggestion_units")
    with op.batch_alter_table("suggestion_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_events_suggestion_id"))

    op.drop_table("suggestion_events")
    with op.batch_alter_table("suggestion_contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_contacts_suggestion_id"))

    op.drop_table("suggestion_contacts")
    with op.batch_alter_table("suggestion_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_answers_suggestion_id"))

    op.drop_table("suggestion_answers")
    with op.batch_alter_table("media_candidates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_media_candidates_status"))
        batch_op.drop_index(batch_op.f("ix_media_candidates_feed_id"))

    op.drop_table("media_candidates")
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestions_status"))
        batch_op.drop_index(batch_op.f("ix_suggestions_session_label"))
        batch_op.drop_index(batch_op.f("ix_suggestions_proposer_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_lead_unit_id"))
        batch_op.drop_index(batch_op.f("ix_suggestions_due_at"))

    op.drop_table("suggestions")
    op.drop_table("proposers")
    op.drop_table("media_feeds")
