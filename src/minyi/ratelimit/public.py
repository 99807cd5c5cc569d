"""The limits of the public forms that anyone may post without signing in, per address and shared by every
process: new demands (the portal's form and the JSON intake `POST /api/v1/cases` share one allowance, so a flood
cannot switch doors), tracking-code lookups (guesses), and "tell me" subscriptions (each sends a confirmation
message to an address someone typed). Refusals are the structured 429 with Retry-After. Staff register through
`/staff/cases` and Open311 clients through their key's own hourly limit: neither is counted here."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.orm import Session

from minyi.client_address import client_address
from minyi.ratelimit.counters import Limit, refuse_if_over
from minyi.ratelimit.joined import refuse_or_count_with_next_write
from minyi.settings import get_settings

# what: (the limit per address, the refusal in Chinese and English)
LIMITS: dict[str, tuple[Limit, str, str]] = {
    "submit": (Limit("public:submit", 20, 3600, anonymous=True),  # per hour: `public_submissions_per_hour`
               "提交过于频繁，请 {wait} 秒后再试", "too many submissions from this address: wait {wait} s"),
    "track": (Limit("public:track", 30, 600, anonymous=True),
              "查询过于频繁，请 {wait} 秒后再试", "too many tracking-code lookups: wait {wait} s"),
    "follow": (Limit("public:follow", 10, 3600, anonymous=True),
               "订阅过于频繁，请 {wait} 秒后再试", "too many subscriptions from this address: wait {wait} s"),
}  # fmt: skip


address_of = client_address  # an IPv6 client counted by its /64


def _limit_of(what: str) -> tuple[Limit, str, str] | None:
    limit, zh, en = LIMITS[what]
    if what == "submit":  # the number is the deployment's (0: off, for a load test from one machine)
        per_hour = get_settings().public_submissions_per_hour
        if not per_hour:
            return None
        limit = replace(limit, limit=per_hour)
    return limit, zh, en


def check_public(request: Any, session: Session, what: str, *, field: str | None = None) -> None:
    """Count one request of this address against the limit of `what`, or refuse it (429 with Retry-After)."""
    found = _limit_of(what)
    if found is not None:
        refuse_if_over(session, found[0], address_of(request), found[1], found[2], field=field)


def check_intake(request: Any, session: Session) -> None:
    """A new demand, by the portal's form or the JSON intake: one allowance per address (429 past it), refused
    on a read before anything is written, counted in the submission's own transaction (`ratelimit.joined`)."""
    found = _limit_of("submit")
    if found is not None:
        limit, zh, en = found
        refuse_or_count_with_next_write(session, limit, address_of(request), zh, en, field="body")
