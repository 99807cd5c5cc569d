"""Bulk inserts near the hardware: COPY on PostgreSQL, one driver-level executemany on SQLite.

SQLAlchemy's executemany builds a parameter dictionary per row and runs every column's bind processor on every
value; for tens of thousands of wide rows that is most of an import's time. Here each table's statement and the
list of columns that need processing (timestamps, JSON) are worked out once, and a row is a plain tuple. The rows
go in the caller's transaction (the unit of work's), so a batch is still all or nothing.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from minyi.db import UTCDateTime

Processor = Callable[[Any], Any]


def _plan(table: Table, keys: Sequence[str], dialect: Any) -> list[tuple[int, Processor]]:
    """(position, processor) for the columns whose values need converting for this driver."""
    plan = []
    for i, key in enumerate(keys):
        column_type = table.c[key].type
        proc = column_type._cached_bind_processor(dialect)  # noqa: SLF001 - SQLAlchemy's own converters
        if proc is not None:
            plan.append((i, _memo(proc) if isinstance(column_type, UTCDateTime) else proc))
    return plan


def _memo(proc: Processor) -> Processor:
    """A batch repeats its instants (now, created_at, shared clocks): convert each one once."""
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        out = seen.get(value)
        if out is None:
            out = seen[value] = proc(value)
        return out

    return convert


def _constant(value: Any) -> Any:
    return value


def _filled(table: Table, keys: list[str]) -> list[tuple[str, Callable[[], Any]]] | None:
    """The Python-side defaults of the columns the rows leave out, as (key, make value); None when one of them
    needs an INSERT's context (then the ordinary path runs)."""
    if not all(k in table.c for k in keys):
        return None
    fills: list[tuple[str, Callable[[], Any]]] = []
    for col in table.columns:
        default = col.default
        if col.key in keys or default is None:
            continue
        if getattr(default, "is_scalar", False):
            fills.append((col.key, functools.partial(_constant, default.arg)))  # type: ignore[attr-defined]
        elif getattr(default, "is_callable", False):
            # SQLAlchemy wraps a zero-argument default as fn(context)
            fills.append((col.key, functools.partial(default.arg, None)))  # type: ignore[attr-defined]
        else:
            return None
    return fills


def bulk_insert(session: Session, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows that all carry the same keys (the first row's), in the session's transaction."""
    if not rows:
        return
    keys = list(rows[0])
    fills = _filled(table, keys)
    if fills is None:
        session.execute(insert(table), rows)
        return
    keys += [k for k, _ in fills]
    conn = session.connection()
    dialect = conn.dialect
    plan = _plan(table, keys, dialect)
    tuples: list[list[Any]] = []
    for row in rows:
        values = [row[k] for k in keys[: len(keys) - len(fills)]] + [make() for _, make in fills]
        for i, proc in plan:
            v = values[i]
            if v is not None:
                values[i] = proc(v)
        tuples.append(values)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    columns = ", ".join(dialect.identifier_preparer.quote(k) for k in keys)
    name = dialect.identifier_preparer.format_table(table)
    try:
        if dialect.name == "postgresql":
            with cursor.copy(f"COPY {name} ({columns}) FROM STDIN") as copy:
                for values in tuples:
                    copy.write_row(values)
        else:
            marks = ", ".join("?" * len(keys))
            cursor.executemany(f"INSERT INTO {name} ({columns}) VALUES ({marks})", tuples)
    finally:
        cursor.close()
