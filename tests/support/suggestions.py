"""Factories for deputies' suggestions: registered and answered through the command table, as staff do it."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from minyi.suggestions.actions import do_register_suggestion
from minyi.suggestions.commands import STAFF_COMMANDS, execute
from minyi.suggestions.models import Suggestion
from minyi.suggestions.schemas import SuggestionIn
from tests.support.factories import Org

SESSION = "第十五届人民代表大会第三次会议"


def answered_suggestion(
    session: Session, org: Org, *, number: int, subject: str, body: str, answer: str, category: str = "A"
) -> Suggestion:
    """A deputy's suggestion led by the housing department and answered by its head in `category`."""
    item, _ = do_register_suggestion(session, org.actor("intake"), SuggestionIn(
        kind="deputy_suggestion", session=SESSION, number=number, proposer={"name": "李代表", "kind": "deputy"},
        subject=subject, body=body))  # fmt: skip
    steps: list[tuple[str, str, dict[str, Any]]] = [
        ("accept", "intake", {}), ("assign", "intake", {"lead_unit_id": org.housing.id, "co_unit_ids": []}),
        ("contact", "housing-handler", {"way": "phone", "contacted_on": date.today(), "who": "李代表",
                                        "summary": "电话沟通"}),
        ("answer", "housing-head", {"category": category, "text": answer}),
    ]  # fmt: skip
    for name, actor, fields in steps:
        command = STAFF_COMMANDS[name]
        execute(session, org.actor(actor), item.id, command, command.schema(**fields))
    return item


def run(session: Session, org: Org, item: Suggestion, name: str, actor: str, **fields: Any) -> None:
    """One more step of the command table on an item."""
    command = STAFF_COMMANDS[name]
    execute(session, org.actor(actor), item.id, command, command.schema(**fields))
