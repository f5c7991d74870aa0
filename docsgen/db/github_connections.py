"""Connected GitHub accounts and OAuth states: every SQL statement about them.

The token goes in and out only through ``TokenCipher``; rows hold ciphertext.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from docsgen.github.crypto import Sealed, TokenCipher, TokenUnreadable
from docsgen.settings import Settings

log = logging.getLogger(__name__)

Conn = asyncpg.Connection | asyncpg.Pool


@dataclass(frozen=True)
class Connection:
    """What may be shown about a connection: everything but the token."""

    login: str
    github_user_id: int | None
    scopes: tuple[str, ...] | None
    method: str
    created_at: datetime
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        return {
            "connected": True,
            "login": self.login,
            "github_user_id": self.github_user_id,
            "scopes": list(self.scopes) if self.scopes is not None else None,
            "method": self.method,
            "connected_at": self.created_at.isoformat(),
            "updated_at": self.updated_at.isoformat(),
        }


def _from_record(r: asyncpg.Record) -> Connection:
    scopes = tuple(r["scopes"]) if r["scopes"] is not None else None
    return Connection(
        r["github_login"], r["github_user_id"], scopes, r["method"], r["created_at"],
        r["updated_at"],
    )  # fmt: skip


_COLUMNS = "github_login, github_user_id, scopes, method, created_at, updated_at"


async def save_connection(
    conn: Conn,
    cipher: TokenCipher,
    user_id: uuid.UUID,
    *,
    token: str,
    login: str,
    github_user_id: int | None,
    scopes: tuple[str, ...] | None,
    method: str,
) -> Connection:
    """Store (or replace) the user's connection; the token is sealed first."""
    sealed = cipher.seal(token, user_id)
    row = await conn.fetchrow(
        f"""
        INSERT INTO github_connections AS c
            (user_id, github_login, github_user_id, scopes, method, token_key_id,
             token_ciphertext)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (user_id) DO UPDATE SET
            github_login = EXCLUDED.github_login, github_user_id = EXCLUDED.github_user_id,
            scopes = EXCLUDED.scopes, method = EXCLUDED.method,
            token_key_id = EXCLUDED.token_key_id, token_ciphertext = EXCLUDED.token_ciphertext,
            updated_at = now()
        RETURNING {_COLUMNS}
        """,
        user_id, login, github_user_id,
        list(scopes) if scopes is not None else None,
        method, sealed.key_id, sealed.ciphertext,
    )  # fmt: skip
    assert row is not None
    return _from_record(row)


async def get_connection(conn: Conn, user_id: uuid.UUID) -> Connection | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM github_connections WHERE user_id = $1", user_id
    )
    return _from_record(row) if row else None


async def delete_connection(conn: Conn, user_id: uuid.UUID) -> bool:
    result = await conn.execute("DELETE FROM github_connections WHERE user_id = $1", user_id)
    return bool(result == "DELETE 1")


async def load_token(conn: Conn, settings: Settings, user_id: uuid.UUID) -> str | None:
    """The user's GitHub token, or None when there is none that this server can open.

    A token sealed with a previous key is sealed again with the current one.
    """
    row = await conn.fetchrow(
        "SELECT token_key_id, token_ciphertext FROM github_connections WHERE user_id = $1",
        user_id,
    )
    if row is None:
        return None
    cipher = TokenCipher.from_settings(settings)
    if cipher is None:
        log.warning("a GitHub token is stored but DOCSGEN_SECRET_KEY is not set to open it")
        return None
    sealed = Sealed(row["token_key_id"], bytes(row["token_ciphertext"]))
    try:
        token = cipher.open(sealed, user_id)
    except TokenUnreadable as exc:
        log.warning("stored GitHub token of user %s cannot be opened: %s", user_id, exc)
        return None
    if sealed.key_id != cipher.key_id:
        resealed = cipher.seal(token, user_id)
        await conn.execute(
            "UPDATE github_connections SET token_key_id = $2, token_ciphertext = $3 "
            "WHERE user_id = $1 AND token_key_id = $4",
            user_id, resealed.key_id, resealed.ciphertext, sealed.key_id,
        )  # fmt: skip
        log.info("re-encrypted the GitHub token of user %s with the current key", user_id)
    return token


# --- OAuth states ----------------------------------------------------------------


def _state_hash(state: str) -> bytes:
    return hashlib.sha256(state.encode()).digest()


async def create_oauth_state(conn: Conn, user_id: uuid.UUID, ttl_seconds: float) -> str:
    """A new random state bound to ``user_id``; expired states are cleared on the way."""
    state = secrets.token_urlsafe(32)
    await conn.execute("DELETE FROM github_oauth_states WHERE expires_at < now()")
    await conn.execute(
        "INSERT INTO github_oauth_states (state_hash, user_id, expires_at) "
        "VALUES ($1, $2, now() + make_interval(secs => $3))",
        _state_hash(state), user_id, ttl_seconds,
    )  # fmt: skip
    return state


async def consume_oauth_state(conn: Conn, user_id: uuid.UUID, state: str) -> bool:
    """True once for a live state of this user: the check and the deletion are one statement."""
    row = await conn.fetchval(
        "DELETE FROM github_oauth_states WHERE state_hash = $1 AND user_id = $2 "
        "AND expires_at >= now() RETURNING true",
        _state_hash(state),
        user_id,
    )
    return bool(row)
