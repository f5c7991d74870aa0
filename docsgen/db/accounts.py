"""Users and their API tokens.  Only a token's SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass

import asyncpg

from docsgen.db import Queryable
from docsgen.errors import AlreadyExists, InvalidInput, NotFound

TOKEN_PREFIX = "dg_"


@dataclass(frozen=True)
class User:
    id: uuid.UUID
    login: str


def hash_token(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def create_user(conn: Queryable, login: str) -> User:
    try:
        row = await conn.fetchrow(
            "INSERT INTO users (login) VALUES ($1) RETURNING id, login", login
        )
    except asyncpg.UniqueViolationError:
        raise AlreadyExists(f"A user named {login!r} already exists") from None
    except asyncpg.CheckViolationError:
        raise InvalidInput(
            "A login is 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"
        ) from None
    assert row is not None
    return User(row["id"], row["login"])


async def find_user(conn: Queryable, login: str) -> User:
    row = await conn.fetchrow("SELECT id, login FROM users WHERE login = $1", login)
    if row is None:
        raise NotFound(f"No user named {login!r}")
    return User(row["id"], row["login"])


async def issue_token(conn: Queryable, user: User) -> str:
    """Create a new API token for ``user``; the plain token is returned once, never stored."""
    token = new_token()
    await conn.execute(
        "INSERT INTO api_tokens (user_id, token_hash) VALUES ($1, $2)", user.id, hash_token(token)
    )
    return token


async def user_for_token(conn: Queryable, token: str) -> User | None:
    row = await conn.fetchrow(
        "SELECT u.id, u.login FROM api_tokens t JOIN users u ON u.id = t.user_id "
        "WHERE t.token_hash = $1",
        hash_token(token),
    )
    return User(row["id"], row["login"]) if row else None
