"""Public text masked after intake, by the understanding job (bulk imports), off the writer's path.

Until a case's text is masked (`public_title` is NULL) nothing unmasked leaks: the public pages mask it as they
show it (`cases/present.py`), the open-data export masks it again, and word search does not find the case (only
masked text is indexed). The job masks and indexes it in the same transaction as the understanding.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from minyi.cases.models import Case
from minyi.cases.redaction import text_revision
from minyi.cases.search import index_cases, masked_texts

# never masked (an import left it to the job); text masked by an older redaction is `minyi db reindex`'s, since
# it is already in the word index
PENDING = "c.public_title IS NULL"
_PENDING_IN = f"{PENDING} AND c.id IN :ids"


def pending_masks(session: Session, case_ids: list[int]) -> list[tuple[int, str, str]]:
    """(id, public title, public body) of those cases whose text waits to be masked, masked now (a read: the
    CPU-heavy part runs before the write transaction)."""
    if not case_ids:
        return []
    # the ids are bound, not written into the SQL: one statement for every job (with the ids in its text, each
    # job compiled a statement of its own into the engine's cache, up to its bound, evicting the useful ones)
    return masked_texts(session, _PENDING_IN, {"ids": [int(i) for i in case_ids]}, lists=("ids",))


def store_masks(session: Session, masked: list[tuple[int, str, str]]) -> int:
    """Store and index the masked text of the cases still waiting for it (inside the caller's unit of work)."""
    waiting = set(
        session.scalars(
            select(Case.id).where(Case.id.in_([m[0] for m in masked]), Case.public_title.is_(None))
        )
    )
    rows = [m for m in masked if m[0] in waiting]
    if rows:
        rev = text_revision()
        session.execute(
            update(Case).execution_options(synchronize_session=False),
            [{"id": i, "public_title": t, "public_body": b, "public_text_rev": rev} for i, t, b in rows],
        )
        index_cases(session, rows)
    return len(rows)
