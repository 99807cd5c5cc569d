"""Writing prepared import batches near the hardware: `COPY` on PostgreSQL, lean `executemany` on SQLite.

The rows are the ones `cases.store.prepare_cases` builds for every intake path (same ids, chain hashes, clock),
so only the transport differs from `insert_cases`: rows become tuples in one column order, each column's bind
conversion is looked up once per batch and applied only to values that need it (not to None), missing
columns take their scalar default once, and the driver gets the tuples directly. On PostgreSQL each table is
written with psycopg's `cursor.copy`; the word index goes through a temporary staging table and one set-based
`INSERT ... SELECT to_tsvector(...)`, since only the server computes the `tsvector` positions the phrase search
needs.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Json, Jsonb
from sqlalchemy import Boolean, Connection, Float, Table
from sqlalchemy.orm import Session

from minyi.cases.events import events_written
from minyi.cases.models import Case, CaseBand, CaseEvent, CaseLink, Submitter
from minyi.cases.search import TABLE as SEARCH_TABLE
from minyi.cases.search import document
from minyi.cases.store import Prepared
from minyi.db import UTCDateTime, table_of


def write_prepared(session: Session, out: Prepared) -> None:
    """Write one prepared batch of new cases inside the caller's unit of work."""
    conn = session.connection()
    for model, rows in ((Submitter, out.submitters), (Case, out.cases), (CaseEvent, out.events),
                        (CaseBand, out.bands), (CaseLink, out.links)):  # fmt: skip
        if rows:
            write_rows(conn, table_of(model), rows)
    events_written(session, out.events, imported=True)
    docs = [(cid, document(title, body)) for cid, title, body in out.index_rows()]
    if docs:
        _write_index(conn, docs)


def write_rows(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows (dicts with the same keys) into a table with as little per-value work as the data allows."""
    names, tuples = _tuples(conn, table, rows)
    write_tuples(conn, table, names, tuples)


def write_tuples(
    conn: Connection, table: Table, names: Sequence[str], tuples: Sequence[tuple[Any, ...]]
) -> None:
    """Insert tuples already in the database's form (bind conversions applied): COPY, or one executemany."""
    columns = ", ".join(conn.dialect.identifier_preparer.quote(n) for n in names)
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        if conn.dialect.name == "postgresql":
            with cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
                for t in tuples:
                    copy.write_row(t)
        else:
            marks = ", ".join("?" * len(names))
            cursor.executemany(f"INSERT INTO {table.name} ({columns}) VALUES ({marks})", tuples)
    finally:
        cursor.close()


def fixed_tail(
    conn: Connection, table: Table, given: Sequence[str], fixed: dict[str, Any]
) -> tuple[list[str], tuple[Any, ...]]:
    """The column names and converted values that follow a row's `given` columns when every row of a batch has
    the `fixed` values and the table's Python defaults (scalar, or called once per batch) for the rest."""
    values = {k: v for k, v in fixed.items() if k not in given}
    for col in table.columns:
        if col.name in given or col.name in values:
            continue
        default = col.default
        if getattr(default, "is_scalar", False):
            values[col.name] = default.arg  # type: ignore[union-attr]
        elif getattr(default, "is_callable", False):  # list, utcnow: once per batch, not once per row
            values[col.name] = default.arg(None)  # type: ignore[union-attr]
    names, tail = [*given], []
    for name, value in values.items():
        col = table.c[name]
        proc = processor(col.type, conn.dialect)
        evaluate = value is not None or (getattr(col.type, "should_evaluate_none", False) and name in fixed)
        value = json_text(proc(value)) if proc is not None and evaluate else value
        if value is None and col.server_default is None and name in fixed:
            continue  # NULL either way: one value fewer in every row
        names.append(name)
        tail.append(value)
    return names, tuple(tail)


def json_text(value: Any) -> Any:
    """psycopg's JSON wrapper (what the JSON column's conversion gives on PostgreSQL) as the text it sends, so
    that a value repeated in every row of a COPY is serialised once, not once per row."""
    if isinstance(value, Json | Jsonb):
        return (value.dumps or json.dumps)(value.obj)
    return value


def _tuples(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]]
) -> tuple[list[str], list[tuple[Any, ...]]]:
    given = list(rows[0])
    names, tail = fixed_tail(conn, table, given, {})
    procs: list[tuple[int, Callable[[Any], Any], bool]] = []  # JSON turns None into 'null', as Core does
    for i, name in enumerate(given):
        proc = processor(table.c[name].type, conn.dialect)
        if proc is not None:
            procs.append((i, proc, bool(getattr(table.c[name].type, "should_evaluate_none", False))))
    out: list[tuple[Any, ...]] = []
    for row in rows:
        values = [row[k] for k in given]
        for i, proc, with_none in procs:
            if with_none or values[i] is not None:
                values[i] = proc(values[i])
        out.append((*values, *tail))
    return names, out


def processor(type_: Any, dialect: Any) -> Callable[[Any], Any] | None:
    """The column's bind conversion, with the same result in fewer steps where SQLite's is a chain of calls."""
    if dialect.name == "sqlite":
        if isinstance(type_, UTCDateTime):  # a batch repeats its instants (now, the event's time): once each
            cache: dict[datetime, str] = {}
            return lambda v: cache.get(v) or cache.setdefault(v, _sqlite_time(v))
        if isinstance(type_, Boolean | Float):  # sqlite3 binds bool and float as they are (1/0, REAL)
            return None
    return type_._cached_bind_processor(dialect)  # type: ignore[no-any-return]


def _sqlite_time(value: datetime) -> str:
    """UTCDateTime as SQLAlchemy writes it to SQLite ('YYYY-MM-DD HH:MM:SS.ffffff', naive UTC), in one C call."""
    if value.tzinfo is None:
        raise ValueError("naive datetime refused: minyi stores timezone-aware UTC only")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _write_index(conn: Connection, docs: list[tuple[int, str]]) -> None:
    driver = conn.connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute("CREATE TEMP TABLE import_search (case_id bigint, doc text) ON COMMIT DROP")
            with cursor.copy("COPY import_search (case_id, doc) FROM STDIN") as copy:
                for row in docs:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {SEARCH_TABLE} (case_id, doc) SELECT case_id, to_tsvector('simple', doc) "
                f"FROM import_search ON CONFLICT (case_id) DO UPDATE SET doc = excluded.doc"
            )
            cursor.execute("DROP TABLE import_search")
        else:
            cursor.executemany(f"INSERT INTO {SEARCH_TABLE} (rowid, doc) VALUES (?, ?)", docs)
    finally:
        cursor.close()
