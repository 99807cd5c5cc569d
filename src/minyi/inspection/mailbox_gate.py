"""The rate limit of a round's mailbox: letters per sender and per round in a sliding window, shared by every
process of the app (`minyi.ratelimit`).

The mailbox is a sealed channel: no address is stored. A sender is counted in a coarse bucket (an `anonymous`
limit: one of 65,536 per round, each standing for tens of thousands of addresses), which names nobody even with
the app's secret, and is removed by the sweep two windows later. A sender past their limit is refused (the structured 429 with Retry-After). A round past its
cap is not: the letter is accepted and held for a team member's review (neither listed nor counted until
released), so that a flood from a few dozen addresses cannot shut the mailbox to everyone else.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from minyi.ratelimit.counters import Limit, attempt, refuse_if_over
from minyi.ratelimit.public import address_of

LETTERS_PER_SENDER = 5  # per sender and window
LETTERS_PER_ROUND = 300  # per round and window, whoever sends them; past it, letters are held for review
WINDOW_S = 3600
SENDERS = Limit("mailbox:sender", LETTERS_PER_SENDER, WINDOW_S, anonymous=True)  # counted coarsely
ROUNDS = Limit("mailbox:round", LETTERS_PER_ROUND, WINDOW_S)


def check_mailbox(request: Any, session: Session, round_id: int) -> bool:
    """Count one letter of this sender to this round, or refuse it (429); True when the round is past its cap
    (the letter is to be held)."""
    sender = f"{round_id}\x00{address_of(request)}"
    refuse_if_over(session, SENDERS, sender, "来信过于频繁，请 {wait} 秒后再试", "too many letters: try again in {wait} s",
                   field="body")  # fmt: skip
    return attempt(session, ROUNDS, str(round_id)) > 0
