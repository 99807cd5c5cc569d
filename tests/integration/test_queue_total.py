"""The work queue's capped total is counted from the (department, status, due date) index: the rows of the
department in the queue's states alone, not every department's rows in those states (issue 15, 1M cases)."""

from __future__ import annotations

from sqlalchemy import func, select, text, update
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
        assert "Index Only Scan using ix_cases_department_status" in plan, plan
    else:
        plan = "\n".join(str(r[-1]) for r in session.execute(text("EXPLAIN QUERY PLAN " + sql)))
        assert "ix_cases_department_status (department_id=? AND status=?" in plan, plan
