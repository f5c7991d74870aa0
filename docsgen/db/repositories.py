"""Repositories, always scoped to their owner.

Another user's repository and a missing one give the same ``NotFound``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from docsgen.db import Queryable
from docsgen.errors import AlreadyExists, GenerationInProgress, NotFound


@dataclass(frozen=True)
class Repository:
    id: uuid.UUID
    user_id: uuid.UUID
    provider: str
    full_name: str | None
    path: str | None
    created_at: datetime

    @property
    def display_name(self) -> str:
        return self.full_name or self.path or str(self.id)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "provider": self.provider,
            "full_name": self.full_name,
            "path": self.path,
            "created_at": self.created_at.isoformat(),
        }


_COLUMNS = "id, user_id, provider, full_name, path, created_at"


def _from_record(r: asyncpg.Record) -> Repository:
    return Repository(
        r["id"], r["user_id"], r["provider"], r["full_name"], r["path"], r["created_at"]
    )


def source_key(provider: str, full_name: str | None, path: str | None) -> str:
    if provider == "github":
        assert full_name is not None
        return f"github:{full_name.lower()}"
    return f"local:{path}"


async def create_repository(
    conn: Queryable,
    user_id: uuid.UUID,
    provider: str,
    *,
    full_name: str | None = None,
    path: str | None = None,
) -> Repository:
    """Register a repository; registering the same one twice is ``AlreadyExists`` naming it."""
    key = source_key(provider, full_name, path)
    row = await conn.fetchrow(
        f"""
        INSERT INTO repositories (user_id, provider, full_name, path, source_key)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT ON CONSTRAINT repositories_user_source_key DO NOTHING
        RETURNING {_COLUMNS}
        """,
        user_id, provider, full_name, path, key,
    )  # fmt: skip
    if row is None:
        existing = await conn.fetchval(
            "SELECT id FROM repositories WHERE user_id = $1 AND source_key = $2", user_id, key
        )
        raise AlreadyExists("This repository is already registered", id=str(existing))
    return _from_record(row)


async def get_repository(
    conn: Queryable, user_id: uuid.UUID, repository_id: uuid.UUID
) -> Repository:
    row = await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM repositories WHERE id = $1 AND user_id = $2",
        repository_id,
        user_id,
    )
    if row is None:
        raise NotFound("Repository not found")
    return _from_record(row)


async def get_repository_any_owner(conn: Queryable, repository_id: uuid.UUID) -> Repository | None:
    """For a run, which acts for the owner it was started by."""
    row = await conn.fetchrow(f"SELECT {_COLUMNS} FROM repositories WHERE id = $1", repository_id)
    return _from_record(row) if row else None


async def list_repositories(conn: Queryable, user_id: uuid.UUID) -> list[Repository]:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM repositories WHERE user_id = $1 ORDER BY created_at, id", user_id
    )
    return [_from_record(r) for r in rows]


async def delete_repository(
    conn: Queryable,
    user_id: uuid.UUID,
    repository_id: uuid.UUID,
    lease_seconds: float,
) -> None:
    """Delete unless a live run holds it; one statement, so no run can slip in."""
    row = await conn.fetchrow(
        """
        WITH target AS (
            SELECT r.id,
                   COALESCE(d.status = 'generating'
                            AND d.heartbeat_at >= now() - make_interval(secs => $3), false) AS busy
            FROM repositories r LEFT JOIN generated_docs d ON d.repository_id = r.id
            WHERE r.id = $1 AND r.user_id = $2
            FOR UPDATE OF r
        ), deleted AS (
            DELETE FROM repositories WHERE id IN (SELECT id FROM target WHERE NOT busy)
            RETURNING id
        )
        SELECT (SELECT busy FROM target) AS busy, (SELECT count(*) FROM deleted) AS deleted
        """,
        repository_id,
        user_id,
        lease_seconds,
    )
    assert row is not None
    if row["busy"] is None:
        raise NotFound("Repository not found")
    if row["busy"]:
        raise GenerationInProgress(
            "Documentation generation is in progress; wait for it to end before deleting",
            repository_id=str(repository_id),
            status="generating",
        )


async def github_registrations(conn: Queryable, full_name: str) -> list[Repository]:
    """Every registration of the GitHub repository ``owner/name`` (any case), by any user."""
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM repositories WHERE source_key = $1 ORDER BY created_at, id",
        source_key("github", full_name, None),
    )
    return [_from_record(r) for r in rows]
