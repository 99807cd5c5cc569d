"""Password hashing (Argon2id) and bearer tokens (random, stored as SHA-256)."""

from __future__ import annotations

import hashlib
import secrets
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from minyi.settings import get_settings

_DEFAULT = PasswordHasher()
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # tests only: never in production


def _hasher() -> PasswordHasher:
    return _FAST if get_settings().env == "test" else _DEFAULT


def hash_password(password: str) -> str:
    """An Argon2id hash with the library's recommended parameters (cheap ones in the test suite)."""
    return _hasher().hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """True when the password matches; never raises on a bad or foreign hash."""
    try:
        return _hasher().verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=2)
def _dummy_hash(hasher_id: int) -> str:
    return _hasher().hash(secrets.token_urlsafe(16))


def dummy_hash() -> str:
    """A hash no password matches, made with the same parameters, so that unknown users cost as much time."""
    return _dummy_hash(id(_hasher()))


def new_token() -> str:
    """A bearer token with 256 bits of randomness."""
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of a token."""
    return hashlib.sha256(token.encode()).hexdigest()
