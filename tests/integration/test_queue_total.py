"""The work queue's capped total is counted from its (department, due date, status) index alone: the
department's rows, not every department's rows in those states through the table (issue 15, 1M cases)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, select, text, update
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.queries import COUNT_CAP, QueueFilter, list_queue, queue_statement
from minyi.db import utcnow
from tests.support.factories import make_org, submit


def test_the_queue_total_counts_the_departments_cases_from_its_index(session: Session) -> None:
    org = make_org(session)
    handler = org.actor("housing-handler")
    ids = [submit(session, title=f"第{i}件", body="路灯不亮").id for i in range(12)]
    other = org.transport.id
    session.execute(update(Case), [
        {"id": cid, "status": ("in_progress", "assigned", "closed")[i % 3], "visibility": "public",
         "department_id": handler.department_id if i < 9 else other, "due_at": utcnow()}
        for i, cid in enumerate(ids)])  # fmt: skip
    session.flush()
    items, total = list_queue(session, handler, QueueFilter(queue="mine", per_page=2))
    assert total == 6 and len(items) == 2  # 9 of its department, 6 of them being handled; none of the other's
    stmt = queue_statement(handler, QueueFilter(queue="mine")).order_by(None).with_only_columns(Case.id)
    sql = str(select(func.count()).select_from(stmt.limit(COUNT_CAP).subquery()).compile(
        session.get_bind(), compile_kwargs={"literal_binds": True}))  # fmt: skip
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SET LOCAL enable_seqscan = off")
        )  # a dozen rows: the planner would read the table
        plan = "\n".join(session.scalars(text("EXPLAIN " + sql)))
        assert "Index Only Scan using ix_cases_queue" in plan, plan
    else:
        plan = "\n".join(str(r[-1]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "ix_cases_queue (department_id=?" in plan, plan


def test_the_queue_page_walks_the_deadline_index_and_stops_at_the_page(session: Session) -> None:
    org = make_org(session)
    handler = org.actor("housing-handler")
    ids = [submit(session, title=f"第{i}件", body="路灯不亮").id for i in range(8)]
    session.execute(update(Case), [
        {"id": cid, "status": "in_progress", "department_id": handler.department_id,
         "due_at": utcnow() + timedelta(days=i % 4)} for i, cid in enumerate(ids)])  # fmt: skip
    session.flush()
    items, _ = list_queue(session, handler, QueueFilter(queue="mine", per_page=3), count=False)
    want = sorted(session.scalars(select(Case).where(Case.id.in_(ids))), key=lambda c: (c.due_at, c.id))
    assert [c.id for c in items] == [c.id for c in want[:3]]  # soonest first, ties by id
    if session.get_bind().dialect.name == "postgresql":  # the planner is steered to the walk, not a full sort
        seen: list[str] = []

        def note(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            seen.append(statement)

        event.listen(session.get_bind(), "before_cursor_execute", note)
        try:
            list_queue(session, handler, QueueFilter(queue="mine", per_page=3), count=False)
        finally:
            event.remove(session.get_bind(), "before_cursor_execute", note)
        assert [s.split()[-1] for s in seen if s.startswith("SET LOCAL")] == ["off", "DEFAULT"], seen
        stmt = queue_statement(handler, QueueFilter(queue="mine")).limit(3)
        sql = str(stmt.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        session.execute(text("SET LOCAL enable_sort = off"))
        plan = "\n".join(session.scalars(text("EXPLAIN " + sql)))
        assert "Index Scan using ix_cases_queue" in plan and "\n  ->  Sort" not in plan, plan
