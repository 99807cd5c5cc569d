"""The reporter's identity sealed at rest: the server can seal (public key) but not open (passphrase needed).

The discipline office's key pair is made once; its private key is kept only encrypted under a passphrase that
officers give when they unseal (nacl.pwhash Argon2id + SecretBox), so a copy of the database or of the server's
memory between requests opens nothing. Named reporters' phone and ID numbers are also kept as a keyed hash
(HMAC under the server secret, never the clear number) so that later cases by the same person can be flagged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from nacl import pwhash
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

RECEIPT_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud and typed back
RECEIPT_GROUPS = 5  # 5 x 4 characters of a 31-letter alphabet: about 99 bits


@dataclass(frozen=True)
class OfficeKey:
    """The office's public key and its private key encrypted under the officers' passphrase."""

    public_key: bytes
    encrypted_private_key: bytes
    salt: bytes
    opslimit: int
    memlimit: int


class WrongPassphrase(ValueError):
    """The office passphrase does not open the private key."""


def _limits(fast: bool) -> tuple[int, int]:
    if fast:  # tests only
        return pwhash.argon2id.OPSLIMIT_MIN, pwhash.argon2id.MEMLIMIT_MIN
    return pwhash.argon2id.OPSLIMIT_MODERATE, pwhash.argon2id.MEMLIMIT_MODERATE


def _box(passphrase: str, salt: bytes, opslimit: int, memlimit: int) -> SecretBox:
    key = pwhash.argon2id.kdf(
        SecretBox.KEY_SIZE, passphrase.encode(), salt, opslimit=opslimit, memlimit=memlimit
    )
    return SecretBox(key)


def make_office_key(passphrase: str, *, fast: bool = False) -> OfficeKey:
    """A new key pair; only the public key and the passphrase-encrypted private key leave this function."""
    private = PrivateKey.generate()
    salt = secrets.token_bytes(pwhash.argon2id.SALTBYTES)
    ops, mem = _limits(fast)
    encrypted = _box(passphrase, salt, ops, mem).encrypt(bytes(private))
    return OfficeKey(bytes(private.public_key), bytes(encrypted), salt, ops, mem)


def seal_identity(public_key: bytes, identity: dict[str, Any]) -> bytes:
    """Encrypt the identity so that only the office's private key opens it."""
    clear = json.dumps(identity, ensure_ascii=False, sort_keys=True).encode()
    return bytes(SealedBox(PublicKey(public_key)).encrypt(clear))


def open_private_key(key: OfficeKey, passphrase: str) -> PrivateKey:
    """The office's private key, opened with the officers' passphrase (raises WrongPassphrase)."""
    try:
        raw = _box(passphrase, key.salt, key.opslimit, key.memlimit).decrypt(key.encrypted_private_key)
    except CryptoError:
        raise WrongPassphrase("the office passphrase is wrong") from None
    return PrivateKey(raw)


def open_identity(key: OfficeKey, passphrase: str, sealed: bytes) -> dict[str, Any]:
    """Open a sealed identity with the office passphrase (raises WrongPassphrase)."""
    opened: dict[str, Any] = json.loads(SealedBox(open_private_key(key, passphrase)).decrypt(sealed))
    return opened


def seal_file(public_key: bytes, name: str, content_type: str, data: bytes) -> tuple[bytes, bytes]:
    """A file encrypted under a fresh key (SecretBox), and that key sealed to the office: (ciphertext, sealed key).

    The name and the type travel inside the ciphertext: a file name can say who sent it.
    """
    key = secrets.token_bytes(SecretBox.KEY_SIZE)
    head = json.dumps({"name": name, "type": content_type}, ensure_ascii=False).encode()
    payload = len(head).to_bytes(4, "big") + head + data
    return bytes(SecretBox(key).encrypt(payload)), bytes(SealedBox(PublicKey(public_key)).encrypt(key))


def open_file(private: PrivateKey, ciphertext: bytes, sealed_key: bytes) -> tuple[str, str, bytes]:
    """(name, content type, bytes) of a sealed file, with the opened office key."""
    payload = SecretBox(SealedBox(private).decrypt(sealed_key)).decrypt(ciphertext)
    size = int.from_bytes(payload[:4], "big")
    head = json.loads(payload[4 : 4 + size])
    return str(head["name"]), str(head["type"]), payload[4 + size :]


def identity_digest(secret: str, kind: str, value: str) -> str:
    """The keyed hash of a phone or ID number (digits and X only), to recognise the same person later."""
    norm = "".join(ch for ch in value.upper() if ch.isdigit() or ch == "X")
    return hmac.new(secret.encode(), f"report-identity:{kind}:{norm}".encode(), hashlib.sha256).hexdigest()


def new_receipt() -> str:
    """A receipt code shown once to the reporter: 20 random characters in groups of four."""
    chars = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(4 * RECEIPT_GROUPS))
    return "-".join(chars[i : i + 4] for i in range(0, len(chars), 4))


def receipt_digest(receipt: str) -> str:
    """What the database keeps of a receipt (high entropy, so a plain SHA-256 suffices)."""
    norm = "".join(ch for ch in receipt.upper() if ch.isalnum())
    return hashlib.sha256(f"report-receipt:{norm}".encode()).hexdigest()
