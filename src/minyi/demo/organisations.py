"""Demo organisations: a trade union, a residents' committee and an expert body, each with a member's account."""

from __future__ import annotations

from sqlalchemy.orm import Session

from minyi.accounts.actor import SYSTEM
from minyi.organisations.actions import do_add_member, do_add_organisation
from minyi.organisations.schemas import MemberIn, OrganisationIn

ORGANISATIONS = [
    ("明川市总工会", "union", "union-member"),
    ("东湖社区居民委员会", "residents_committee", "donghu-committee"),
    ("明川市城市规划专家咨询委员会", "expert_body", "planning-expert"),
]


def load_organisations(session: Session, password: str) -> list[str]:
    """Register the demo organisations and their members; the members' usernames."""
    for name, kind, username in ORGANISATIONS:
        org = do_add_organisation(
            session, SYSTEM, OrganisationIn.model_validate({"name": name, "kind": kind})
        )
        do_add_member(session, SYSTEM, org.id, MemberIn(username=username, password=password))
    return [username for _, _, username in ORGANISATIONS]
