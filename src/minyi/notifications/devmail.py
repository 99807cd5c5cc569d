"""A mail catcher for development: prints each e-mail minyi sends, decoded (subject and body in plain text).

Run it with the local SMTP server of aiosmtpd (a development dependency), then point minyi at it:
`python -m aiosmtpd -n -l 127.0.0.1:8025 -c minyi.notifications.devmail.Printer` and
`MINYI_SMTP_URL=smtp://127.0.0.1:8025`. `make mail` does the first.
"""

from __future__ import annotations

import email
import email.policy
import sys
from typing import Any


class Printer:
    """An aiosmtpd handler that prints who the message is for, its subject and its text."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = msg.get_body(preferencelist=("plain",))  # type: ignore[attr-defined]
        text = body.get_content() if body is not None else ""
        print(f"\n---------- to {msg['To']}\n{msg['Subject']}\n\n{text}", file=sys.stdout, flush=True)
        return "250 OK"
