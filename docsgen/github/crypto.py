"""GitHub tokens encrypted at rest: AES-256-GCM keyed from ``DOCSGEN_SECRET_KEY``.

Each ciphertext is stored beside the id of the key that sealed it, so the secret
key can be rotated: the old key moves to ``DOCSGEN_PREVIOUS_SECRET_KEYS``, tokens
sealed with it still open, and are sealed again with the new key when next used.
The owner's user id is the associated data, so a ciphertext copied to another
user's row does not open.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from docsgen.errors import ServiceUnavailable
from docsgen.settings import Settings

_NONCE_BYTES = 12
_INFO = b"docsgen github-token aes-256-gcm v1"
_AAD_PREFIX = b"docsgen:github-token:"


class TokenUnreadable(Exception):
    """A stored token cannot be decrypted (its key is gone, or the data was altered)."""


@dataclass(frozen=True)
class Sealed:
    key_id: str
    ciphertext: bytes  # nonce || AES-GCM ciphertext and tag


def _derive(secret: str) -> tuple[str, AESGCM]:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO).derive(secret.encode())
    # The id names the key without revealing anything usable about it.
    key_id = hashlib.sha256(b"docsgen key id\0" + key).hexdigest()[:16]
    return key_id, AESGCM(key)


class TokenCipher:
    """Seals with the current key; opens with the current or any previous key."""

    def __init__(self, secret_key: str, previous: tuple[str, ...] = ()) -> None:
        self.key_id, self._current = _derive(secret_key)
        self._keys = {self.key_id: self._current}
        for old in previous:
            key_id, aead = _derive(old)
            self._keys.setdefault(key_id, aead)

    @classmethod
    def from_settings(cls, settings: Settings) -> TokenCipher | None:
        """None when no secret key is configured: tokens can then be neither stored nor read."""
        if not settings.secret_key:
            return None
        return cls(settings.secret_key, settings.previous_secret_keys)

    @classmethod
    def required(cls, settings: Settings) -> TokenCipher:
        """The cipher, or a 503 saying why a token cannot be stored (never stored in plain)."""
        cipher = cls.from_settings(settings)
        if cipher is None:
            raise ServiceUnavailable(
                "GitHub tokens cannot be stored: DOCSGEN_SECRET_KEY is not set on this server, "
                "and tokens are never stored unencrypted"
            )
        return cipher

    def seal(self, token: str, user_id: uuid.UUID) -> Sealed:
        nonce = os.urandom(_NONCE_BYTES)
        data = self._current.encrypt(nonce, token.encode(), _AAD_PREFIX + user_id.bytes)
        return Sealed(self.key_id, nonce + data)

    def open(self, sealed: Sealed, user_id: uuid.UUID) -> str:
        aead = self._keys.get(sealed.key_id)
        if aead is None:
            raise TokenUnreadable(f"no configured secret key has id {sealed.key_id}")
        nonce, data = sealed.ciphertext[:_NONCE_BYTES], sealed.ciphertext[_NONCE_BYTES:]
        try:
            return aead.decrypt(nonce, data, _AAD_PREFIX + user_id.bytes).decode()
        except InvalidTag:
            raise TokenUnreadable(f"stored token does not open with key {sealed.key_id}") from None
