"""Browser sessions and one-time sign-in links.  Only SHA-256 digests are stored.

A sign-in token is spent by the one statement that deletes it, so a link can
open at most one session even when two requests race; expired rows are pruned
whenever new ones are written.
"""

from __future__ import annotations

import secrets
from datetime import datetime

import asyncpg

from docsgen.db.accounts import User, hash_token

SIGNIN_PREFIX = "dgs_"


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


async def create_signin_token(
    conn: asyncpg.Connection | asyncpg.Pool, user: User, lifetime_seconds: float
) -> str:
    """A new single-use sign-in token for ``user``; the plain token is returned once."""
    token = new_secret(SIGNIN_PREFIX)
    await conn.execute("DELETE FROM signin_tokens WHERE expires_at < now()")
    await conn.execute(
        "INSERT INTO signin_tokens (token_hash, user_id, expires_at) "
        "VALUES ($1, $2, now() + make_interval(secs => $3))",
        hash_token(token),
        user.id,
        lifetime_seconds,
    )
    return token


async def spend_signin_token(conn: asyncpg.Connection | asyncpg.Pool, token: str) -> User | None:
    """The token's user, deleting the token; None if it is unknown, used or expired."""
    row = await conn.fetchrow(
        """
        WITH spent AS (
            DELETE FROM signin_tokens WHERE token_hash = $1 RETURNING user_id, expires_at
        )
        SELECT u.id, u.login FROM spent JOIN users u ON u.id = spent.user_id
        WHERE spent.expires_at > now()
        """,
        hash_token(token),
    )
    return User(row["id"], row["login"]) if row else None


async def create_session(
    conn: asyncpg.Connection | asyncpg.Pool, user: User, lifetime_seconds: float
) -> tuple[str, datetime]:
    """A new session for ``user``: its plain id (for the cookie) and when it expires."""
    session_id = new_secret()
    await conn.execute("DELETE FROM sessions WHERE expires_at < now()")
    expires_at: datetime = await conn.fetchval(
        "INSERT INTO sessions (id_hash, user_id, expires_at) "
        "VALUES ($1, $2, now() + make_interval(secs => $3)) RETURNING expires_at",
        hash_token(session_id),
        user.id,
        lifetime_seconds,
    )
    return session_id, expires_at


async def user_for_session(conn: asyncpg.Connection | asyncpg.Pool, session_id: str) -> User | None:
    row = await conn.fetchrow(
        "SELECT u.id, u.login FROM sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.id_hash = $1 AND s.expires_at > now()",
        hash_token(session_id),
    )
    return User(row["id"], row["login"]) if row else None


async def end_session(conn: asyncpg.Connection | asyncpg.Pool, session_id: str) -> bool:
    """Delete the session; False if there was none."""
    result = await conn.execute("DELETE FROM sessions WHERE id_hash = $1", hash_token(session_id))
    return bool(result == "DELETE 1")
