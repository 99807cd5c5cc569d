"""Signed cookie values and CSRF tokens, keyed by the settings' secret (HMAC-SHA256, no server state)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from typing import Any

from fastapi import Request
from starlette.datastructures import FormData

from minyi.errors import MinyiError
from minyi.settings import get_settings

CSRF_COOKIE = "minyi_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SESSION_COOKIE = "minyi_session"


class CsrfFailed(MinyiError):
    """The form did not carry the token of this browser: refuse it (403)."""

    status = 403
    code = "csrf"

    def __init__(self) -> None:
        super().__init__(
            "表单已过期或来源不明，请返回重新提交",
            "the form expired or did not come from this site: please retry",
        )


def _key(purpose: str) -> bytes:
    return hashlib.sha256(f"{purpose}:{get_settings().secret_key}".encode()).digest()


def keyed_digest(purpose: str, text: str) -> str:
    """The keyed hash (hex) that stands for `text` where the text itself must not be stored (a report's id in an
    outbox key, an address in a rate counter): the same text gives the same digest, and no one without the
    secret can tell which text it stands for."""
    return hmac.new(_key(purpose), text.encode(), hashlib.sha256).hexdigest()


def _mac(purpose: str, payload: bytes) -> str:
    digest = hmac.new(_key(purpose), payload, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def sign(purpose: str, value: Any, max_age_s: int) -> str:
    """A tamper-proof string carrying `value` (JSON) that expires after `max_age_s` seconds."""
    body = json.dumps({"v": value, "exp": int(time.time()) + max_age_s}, separators=(",", ":"))
    payload = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    return f"{payload}.{_mac(purpose, payload.encode())}"


def unsign(purpose: str, token: str | None) -> Any:
    """The value inside a string made by `sign`, or None when it is forged, malformed or expired."""
    if not token or "." not in token:
        return None
    payload, mac = token.rsplit(".", 1)
    if not hmac.compare_digest(mac, _mac(purpose, payload.encode())):
        return None
    try:
        body = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(body, dict) or body.get("exp", 0) < time.time():
        return None
    return body.get("v")


def new_browser_secret() -> str:
    """The random value of the CSRF cookie, one per browser."""
    return secrets.token_urlsafe(24)


def csrf_token(request: Request) -> str:
    """The token forms carry: bound to this browser's CSRF cookie and to its staff session, if any."""
    browser = request.scope.get("state", {}).get("csrf_secret") or request.cookies.get(CSRF_COOKIE, "")
    session = request.cookies.get(SESSION_COOKIE, "")
    return _mac("csrf", f"{browser}|{session}".encode())


async def check_csrf(request: Request) -> FormData:
    """Dependency of every POST page: the form (or the X-CSRF-Token header) must carry the right token."""
    form = await request.form()
    sent = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not request.cookies.get(CSRF_COOKIE) or not isinstance(sent, str):
        raise CsrfFailed()
    if not hmac.compare_digest(sent, csrf_token(request)):
        raise CsrfFailed()
    return form


FOLLOW_SECONDS = 7 * 24 * 3600


def follow_token(topic: str) -> str:
    """A signed topic for a "tell me" form (a consultation's news, a proposer's items): the page that shows the
    form is the only place a topic can come from, so nobody subscribes to another person's items."""
    return sign("follow", topic, FOLLOW_SECONDS)


def followed_topic(token: str | None) -> str | None:
    """The topic a follow form was made for, or None when forged or expired."""
    value = unsign("follow", token)
    return value if isinstance(value, str) else None
