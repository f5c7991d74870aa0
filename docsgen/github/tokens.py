"""A user's GitHub token: sealed on its way into the database, opened on its way out.

Only this module holds a token and its ciphertext together; the rows
(``docsgen.db.github_connections``) hold ciphertext alone.
"""

from __future__ import annotations

import logging
import uuid

from docsgen.db import Queryable
from docsgen.db import github_connections as rows
from docsgen.github.crypto import Sealed, TokenCipher, TokenUnreadable
from docsgen.settings import Settings

log = logging.getLogger(__name__)


async def save_connection(
    conn: Queryable,
    cipher: TokenCipher,
    user_id: uuid.UUID,
    *,
    token: str,
    login: str,
    github_user_id: int | None,
    scopes: tuple[str, ...] | None,
    method: str,
) -> rows.Connection:
    """Store (or replace) the user's connection; the token is sealed first."""
    sealed = cipher.seal(token, user_id)
    return await rows.save_connection(
        conn, user_id, login=login, github_user_id=github_user_id, scopes=scopes,
        method=method, key_id=sealed.key_id, ciphertext=sealed.ciphertext,
    )  # fmt: skip


async def load_token(conn: Queryable, settings: Settings, user_id: uuid.UUID) -> str | None:
    """The user's GitHub token, or None when there is none that this server can open.

    A token sealed with a previous key is sealed again with the current one.
    """
    stored = await rows.sealed_token(conn, user_id)
    if stored is None:
        return None
    cipher = TokenCipher.from_settings(settings)
    if cipher is None:
        log.warning("a GitHub token is stored but DOCSGEN_SECRET_KEY is not set to open it")
        return None
    sealed = Sealed(*stored)
    try:
        token = cipher.open(sealed, user_id)
    except TokenUnreadable as exc:
        log.warning("stored GitHub token of user %s cannot be opened: %s", user_id, exc)
        return None
    if sealed.key_id != cipher.key_id:
        resealed = cipher.seal(token, user_id)
        await rows.reseal_token(
            conn, user_id, old_key_id=sealed.key_id, key_id=resealed.key_id,
            ciphertext=resealed.ciphertext,
        )  # fmt: skip
        log.info("re-encrypted the GitHub token of user %s with the current key", user_id)
    return token
