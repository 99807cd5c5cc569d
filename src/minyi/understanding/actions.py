"""Administrators' writes on the understanding job queue: clearing the dead-letter list."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from minyi.accounts.actor import Actor
from minyi.accounts.roles import Role
from minyi.errors import NotPermitted
from minyi.understanding.jobs import TASK, dead_jobs
from minyi.uow import write


def do_clear_dead_jobs(session: Session, actor: Actor) -> int:
    """Delete the failed understanding jobs (after their cause is fixed, or judged hopeless), on the record;
    returns how many. Their cases stay not understood: `minyi enrich` takes them up."""
    if actor.role != Role.admin:
        raise NotPermitted("仅管理员可操作", "administrators only")
    dead = dead_jobs(session, limit=100_000)
    if not dead:
        return 0
    ids = [job.id for job in dead]
    with write(session, actor) as tx:
        session.execute(
            text(
                "DELETE FROM procrastinate_jobs WHERE status = 'failed' AND task_name = :task AND id = ANY(:ids)"
            ),
            {"task": TASK, "ids": ids},
        )
        tx.record(
            "jobs.clear_dead",
            "job_queue",
            TASK,
            {"job_ids": ids, "case_ids": [c for j in dead for c in j.case_ids]},
        )
    return len(ids)
