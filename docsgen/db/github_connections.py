"""Connected GitHub accounts and OAuth states: every SQL statement about them.

Rows hold the token sealed (``docsgen.github.tokens`` seals and opens it);
nothing here sees the token itself.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from docsgen.db import Queryable


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
    conn: Queryable,
    user_id: uuid.UUID,
    *,
    login: str,
    github_user_id: int | None,
    scopes: tuple[str, ...] | None,
    method: str,
    key_id: str,
    ciphertext: bytes,
) -> Connection:
    """Store (or replace) the user's connection with its token sealed under ``key_id``."""
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
        method, key_id, ciphertext,
    )  # fmt: skip
    assert row is not None
    return _from_record(row)


async def get_connection(conn: Queryable, user_id: uuid.UUID) -> Connection | None:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM github_connections WHERE user_id = $1", user_id
    )
    return _from_record(row) if row else None


async def delete_connection(conn: Queryable, user_id: uuid.UUID) -> bool:
    result = await conn.execute("DELETE FROM github_connections WHERE user_id = $1", user_id)
    return bool(result == "DELETE 1")


async def sealed_token(conn: Queryable, user_id: uuid.UUID) -> tuple[str, bytes] | None:
    """The user's token as stored: (the id of the key that sealed it, the ciphertext)."""
    row = await conn.fetchrow(
        "SELECT token_key_id, token_ciphertext FROM github_connections WHERE user_id = $1",
        user_id,
    )
    return (row["token_key_id"], bytes(row["token_ciphertext"])) if row else None


async def reseal_token(
    conn: Queryable, user_id: uuid.UUID, *, old_key_id: str, key_id: str, ciphertext: bytes
) -> None:
    """Replace a token sealed under ``old_key_id``, unless it changed meanwhile."""
    await conn.execute(
        "UPDATE github_connections SET token_key_id = $2, token_ciphertext = $3 "
        "WHERE user_id = $1 AND token_key_id = $4",
        user_id, key_id, ciphertext, old_key_id,
    )  # fmt: skip


# --- OAuth states ----------------------------------------------------------------


def _state_hash(state: str) -> bytes:
    return hashlib.sha256(state.encode()).digest()


async def create_oauth_state(conn: Queryable, user_id: uuid.UUID, ttl_seconds: float) -> str:
    """A new random state bound to ``user_id``; expired states are cleared on the way."""
    state = secrets.token_urlsafe(32)
    await conn.execute("DELETE FROM github_oauth_states WHERE expires_at < now()")
    await conn.execute(
        "INSERT INTO github_oauth_states (state_hash, user_id, expires_at) "
        "VALUES ($1, $2, now() + make_interval(secs => $3))",
        _state_hash(state), user_id, ttl_seconds,
    )  # fmt: skip
    return state


async def consume_oauth_state(conn: Queryable, user_id: uuid.UUID, state: str) -> bool:
    """True once for a live state of this user: the check and the deletion are one statement."""
    row = await conn.fetchval(
        "DELETE FROM github_oauth_states WHERE state_hash = $1 AND user_id = $2 "
        "AND expires_at >= now() RETURNING true",
        _state_hash(state),
        user_id,
    )
    return bool(row)
