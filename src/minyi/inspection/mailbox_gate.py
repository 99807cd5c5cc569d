"""The rate limit of a round's mailbox: letters per sender and per round in a sliding window, kept in memory.

The mailbox is a sealed channel: no address is stored, not even in the limiter. A sender is counted under a keyed
digest of their address with a key drawn at random when the process starts (and never written anywhere), so the
limiter's memory names nobody, and its digests cannot be matched to an address after a restart. A per-round
limit blunts a flood from many addresses. Refusals are the structured 429 (`minyi.errors.RateLimited`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from minyi.accounts.throttle import AttemptLimiter
from minyi.errors import RateLimited

LETTERS_PER_SENDER = 5  # per sender and window
LETTERS_PER_ROUND = 300  # per round and window, whoever sends them
WINDOW_S = 3600.0


class MailboxGate:
    """The letters a sender and a round may send in the window; the senders only as keyed digests."""

    def __init__(self, per_sender: int = LETTERS_PER_SENDER, per_round: int = LETTERS_PER_ROUND) -> None:
        self._key = secrets.token_bytes(32)  # this process's only: digests say nothing once it is gone
        self._senders = AttemptLimiter(per_sender, WINDOW_S)
        self._rounds = AttemptLimiter(per_round, WINDOW_S)

    def sender(self, address: str) -> bytes:
        return hmac.new(self._key, address.encode(), hashlib.sha256).digest()[:16]

    def check(self, round_id: int, address: str) -> None:
        """Count one letter, or refuse it (429) with the seconds to wait."""
        wait = self._senders.attempt((round_id, self.sender(address))) or self._rounds.attempt(round_id)
        if wait:
            raise RateLimited(
                f"来信过于频繁，请 {wait} 秒后再试", f"too many letters: try again in {wait} s", field="body"
            )


def check_mailbox(request: Any, round_id: int) -> None:
    """The app's gate (one per app, made on first use), for the mailbox page and the API alike."""
    state = request.app.state
    if not hasattr(state, "inspection_mailbox_gate"):
        state.inspection_mailbox_gate = MailboxGate()
    client = getattr(request, "client", None)
    state.inspection_mailbox_gate.check(round_id, client.host if client else "unknown")
