"""What holds a comment in the moderation queue instead of publishing it at once. Pure."""

from __future__ import annotations

import re

from minyi.nlp.pii import find, redact

# kinds the redaction finds by pattern with certainty; the others (names, addresses) it may miss or over-mask
SURE_KINDS = frozenset({"id_card", "bank_card", "email", "mobile", "phone", "plate", "wechat", "qq"})
ABUSE = ("傻逼", "傻B", "狗官", "去死", "王八蛋", "混蛋", "滚蛋", "废物", "操你")
_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)


def screen(text: str) -> tuple[str, list[str]]:
    """The public (redacted) text and the flags that hold it for a moderator: abuse, personal data, links."""
    flags = []
    if any(word.lower() in text.lower() for word in ABUSE):
        flags.append("abuse")
    if any(span.kind not in SURE_KINDS for span in find(text)):
        flags.append("personal_data")
    if _LINK.search(text):
        flags.append("link")
    return redact(text), flags
