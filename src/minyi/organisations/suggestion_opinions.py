"""Fills the suggestions slice's hooks: the expert opinions an inviter published on a suggestion or proposal show
under its published answer (答复公开), redacted; the staff item page shows the experts' panel (requests, status,
the invite form). Imported by `minyi.models`, so the hook is filled wherever the
models are (suggestions does not import this slice)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from minyi.nlp.pii import redact
from minyi.organisations.expert_panel import TEMPLATE, expert_panel
from minyi.organisations.expert_queries import published_opinions_on
from minyi.suggestions.page_hooks import register_staff_panel
from minyi.suggestions.public_hooks import register_opinions


def _opinions(session: Session, suggestion_ids: Sequence[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for o in published_opinions_on(session, "suggestion", suggestion_ids):
        out.setdefault(o.subject_id, []).append(o.model_copy(update={"body": redact(o.body or "")}))
    return out


register_opinions(_opinions)
register_staff_panel(
    TEMPLATE, lambda session, actor, suggestion_id: expert_panel(session, actor, "suggestion", suggestion_id)
)
