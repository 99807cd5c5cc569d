"""Tracking codes (查询码): short, unguessable, with a check character that rejects mistyped codes."""

from __future__ import annotations

import base64
import re
import secrets
import unicodedata

from minyi.errors import InvalidInput

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
_INDEX = {ch: i for i, ch in enumerate(ALPHABET)}
_ALIASES = str.maketrans({"O": "0", "I": "1", "L": "1"})
BODY_LEN = 11  # 55 random bits
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212\u30fc\uff0d_.·]+")  # spaces and every kind of dash


def _times_x(v: int) -> int:
    """Multiply by x in GF(32) with the primitive polynomial x^5 + x^2 + 1."""
    v <<= 1
    return v ^ 0b100101 if v & 0b100000 else v


def _check_char(body: str) -> str:
    """Damm's scheme over the quasigroup a*b = x*a + b in GF(32).

    It is totally anti-symmetric, so every single wrong character and every swap of neighbours is caught.
    """
    interim = 0
    for ch in body:
        interim = _times_x(interim) ^ _INDEX[ch]
    return ALPHABET[_times_x(interim)]


def new_code() -> str:
    """A fresh code such as 7K3M-Q9XP-2WD4 (the last character checks the rest)."""
    bits = int.from_bytes(secrets.token_bytes(7), "big")  # 56 random bits, 55 used
    body = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(BODY_LEN))
    return body + _check_char(body)


def new_codes(n: int) -> list[str]:
    """n fresh codes at once (bulk imports), as new_code makes them: the random characters from one base32 text,
    the check character from per-position tables (Damm's check is linear over GF(2), so it is the XOR of what
    each character contributes)."""
    chunks = -(-BODY_LEN * n // 8)  # base32 turns 5 random bytes into 8 characters
    text = base64.b32encode(secrets.token_bytes(5 * chunks)).translate(_FROM_B32).decode()
    codes = []
    for i in range(0, BODY_LEN * n, BODY_LEN):
        body = text[i : i + BODY_LEN]
        check = 0
        for table, ch in zip(_CONTRIBUTION, body, strict=True):
            check ^= table[ch]
        codes.append(body + ALPHABET[check])
    return codes


_FROM_B32 = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", ALPHABET.encode())
_CONTRIBUTION = [
    {ch: _INDEX[_check_char("0" * i + ch + "0" * (BODY_LEN - 1 - i))] for ch in ALPHABET}
    for i in range(BODY_LEN)
]


def normalize_code(raw: str) -> str:
    """Upper-case, drop spaces and dashes (full-width too), read O as 0 and I/L as 1; refuse a failed check."""
    code = _SEPARATORS.sub("", unicodedata.normalize("NFKC", raw)).upper().translate(_ALIASES)
    if len(code) != BODY_LEN + 1 or any(ch not in _INDEX for ch in code):
        raise InvalidInput("查询码格式不正确", "malformed tracking code", field="tracking_code")
    if _check_char(code[:-1]) != code[-1]:
        raise InvalidInput(
            "查询码有误，请核对后重新输入", "tracking code check failed: mistyped?", field="tracking_code"
        )
    return code


def code_in(raw: str) -> str | None:
    """The tracking code a typed text is, however it was typed (dashes, spaces, lower case), or None."""
    try:
        return normalize_code(raw)
    except InvalidInput:
        return None


def display_code(code: str) -> str:
    """Groups of four for reading aloud and writing down."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))
