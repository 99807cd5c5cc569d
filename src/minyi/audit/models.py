"""Tables of the record that are not about one case: administrators' audit entries and sealed checkpoints.

All three are append-only: triggers on SQLite and PostgreSQL refuse UPDATE and DELETE (see `APPEND_ONLY`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from minyi.db import Base, UTCDateTime


class AuditEntry(Base):
    """One administrator's (or other non-case) write, hash-chained to the entry before it."""

    __tablename__ = "audit_entries"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_role: Mapped[str] = mapped_column(String(20))
    actor_label: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(100))
    data: Mapped[Any] = mapped_column(JSON, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditCheckpoint(Base):
    """A sealed Merkle root over every case chain's head and the audit entries' head, for publication."""

    __tablename__ = "audit_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    root: Mapped[str] = mapped_column(String(64))
    case_count: Mapped[int] = mapped_column(Integer)
    event_count: Mapped[int] = mapped_column(Integer)
    changed_count: Mapped[int] = mapped_column(Integer)
    entry_seq: Mapped[int] = mapped_column(Integer)
    entry_head: Mapped[str] = mapped_column(String(64))


class CheckpointLeaf(Base):
    """A case's chain head as sealed by a checkpoint; stored only when it changed since the previous one."""

    __tablename__ = "audit_checkpoint_leaves"

    checkpoint_id: Mapped[int] = mapped_column(Integer, primary_key=True)  # written before its checkpoint row
    case_id: Mapped[int] = mapped_column(Integer, primary_key=True, index=True)
    event_count: Mapped[int] = mapped_column(Integer)
    head: Mapped[str] = mapped_column(String(64))


APPEND_ONLY = ("audit_entries", "audit_checkpoints", "audit_checkpoint_leaves")


def append_only_ddl(table: str, dialect: str) -> list[str]:
    """Statements that make `table` refuse UPDATE and DELETE (TRUNCATE, an owner's act, is not a row change)."""
    if dialect == "postgresql":
        return [
            "CREATE OR REPLACE FUNCTION minyi_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "RAISE EXCEPTION 'minyi: % is append-only (% refused)', TG_TABLE_NAME, TG_OP; END $$",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION minyi_append_only()",
        ]
    return [
        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, 'minyi: {table} is append-only ({op} refused)'); END"
        for op in ("UPDATE", "DELETE")
    ]
