"""What the public and the submitter see of a case on the portal: the core's one masked projection."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.cases import present as core
from minyi.cases.models import Case
from minyi.cases.schemas import PublicCase


def public_views(session: Session, cases: list[Case], english: bool = False) -> list[PublicCase]:
    """Masked cases for the public list: the API's open-data projection (the list shows no timelines)."""
    return core.public_views(session, cases, english=english, with_timeline=False)


def public_page(session: Session, case: Case, english: bool = False) -> PublicCase:
    """One case for its permanent link or its tracking page, masked, public history only."""
    return core.public_view(session, case, with_code=False, english=english)
