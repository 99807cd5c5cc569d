"""The experts' panel a staff page shows for one case or suggestion: the requests on it with their status, which of
them this member of staff invited (they alone decide publication), and the invite form's choices when their role
may ask experts. Shared by /staff/experts, the workbench case page and (through its hook) the suggestion page."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from minyi.access import may_invite_expert
from minyi.accounts.actor import Actor
from minyi.organisations import labels  # noqa: F401 - the flash labels of the invite and publication
from minyi.organisations.expert_queries import expert_choices, requests_on
from minyi.organisations.models import ExpertRequest

TEMPLATE = "organisations/_expert_panel.html"


def expert_panel(session: Session, actor: Actor, subject_type: str, subject_id: int) -> dict[str, Any]:
    """The panel's content (NotFound when this member of staff may not see the subject)."""
    requests = requests_on(session, actor, subject_type, subject_id)
    mine = set(
        session.scalars(
            select(ExpertRequest.id).where(
                ExpertRequest.subject_type == subject_type,
                ExpertRequest.subject_id == subject_id,
                ExpertRequest.invited_by_user_id == actor.user_id,
            )  # fmt: skip
        )
    )
    may_invite = may_invite_expert(actor)
    return {"subject_type": subject_type, "subject_id": subject_id, "requests": requests, "mine": mine,
            "may_invite": may_invite, "experts": expert_choices(session) if may_invite else []}  # fmt: skip
