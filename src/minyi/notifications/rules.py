"""Who hears of which step, on which channel, and when a failed send is tried again. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

CHANNELS = ("email", "sms", "wechat")
MAX_ATTEMPTS = 8
LEASE = timedelta(minutes=5)  # a claimed message not marked sent by then is tried again
REQUEUE_WITHIN = timedelta(
    days=30
)  # a message left unsent for want of a channel goes out later if this young
UNSUBSCRIBE_SECONDS = 400 * 24 * 3600  # an unsubscribe link works for over a year

# the steps the submitter (or the intermediary who submitted for them) hears of: (action, new status) -> template
SUBMITTER_STEPS: dict[tuple[str, str | None], str] = {
    ("register", "registered"): "registered",
    ("accept", "accepted"): "accepted",
    ("decline", "declined"): "declined",
    ("reply", "replied"): "replied",
    ("evaluate", "rehandling"): "rehandling",
    ("evaluate", "closed"): "closed",
    ("close_unevaluated", "closed"): "closed",
}
# the steps staff hear of: action -> (template, who: the department acting on the case, or dispatch)
STAFF_STEPS: dict[str, tuple[str, str]] = {
    "assign": ("assigned", "department"),
    "return": ("returned", "dispatch"),
    "supervise": ("supervised", "department"),
    "escalate": ("escalated", "department"),
    "decide_extension": ("extension_decided", "department"),
}


@dataclass(frozen=True)
class Person:
    """How one person may be reached, as they gave it."""

    key: str
    email: str | None = None
    phone: str | None = None
    wechat_openid: str | None = None
    notify_by: str | None = None
    language: str | None = None
    user_id: int | None = None


def submitter_template(action: str, to_status: str | None, *, sealed: bool, imported: bool) -> str | None:
    """The message the submitter gets for this step; none for sealed cases (misconduct reports keep to their
    own receipt page) and none for cases imported from another system (their steps happened there)."""
    if sealed or imported:
        return None
    return SUBMITTER_STEPS.get((action, to_status))


def pick_channel(person: Person) -> tuple[str, str] | None:
    """The channel and address to use: the preferred one when its address was given, else the first given.

    Nothing goes to a channel the person did not give: no address, no message on that channel.
    """
    given = {"email": person.email, "sms": person.phone, "wechat": person.wechat_openid}
    if person.notify_by in given and given[person.notify_by]:
        return person.notify_by, str(given[person.notify_by])
    for channel in CHANNELS:
        if given[channel]:
            return channel, str(given[channel])
    return None


def opted_in_channel(person: Person) -> tuple[str, str] | None:
    """A citizen hears only on the channel they chose (opt-in): no choice, or no address for it, no message."""
    given = {"email": person.email, "sms": person.phone, "wechat": person.wechat_openid}
    if person.notify_by in given and given[person.notify_by]:
        return person.notify_by, str(given[person.notify_by])
    return None


def first_status(channel: str, configured: frozenset[str]) -> str:
    """pending (the sender will send it), unconfigured (no such channel set up here) or shown (workbench)."""
    if channel == "workbench":
        return "shown"
    return "pending" if channel in configured else "unconfigured"


def language_of(person: Person) -> str:
    """zh unless the person asked for English."""
    return "en" if person.language == "en" else "zh"


def backoff(attempts: int) -> timedelta:
    """Wait before the next try: 30 s, 1 min, 2 min, … at most one hour."""
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), timedelta(hours=1))


def after_failure(attempts: int) -> str:
    """pending while tries remain, then dead (the dead-letter list for an administrator)."""
    return "dead" if attempts >= MAX_ATTEMPTS else "pending"


def mask_address(channel: str, address: str | None) -> str:
    """An address as the workbench shows it: enough to recognise, not enough to use."""
    if not address:
        return ""
    if channel == "email" and "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:1]}***@{domain}"
    if len(address) >= 7:
        return address[:3] + "*" * (len(address) - 7) + address[-4:]
    return "***"


# what a subscription may be to: (kind of topic, needs a reference) -> the words its confirmation uses
TOPICS: dict[str, tuple[bool, str, str]] = {
    "consultations": (False, "新的意见征集", "new consultations"),
    "consultation": (True, "该意见征集的采纳情况反馈", "this consultation's feedback report"),
    "proposer": (True, "您的建议提案的办理进展", "the progress of your suggestions and proposals"),
}


def topic_words(topic: str) -> tuple[str, str] | None:
    """(zh, en) naming what `topic` is about, or None when it is not a topic one may follow."""
    kind, sep, ref = topic.partition(":")
    known = TOPICS.get(kind)
    if known is None or known[0] != bool(sep) or (sep and not ref.isdigit()):
        return None
    return known[1], known[2]
