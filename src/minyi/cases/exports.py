"""Cases as the insight slice reads them (messages and outcomes), streamed from the database.

Messages carry text, so they respect visibility: a viewer sees what `visible_filter` lets them see, and output
made for no one in particular (the CLI's hot issues and brief, the alerts everyone on the board reads) leaves
confidential cases out. Outcomes carry no text and count every case.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.cases.models import Case
from minyi.cases.queries import visible_filter
from minyi.db import session_factory
from minyi.deadlines.clock import calendar
from minyi.deadlines.rules import workdays_to_reply
from minyi.departments.models import Department
from minyi.insight.model import CaseOutcome, Message
from minyi.taxonomy import load_taxonomy

BATCH = 5000


def _rows(session: Session, since: datetime | None, columns: list, where: list | None = None) -> Iterator:  # type: ignore[type-arg]
    last = 0
    while True:
        stmt = select(*columns).where(Case.id > last, *(where or [])).order_by(Case.id).limit(BATCH)
        if since is not None:
            stmt = stmt.where(Case.registered_at >= since)
        rows = session.execute(stmt).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].id


def message_filter(viewer: Actor | None) -> list:  # type: ignore[type-arg]
    """The cases whose text a viewer may read; with no viewer, every case but the confidential ones."""
    return visible_filter(viewer) if viewer is not None else [Case.visibility != "confidential"]


def iter_messages(
    session: Session, since: datetime | None = None, *, viewer: Actor | None = None
) -> Iterator[Message]:
    """Every case the viewer may read as a Message (public and private alike: insight is for staff), oldest first."""
    taxonomy = load_taxonomy()
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    cols = [Case.id, Case.tracking_code, Case.submitter_id, Case.title, Case.body, Case.registered_at,
            Case.topic_code, Case.topic_suggested, Case.region_code, Case.department_id, Case.reply_text,
            Case.replied_at, Case.emotion_intensity, Case.households]  # fmt: skip
    for r in _rows(session, since, cols, message_filter(viewer)):
        yield Message(
            id=r.tracking_code, user=f"S{r.submitter_id}" if r.submitter_id else f"anon-{r.id}", title=r.title,
            text=r.body, time=r.registered_at, topic=taxonomy.level1_of(r.topic_code or r.topic_suggested),
            region=r.region_code, department=depts.get(r.department_id), reply=r.reply_text,
            reply_time=r.replied_at, intensity=r.emotion_intensity, households=r.households or 0,
        )  # fmt: skip


def iter_outcomes(session: Session, since: datetime | None = None) -> Iterator[CaseOutcome]:
    """Every assigned case with how it ended, for satisfaction, reopen, repeat and fairness figures."""
    taxonomy = load_taxonomy()
    cal = calendar(session)
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    cols = [Case.id, Case.department_id, Case.region_code, Case.topic_code, Case.topic_suggested,
            Case.registered_at, Case.accepted_at, Case.replied_at, Case.evaluation, Case.round,
            Case.repeat_of_case_id]  # fmt: skip
    for r in _rows(session, since, cols):
        if r.department_id is None:
            continue
        yield CaseOutcome(
            department=depts.get(r.department_id, str(r.department_id)), region=r.region_code,
            topic=taxonomy.level1_of(r.topic_code or r.topic_suggested), submitted_at=r.registered_at,
            replied_at=r.replied_at,
            workdays_to_reply=workdays_to_reply(cal, r.registered_at, r.replied_at, r.accepted_at),
            evaluation=r.evaluation, reopened=r.round > 1, repeat=r.repeat_of_case_id is not None,
        )  # fmt: skip


def register_database_source(engine: Engine | None = None) -> None:
    """Let `minyi hot`, `alerts` and `brief` read the configured database when given no --input."""
    from minyi.insight.sources import set_source

    def messages() -> Iterator[Message]:
        with session_factory(engine)() as session:
            yield from iter_messages(session)

    def outcomes() -> Iterator[CaseOutcome]:
        with session_factory(engine)() as session:
            yield from iter_outcomes(session)

    set_source(messages, outcomes)
