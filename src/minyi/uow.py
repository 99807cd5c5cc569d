"""The unit of work: the one way a write reaches the database.

`with write(session, actor) as tx:` opens one write transaction (on SQLite it takes the writer lock first, so
writers queue instead of failing), requires the write to leave an audit entry (a case event or `tx.record(...)`),
commits, and then runs the after-commit hooks (cache drops, deferred understanding). Any error rolls everything
back. The lock is owned by the `with` block: it is taken and released on the same path, whatever happens inside.
Nested use joins the outer unit of work, so a `do_*` action is one transaction whether called alone or by another.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import event
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.db import WRITE, writer_lock_for

IN_UOW = "minyi_unit_of_work"
WROTE = "minyi_wrote"
AUDITED = "minyi_audited"


class AuditMissing(RuntimeError):
    """A write tried to commit without an audit entry: a programming error, rolled back."""


class WriteOutsideUnitOfWork(RuntimeError):
    """Changes were made, or a commit was asked for, outside `write()`: a programming error."""


@dataclass
class Tx:
    """The running unit of work: who acts, what runs after the commit, whether the write is on the record."""

    session: Session
    actor: Actor
    bookkeeping: str | None = None
    hooks: list[Callable[[], None]] = field(default_factory=list)
    undo: list[Callable[[], None]] = field(default_factory=list)

    def record(
        self,
        action: str,
        object_type: str,
        object_id: str | int | None,
        data: dict[str, Any] | None = None,
        *,
        actor: Actor | None = None,
    ) -> None:
        """Put a write that is not about one case (an administrator's change, a sign-in) on the audit chain;
        `actor` when the system writes inside someone else's unit of work (a record a citizen's rating opens)."""
        from minyi.audit.log import append_entry

        append_entry(self.session, actor or self.actor, action, object_type, object_id, data or {})
        mark_audited(self.session)
        for hook in _RECORD_HOOKS:
            hook(self.session, action, object_id, data or {})

    def after_commit(self, hook: Callable[[], None]) -> None:
        """Run `hook` once the transaction has committed (never after a rollback)."""
        self.hooks.append(hook)

    def on_rollback(self, hook: Callable[[], None]) -> None:
        """Run `hook` if the transaction rolls back (undo what was done outside the database, such as a file
        written before its row); it runs after the rollback, still inside the writer lock, and its own failure
        is logged, never raised over the error that rolled back."""
        self.undo.append(hook)


RecordHook = Callable[[Session, str, "str | int | None", dict[str, Any]], object]
_RECORD_HOOKS: list[RecordHook] = []


def on_record(hook: RecordHook) -> RecordHook:
    """Register what must be written in the same unit of work as an entry on the audit record (the notifications'
    outbox hears of a consultation opened or an alert raised), so the slice that records need not import it."""
    if hook not in _RECORD_HOOKS:
        _RECORD_HOOKS.append(hook)
    return hook


_BEFORE_COMMIT: list[Callable[[Session], object]] = []


def before_commit(hook: Callable[[Session], object]) -> Callable[[Session], object]:
    """Register what must be written last in every unit of work, after its changes (the scoreboard's rollup
    adds what the cases touched now count), so that the slice that writes need not import it."""
    if hook not in _BEFORE_COMMIT:
        _BEFORE_COMMIT.append(hook)
    return hook


def end_read(session: Session) -> None:
    """End a read-only transaction, keeping what was read (rows locked for a write are re-read under it)."""
    if session.new or session.dirty or session.deleted or session.info.get(WROTE):
        raise WriteOutsideUnitOfWork("changes were made outside a unit of work")
    if session.in_transaction():
        session.commit()


def mark_audited(session: Session) -> None:
    """Called by whatever appends to an audit chain (case events, the global log)."""
    session.info[AUDITED] = True


def current_tx(session: Session) -> Tx | None:
    """The unit of work this session is in, if any."""
    tx = session.info.get(IN_UOW)
    return tx if isinstance(tx, Tx) else None


@contextmanager
def write(session: Session, actor: Actor, *, bookkeeping: str | None = None) -> Iterator[Tx]:
    """One write transaction with an audit entry; `bookkeeping` names the rare write that needs none (why)."""
    outer = current_tx(session)
    if outer is not None:  # joined: the outermost unit of work commits
        yield outer
        return
    end_read(session)
    lock = writer_lock_for(session)
    if lock is not None:
        lock.acquire()
    tx = Tx(session, actor, bookkeeping)
    session.info.update({IN_UOW: tx, WROTE: False, AUDITED: False})
    try:
        session.connection(execution_options={WRITE: True})  # SQLite: BEGIN IMMEDIATE
        yield tx
        session.flush()
        for finish in _BEFORE_COMMIT:
            finish(session)
        if session.info.get(WROTE) and not session.info.get(AUDITED) and bookkeeping is None:
            raise AuditMissing("a write must leave an audit entry (a case event or tx.record)")
        session.commit()
    except BaseException:
        session.rollback()
        _undo(session, tx)
        raise
    finally:
        for key in (IN_UOW, WROTE, AUDITED):
            session.info.pop(key, None)
        if lock is not None:
            lock.release()
    for hook in tx.hooks:
        hook()


def _undo(session: Session, tx: Tx) -> None:
    session.info[WROTE] = False
    for hook in reversed(tx.undo):
        try:
            hook()
        except Exception:  # the error that rolled back is the one to raise
            logging.getLogger(__name__).exception("a rollback hook failed")
        finally:
            session.rollback()  # whatever the hook read ends here


P = ParamSpec("P")
R = TypeVar("R")


def unit_of_work(
    fn: Callable[Concatenate[Session, Actor, P], R],
) -> Callable[Concatenate[Session, Actor, P], R]:
    """Run an action `fn(session, actor, …)` as one unit of work (or inside the caller's)."""

    @wraps(fn)
    def wrapper(session: Session, actor: Actor, *args: P.args, **kwargs: P.kwargs) -> R:
        with write(session, actor):
            return fn(session, actor, *args, **kwargs)

    return wrapper


def case_action(
    fn: Callable[Concatenate[Session, Any, Actor, P], R],
) -> Callable[Concatenate[Session, Any, Actor, P], R]:
    """Run a case action `fn(session, case, actor, …)` as one unit of work (or inside the caller's)."""

    @wraps(fn)
    def wrapper(session: Session, case: Any, actor: Actor, *args: P.args, **kwargs: P.kwargs) -> R:
        with write(session, actor):
            return fn(session, case, actor, *args, **kwargs)

    return wrapper


def _mark_flush(session: Session, _ctx: Any) -> None:
    session.info[WROTE] = True


def _mark_dml(state: Any) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info[WROTE] = True


def _clear_after_rollback(session: Session) -> None:
    if session.info.get(IN_UOW) is None:
        session.info.pop(WROTE, None)


def _guard_commit(session: Session) -> None:
    if session.info.get(IN_UOW) is None and (session.info.get(WROTE) or session.new or session.dirty):
        session.info.pop(WROTE, None)
        raise WriteOutsideUnitOfWork("commit outside the unit of work: use minyi.uow.write")


def install_guards() -> None:
    """Make the unit of work the only way to commit a write (idempotent)."""
    if not event.contains(Session, "after_flush", _mark_flush):
        event.listen(Session, "after_flush", _mark_flush)
        event.listen(Session, "do_orm_execute", _mark_dml)
        event.listen(Session, "before_commit", _guard_commit)
        event.listen(Session, "after_rollback", _clear_after_rollback)
