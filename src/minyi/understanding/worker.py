"""Deferred understanding: cases are understood right after their intake commits, off the request path."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.cases.events import append_event
from minyi.cases.masking import pending_masks, store_masks
from minyi.cases.models import Case
from minyi.db import session_factory
from minyi.deadlines.clock import retime_open_stage
from minyi.understanding.apply import enrich_batch, understand
from minyi.uow import end_read, write

log = logging.getLogger(__name__)
BATCH = 50
_queue: queue.Queue[tuple[Engine, int]] = queue.Queue()
_started = threading.Lock()
_thread: threading.Thread | None = None


def do_understand(session: Session, case_ids: list[int]) -> int:
    """Understand the given cases that are not understood yet; returns how many.

    The text understanding (the CPU-heavy part) runs before the write transaction, so intake is never kept
    waiting behind it; the write then stores the results in one short transaction.
    """
    texts = dict(
        (r.id, (r.title, r.body))
        for r in session.execute(
            select(Case.id, Case.title, Case.body).where(Case.id.in_(case_ids), Case.understood_at.is_(None))
        )
    )
    masked = pending_masks(session, list(texts))  # imported without masking: masked here, off the import
    end_read(session)
    enrichments = dict(zip(texts, enrich_batch(list(texts.values())), strict=True))
    with write(session, SYSTEM):
        cases = session.scalars(
            select(Case).where(Case.id.in_(list(texts)), Case.understood_at.is_(None)).with_for_update()
        ).all()
        locked = {c.id for c in cases}
        store_masks(session, [m for m in masked if m[0] in locked])
        for case in cases:
            was_urgent = case.urgent
            summary = understand(session, case, enrichments.get(case.id))
            append_event(
                session, case, SYSTEM, "understand", case.status, case.status, data=summary, public=False
            )
            if case.urgent != was_urgent:  # urgent cases run on the urgent clock
                retime_open_stage(session, case)
    return len(cases)


def catch_up(engine: Engine | None = None, batch: int = BATCH) -> int:
    """Understand every case still waiting (after a restart, or for cases stored with deferred understanding)."""
    done = 0
    with session_factory(engine)() as session:
        while True:
            ids = list(
                session.scalars(
                    select(Case.id).where(Case.understood_at.is_(None)).order_by(Case.id).limit(batch)
                )
            )
            end_read(session)
            if not ids:
                return done
            done += do_understand(session, ids)


def follow_forever(engine: Engine, say: Callable[[str], object]) -> None:
    """Keep understanding new cases: PostgreSQL's job queue (minyi.understanding.jobs), else poll every second."""
    if engine.dialect.name == "postgresql":
        from minyi.understanding.jobs import run_worker

        run_worker(engine)
        return
    while True:
        done = catch_up(engine)
        if done:
            say(f"understood {done} case(s)")
        else:
            time.sleep(1.0)


def _drain() -> None:
    while True:
        engine, first = _queue.get()
        ids = [first]
        while len(ids) < BATCH:
            try:
                eng, case_id = _queue.get_nowait()
            except queue.Empty:
                break
            if eng is not engine:
                _queue.put((eng, case_id))
                break
            ids.append(case_id)
        try:
            with session_factory(engine)() as session:
                do_understand(session, ids)
        except Exception:  # pragma: no cover - logged; `minyi enrich` picks the cases up later
            log.exception("deferred understanding failed for %d case(s)", len(ids))


def defer(bind: Any, case_id: int) -> None:
    """Queue a committed case for understanding by this process's background thread."""
    global _thread
    engine = bind if isinstance(bind, Engine) else bind.engine
    with _started:
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_drain, name="minyi-understanding", daemon=True)
            _thread.start()
    _queue.put((engine, case_id))


def pending() -> int:
    """Cases queued in this process and not yet taken by the thread."""
    return _queue.qsize()
