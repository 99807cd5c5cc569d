"""The reply as the public reads it, stored beside the reply (`public_reply`) with the redaction revision it was
masked with (`public_reply_rev`), as the title and body are: written with the reply, filled or brought up to date
for older replies (and those loaded by the importer) by `minyi opendata remask`. `cases.present` uses it when it
is what masking now would give."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from minyi.cases.models import Case, Submitter
from minyi.cases.redaction import FIELDS, known_of, mask, text_revision


def masked_reply(text: str, contact: Mapping[str, str | None] | None) -> str:
    """The reply masked as the public reads it, the submitter's own identities included."""
    return mask(text, known_of(contact)) or ""


def contact_of(session: Session, submitter_id: int | None) -> dict[str, str | None] | None:
    """The identities of a submitter that masking looks for (None: no submitter)."""
    if submitter_id is None:
        return None
    row = session.execute(
        select(*(getattr(Submitter, f) for f in FIELDS)).where(Submitter.id == submitter_id)
    ).first()
    return dict(zip(FIELDS, row, strict=True)) if row else None


def store_reply(session: Session, case: Case, text: str) -> None:
    """Keep the masked reply beside the reply (inside the caller's write)."""
    case.public_reply = masked_reply(text, contact_of(session, case.submitter_id))
    case.public_reply_rev = text_revision()


def remask_batch(session: Session, after: int, batch: int, *, everything: bool = False) -> tuple[int, int]:
    """Mask afresh the next `batch` replies after case id `after` whose stored mask is missing or out of date
    (`everything`: all of them) and store them (inside the caller's write). Returns (how many, last id; 0: done)."""
    rev = text_revision()
    stmt = (
        select(Case.id, Case.reply_text, *(getattr(Submitter, f) for f in FIELDS))
        .outerjoin(Submitter, Submitter.id == Case.submitter_id)
        .where(Case.id > after, Case.reply_text.is_not(None))
    )
    if not everything:
        stmt = stmt.where(or_(Case.public_reply_rev.is_(None), Case.public_reply_rev != rev))
    rows = session.execute(stmt.order_by(Case.id).limit(batch)).all()
    if not rows:
        return 0, 0
    values = [{"id": r[0], "public_reply": masked_reply(r[1], dict(zip(FIELDS, r[2:], strict=True))),
               "public_reply_rev": rev} for r in rows]  # fmt: skip
    session.execute(update(Case).execution_options(synchronize_session=False), values)
    return len(rows), rows[-1][0]
