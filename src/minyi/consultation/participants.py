"""Participants' signed pseudonymous ids: a cookie (or header) the server can check without a lookup."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from minyi.client_address import client_address
from minyi.consultation.attempts import SharedAttempts
from minyi.consultation.rules import CODE_ATTEMPTS, CODE_WINDOW_S
from minyi.errors import MinyiError
from minyi.settings import get_settings
from minyi.web.signing import sign, unsign

PARTICIPANT_COOKIE = "minyi_participant"
PARTICIPANT_HEADER = "x-participant"
MAX_AGE_S = 400 * 24 * 3600
CodeGate = tuple[SharedAttempts, str]  # the limiter of tracking-code joins and the caller's address


def code_limiter() -> SharedAttempts:
    """The limiter of tracking-code joins and hearing registrations: every attempt counts, per address, in the
    database (shared by every process of the app)."""
    return SharedAttempts(CODE_ATTEMPTS, CODE_WINDOW_S)


DEFAULT_GATE = code_limiter()  # for callers with no address (the command line, the demo)


def code_gate(request: Any) -> CodeGate:
    """The app's limiter and the request's address, for `do_join`."""
    limiter = getattr(request.app.state, "consultation_code_attempts", None) or DEFAULT_GATE
    return limiter, client_address(request)


class BadParticipant(MinyiError):
    """A participant id that is missing, forged, expired or for another consultation (403)."""

    status = 403
    code = "invalid_participant"

    def __init__(self) -> None:
        super().__init__(
            "参与身份无效，请重新加入", "missing or invalid participant id: join the consultation again"
        )


def new_pseudonym() -> str:
    return secrets.token_urlsafe(15)


def participant_token(consultation_id: int, pseudonym: str) -> str:
    """The signed id handed to a participant (also their cookie)."""
    return sign("participant", {"c": consultation_id, "p": pseudonym}, MAX_AGE_S)


def pseudonym_from(token: str | None, consultation_id: int) -> str:
    """The pseudonym inside a token for this consultation, or BadParticipant."""
    value = unsign("participant", token)
    if (
        not isinstance(value, dict)
        or value.get("c") != consultation_id
        or not isinstance(value.get("p"), str)
    ):
        raise BadParticipant()
    return str(value["p"])


def verification_ref(kind: str, value: str) -> str:
    """A keyed hash of a tracking code or account id: the same person finds their participant again."""
    key = hashlib.sha256(f"participant-ref:{get_settings().secret_key}".encode()).digest()
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
