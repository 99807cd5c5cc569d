"""Imported rows that are misconduct reports (举报, by kind or by the steering rule on the text) become sealed
reports for the inspectors, never cases, as at every other door (`intake.steering`).

Nobody is there to be given the receipt, so it is kept by no one; the caller's name and phone are sealed as the
reporter's identity when the office has a key (else not kept). A keyed digest of the row's source and reference
keeps a re-run from making the report twice, without the source's reference in clear beside the report.
"""

from __future__ import annotations

import hashlib
import hmac

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.cases.rules import Kind
from minyi.cases.schemas import CaseSubmission, Contact
from minyi.errors import MinyiError
from minyi.intake.steering import do_steer_to_reports, is_misconduct_report
from minyi.intake_import.rows import ImportRow, RowError
from minyi.reports.models import MisconductReport
from minyi.reports.sealing import receipt_digest
from minyi.settings import get_settings


def import_digest(source: str, ref: str) -> str:
    """The keyed digest of an imported row's source and reference (the secret key: no guessing a ticket)."""
    key = get_settings().secret_key.encode()
    return hmac.new(key, f"import-report:{source}\x00{ref}".encode(), hashlib.sha256).hexdigest()


def steer_reports(
    session: Session, rows: list[tuple[int, ImportRow]], source: str
) -> tuple[list[tuple[int, ImportRow]], int, int, list[RowError]]:
    """Inside the import's unit of work: (the rows that stay cases, reports made, reports already made, rows
    refused because they are reports that cannot be made: never a case)."""
    flagged = [(n, r) for n, r in rows if is_misconduct_report(r.kind, r.title, r.text)]
    if not flagged:
        return rows, 0, 0, []
    wanted = {import_digest(source, r.ref): (n, r) for n, r in flagged}  # a ref twice in a batch: once
    taken = select(MisconductReport.import_digest).where(MisconductReport.import_digest.in_(wanted))
    done = set(session.scalars(taken))
    refused: list[RowError] = []
    made = 0
    for digest, (line, r) in wanted.items():
        if digest in done:
            continue
        try:
            contact = Contact(name=r.caller, phone=r.phone) if r.caller or r.phone else None
            sub = CaseSubmission(kind=Kind.report, channel=r.channel, title=r.title[:40] or "举报", body=r.text,
                                 region_code=r.region_code, topic_code=r.topic_code, contact=contact)  # fmt: skip
            steered = do_steer_to_reports(session, sub, unit_id=r.department_id, reporter_access=False)
        except (ValidationError, MinyiError) as exc:
            reason = exc.message_en if isinstance(exc, MinyiError) else "not a valid report"
            refused.append(RowError(line, f"a misconduct report (sealed channel), not imported: {reason}"))
            continue
        made_now = select(MisconductReport).where(
            MisconductReport.receipt_digest == receipt_digest(steered.receipt)
        )
        session.scalars(made_now).one().import_digest = digest
        made += 1
    kept = [(n, r) for n, r in rows if (n, r) not in flagged]
    return kept, made, len(flagged) - made - len(refused), refused
