"""Participants' signed pseudonymous ids: a cookie (or header) the server can check without a lookup."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from minyi.errors import MinyiError
from minyi.settings import get_settings
from minyi.web.signing import sign, unsign

PARTICIPANT_COOKIE = "minyi_participant"
PARTICIPANT_HEADER = "x-participant"
MAX_AGE_S = 400 * 24 * 3600


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
