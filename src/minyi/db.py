"""The database engine, sessions and the declarative base; SQLite (WAL) by default, PostgreSQL in production."""

from __future__ import annotations

import fcntl
import os
import threading
import time
import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache, wraps
from typing import Any, TypeVar, cast

from sqlalchemy import DateTime, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from minyi.errors import Busy
from minyi.settings import get_settings

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """All tables of minyi."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python; naive UTC in SQLite, timestamptz in PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime refused: minyi stores timezone-aware UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


WRITE = "minyi_write"


F = TypeVar("F", bound=Callable[..., Any])


_PER_DATABASE: list[dict[Any, Any]] = []  # every per-database cache (reset_caches drops them)


def register_cache(cache: dict[Any, Any]) -> dict[Any, Any]:
    """Have `reset_caches` empty a cache of one's own (one keyed by database and more, such as a report's scope)."""
    _PER_DATABASE.append(cache)
    return cache


def per_database(ttl: float) -> Callable[[F], F]:
    """Cache a reader's result per database for `ttl` seconds (tables that change rarely: routing, policies…).

    The key is the database alone: extra arguments are used only when the value is recomputed. The decorated
    function's `forget()` drops every cached value (call it after the commit that changed the table).
    """

    def decorate(fn: F) -> F:
        cache: dict[str, tuple[float, Any]] = {}
        _PER_DATABASE.append(cache)

        @wraps(fn)
        def wrapper(session: Session, *args: Any, **kwargs: Any) -> Any:
            key = bind_key(session)
            hit = cache.get(key)
            if hit is not None and time.monotonic() - hit[0] < ttl:
                return hit[1]
            value = fn(session, *args, **kwargs)
            cache[key] = (time.monotonic(), value)
            return value

        wrapper.forget = cache.clear  # type: ignore[attr-defined]
        return cast(F, wrapper)

    return decorate


def new_cache() -> dict[str, tuple[float, Any]]:
    """An empty cache that `reset_caches` clears too (for caches keyed by more than the database)."""
    cache: dict[str, tuple[float, Any]] = {}
    _PER_DATABASE.append(cache)
    return cache


def table_of(model: Any) -> Table:
    """The Core table of a mapped class, typed for bulk inserts."""
    return cast(Table, model.__table__)


def bind_key(session: Session) -> str:
    """A string naming the database a session talks to (for per-database caches)."""
    bind = session.get_bind()
    return str(bind.engine.url)


def reserve_ids(session: Session, table: Any, n: int) -> list[int]:
    """n fresh primary keys for a bulk insert without RETURNING (call inside a write transaction)."""
    return reserve_ids_of(session, [(table, n)])[0]


_RESERVE: dict[tuple[str, tuple[str, ...]], Any] = {}


def reserve_ids_of(session: Session, wanted: Sequence[tuple[Any, int]]) -> list[list[int]]:
    """Fresh primary keys for several tables in one statement, [(table, n), ...] -> the ids of each, ascending
    (call inside a write transaction: on SQLite its writer lock keeps max(id) + 1 free until the commit)."""
    asked = [(t, n) for t, n in wanted if n > 0]
    if not asked:
        return [[] for _ in wanted]
    dialect = session.get_bind().dialect.name
    names = tuple(t.name for t, _ in asked)
    stmt = _RESERVE.get((dialect, names))
    if stmt is None:
        if dialect == "postgresql":
            cols = [f"ARRAY(SELECT nextval('{name}_id_seq') FROM generate_series(1, :n{i}))"
                    for i, name in enumerate(names)]  # fmt: skip
        else:
            cols = [f"(SELECT max(id) FROM {name})" for name in names]
        stmt = _RESERVE[(dialect, names)] = text("SELECT " + ", ".join(cols))
    if dialect == "postgresql":
        row = session.execute(stmt, {f"n{i}": n for i, (_, n) in enumerate(asked)}).one()
        got = iter([sorted(ids) for ids in row])
    else:
        row = session.execute(stmt).one()
        got = iter(
            [list(range((top or 0) + 1, (top or 0) + 1 + n)) for top, (_, n) in zip(row, asked, strict=True)]
        )
    return [next(got) if n > 0 else [] for _, n in wanted]


def utcnow() -> datetime:
    """The current instant, timezone-aware."""
    return datetime.now(UTC)


class WriterLock:
    """One writer at a time on a SQLite file, across threads and processes, woken at once when free.

    SQLite's own busy handler sleeps and polls (up to 100 ms a turn), which gives waiting writers a long tail;
    a thread lock plus an advisory lock on a file beside the database hands the turn over immediately. The unit
    of work (minyi.uow.write) takes and releases it around its transaction, on every path. The thread lock is a
    plain Lock (not an RLock): it belongs to the transaction, not to the thread that happened to take it.
    """

    def __init__(self, database: str | None, timeout: float = 30.0) -> None:
        self._thread = threading.Lock()
        self._timeout = timeout
        self._fd: int | None = None
        if database and database != ":memory:":
            self._fd = os.open(f"{database}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self) -> None:
        if not self._thread.acquire(timeout=self._timeout):
            raise Busy()
        if self._fd is not None:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX)
            except BaseException:
                self._thread.release()
                raise

    def release(self) -> None:
        try:
            if self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()


_WRITERS: weakref.WeakKeyDictionary[Engine, WriterLock] = weakref.WeakKeyDictionary()


def writer_lock_for(session: Session) -> WriterLock | None:
    """The writer lock of the SQLite database a session talks to (None on PostgreSQL)."""
    return _WRITERS.get(session.get_bind().engine)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine with the pragmas minyi needs on SQLite (WAL, foreign keys, a busy timeout). Bound parameters
    are personal data (names, phones, addresses): `hide_parameters` keeps them out of errors and logs."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, echo=echo, hide_parameters=True, connect_args={"check_same_thread": False, "timeout": 30}
        )

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # let SQLAlchemy's BEGIN below take over
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # Readers never block; a write transaction (minyi.uow.write, holding the writer lock) starts at once.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE) else "BEGIN")

        _WRITERS[engine] = WriterLock(engine.url.database)  # writers queue here, not in the busy handler
        return engine
    return create_engine(
        url, echo=echo, hide_parameters=True, pool_pre_ping=True, pool_size=10, max_overflow=20
    )


@lru_cache
def get_engine() -> Engine:
    """The process-wide engine for the configured database."""
    settings = get_settings()
    if settings.database_url is None:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
    return make_engine(settings.sqlalchemy_url, echo=settings.sql_echo)


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    """Sessions that keep loaded objects usable after commit; writes commit only through minyi.uow.write."""
    from minyi.uow import install_guards

    install_guards()
    return sessionmaker(bind=engine or get_engine(), expire_on_commit=False)


@contextmanager
def session_scope(engine: Engine | None = None) -> Iterator[Session]:
    """A session for a command line run or a job; closed at the end."""
    with session_factory(engine)() as session:
        yield session


def reset_caches() -> None:
    """Forget the engine, settings and per-database caches (tests switch databases, or empty one, with this)."""
    get_engine.cache_clear()
    get_settings.cache_clear()
    for cache in _PER_DATABASE:
        cache.clear()
