"""add 分办 and 协办意见 to suggestions: unit roles and opinions, the answering unit of answers and contacts

Revision ID: 0018
Revises: 0020
Create Date: 2026-11-30
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

from minyi.db import UTCDateTime

revision: str = "0018"
down_revision: str | None = "0017"  # re-chained on merge
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_LEAD = "(SELECT lead_unit_id FROM suggestions WHERE suggestions.id = {table}.suggestion_id)"


@contextmanager
def _followups_set_aside() -> Iterator[None]:
    # a batch copy on SQLite drops and re-creates suggestion_answers, and follow-ups point at it: with foreign keys
    # on, dropping a referenced table counts a violation that the copy under the same name never clears, so the
    # follow-ups step aside for the copy and come back to the same ids
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        op.execute("CREATE TEMP TABLE followups_aside AS SELECT * FROM suggestion_followups")
        op.execute("DELETE FROM suggestion_followups")
    yield
    if sqlite:
        op.execute("INSERT INTO suggestion_followups SELECT * FROM followups_aside")
        op.execute("DROP TABLE followups_aside")


def upgrade() -> None:
    with op.batch_alter_table("suggestion_units") as batch:
        batch.add_column(sa.Column("role", sa.String(10), nullable=False, server_default="co"))
        batch.add_column(sa.Column("opinion_requested_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("opinion", sa.Text(), nullable=True))
        batch.add_column(sa.Column("opinion_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("opinion_waived", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("suggestion_contacts") as batch:
        batch.add_column(sa.Column("department_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_suggestion_contacts_department_id_departments"),
            "departments",
            ["department_id"],
            ["id"],
        )
    op.execute(f"UPDATE suggestion_contacts SET department_id = {_LEAD.format(table='suggestion_contacts')}")
    op.add_column("suggestion_answers", sa.Column("department_id", sa.Integer(), nullable=True))
    op.execute(f"UPDATE suggestion_answers SET department_id = {_LEAD.format(table='suggestion_answers')}")
    with _followups_set_aside(), op.batch_alter_table("suggestion_answers") as batch:
        batch.alter_column("department_id", existing_type=sa.Integer(), nullable=False)
        batch.create_foreign_key(
            batch.f("fk_suggestion_answers_department_id_departments"),
            "departments",
            ["department_id"],
            ["id"],
        )
        batch.drop_constraint("uq_suggestion_answers_suggestion_id_round", type_="unique")
        batch.create_unique_constraint(
            batch.f("uq_suggestion_answers_suggestion_id_round_department_id"),
            ["suggestion_id", "round", "department_id"],
        )

    op.add_column("suggestion_followups", sa.Column("done_note", sa.Text(), nullable=True))
    op.create_table(
        "suggestion_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("subject", sa.String(30), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("due_at", UTCDateTime(), nullable=False),
        sa.Column("issued_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"],
                                name=op.f("fk_suggestion_notices_suggestion_id_suggestions")),  # fmt: skip
        sa.ForeignKeyConstraint(["unit_id"], ["departments.id"], name=op.f("fk_suggestion_notices_unit_id_departments")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_notices")),
        sa.UniqueConstraint("suggestion_id", "subject", "level", name=op.f("uq_suggestion_notices_suggestion_id_subject_level")),
    )  # fmt: skip
    op.create_index(op.f("ix_suggestion_notices_suggestion_id"), "suggestion_notices", ["suggestion_id"])
    op.create_index(op.f("ix_suggestion_notices_issued_at"), "suggestion_notices", ["issued_at"])

    _organisations()
    op.add_column("cases", sa.Column("households", sa.Integer(), nullable=True))
    op.add_column("media_feeds", sa.Column("last_attempt_at", UTCDateTime(), nullable=True))
    op.add_column("media_feeds", sa.Column("last_error", sa.Text(), nullable=True))


def _organisations() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("region_code", sa.String(12), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["region_code"], ["regions.code"], name=op.f("fk_organisations_region_code_regions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("name", name=op.f("uq_organisations_name")),
    )
    op.create_table(
        "organisation_members",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_members_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_organisation_members_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_organisation_members")),
    )
    op.create_index(
        op.f("ix_organisation_members_organisation_id"), "organisation_members", ["organisation_id"]
    )
    op.create_table(
        "organisation_cases",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("member_user_id", sa.Integer(), nullable=False),
        sa.Column("consent_way", sa.String(20), nullable=False),
        sa.Column("consent_on", sa.Date(), nullable=False),
        sa.Column("consent_person", sa.String(100), nullable=False),
        sa.Column("submitted_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_organisation_cases_case_id_cases")),
        sa.ForeignKeyConstraint(["member_user_id"], ["users.id"], name=op.f("fk_organisation_cases_member_user_id_users")),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisations.id"],
                                name=op.f("fk_organisation_cases_organisation_id_organisations")),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_organisation_cases")),
    )  # fmt: skip
    op.create_index(op.f("ix_organisation_cases_organisation_id"), "organisation_cases", ["organisation_id"])


def downgrade() -> None:
    # plain ALTER TABLE (SQLite 3.35+): a batch copy of `cases` would trip the foreign keys that point at it
    op.execute("ALTER TABLE cases DROP COLUMN households")
    with op.batch_alter_table("media_feeds") as batch:
        batch.drop_column("last_error")
        batch.drop_column("last_attempt_at")
    op.drop_index(op.f("ix_organisation_cases_organisation_id"), table_name="organisation_cases")
    op.drop_table("organisation_cases")
    op.drop_index(op.f("ix_organisation_members_organisation_id"), table_name="organisation_members")
    op.drop_table("organisation_members")
    op.drop_table("organisations")
    op.drop_index(op.f("ix_suggestion_notices_issued_at"), table_name="suggestion_notices")
    op.drop_index(op.f("ix_suggestion_notices_suggestion_id"), table_name="suggestion_notices")
    op.drop_table("suggestion_notices")
    with op.batch_alter_table("suggestion_followups") as batch:
        batch.drop_column("done_note")
    with _followups_set_aside(), op.batch_alter_table("suggestion_answers") as batch:
        batch.drop_constraint("uq_suggestion_answers_suggestion_id_round_department_id", type_="unique")
        batch.create_unique_constraint(
            batch.f("uq_suggestion_answers_suggestion_id_round"), ["suggestion_id", "round"]
        )
        batch.drop_constraint("fk_suggestion_answers_department_id_departments", type_="foreignkey")
        batch.drop_column("department_id")
    with op.batch_alter_table("suggestion_contacts") as batch:
        batch.drop_constraint("fk_suggestion_contacts_department_id_departments", type_="foreignkey")
        batch.drop_column("department_id")
    with op.batch_alter_table("suggestion_units") as batch:
        for column in ("opinion_waived", "opinion_at", "opinion", "opinion_requested_at", "role"):
            batch.drop_column(column)
