"""Every SQL statement of the generation job lifecycle, in one place.

The claim is ONE conditional upsert: it returns the new run id, or nothing
when another live run holds the repository, and nothing back *means* 409.
Every later write names the run id (the fencing token) and reports whether it
still owned the row; a run that lost it must stop.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import asyncpg

from docsgen.db import Queryable

STALE_MESSAGE = (
    "Generation stopped unexpectedly (the process running it stopped responding). "
    "It can be retried."
)
SHUTDOWN_MESSAGE = "Generation was interrupted because the service shut down. It can be retried."

# The status as readers must see it: a run whose heartbeat is older than the
# lease reads as failed even before a reaper has written that down.
_STATUS_COLUMNS = """
    d.repository_id,
    CASE WHEN d.status = 'generating' AND d.heartbeat_at < now() - make_interval(secs => $2)
         THEN 'failed' ELSE d.status END AS status,
    d.progress,
    d.current_step,
    CASE WHEN d.status = 'generating' AND d.heartbeat_at < now() - make_interval(secs => $2)
         THEN $3 ELSE d.error_message END AS error_message,
    d.started_at, d.updated_at, d.completed_at, d.commit_sha, d.version
"""


@dataclass(frozen=True)
class DocsStatus:
    """The small row of CONTRACT §5, cheap enough to poll."""

    repository_id: uuid.UUID
    status: str
    progress: int
    current_step: str | None
    error_message: str | None
    started_at: datetime | None
    updated_at: datetime | None
    completed_at: datetime | None
    commit_sha: str | None
    version: int

    @classmethod
    def idle(cls, repository_id: uuid.UUID) -> DocsStatus:
        return cls(repository_id, "idle", 0, None, None, None, None, None, None, 0)

    @classmethod
    def from_record(cls, r: asyncpg.Record) -> DocsStatus:
        return cls(
            r["repository_id"], r["status"], r["progress"], r["current_step"],
            r["error_message"], r["started_at"], r["updated_at"], r["completed_at"],
            r["commit_sha"], r["version"],
        )  # fmt: skip

    def to_json(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.isoformat() if t else None

        return {
            "repository_id": str(self.repository_id),
            "status": self.status,
            "progress": self.progress,
            "current_step": self.current_step,
            "error_message": self.error_message,
            "started_at": iso(self.started_at),
            "updated_at": iso(self.updated_at),
            "completed_at": iso(self.completed_at),
            "commit_sha": self.commit_sha,
        }


@dataclass(frozen=True)
class StoredDocs:
    """The documentation of the last successful run."""

    content: str
    sections: list[dict[str, Any]]
    html: str


async def claim_run(
    conn: Queryable, repository_id: uuid.UUID, lease_seconds: float
) -> uuid.UUID | None:
    """Atomically start a run: the new run id, or None if a live run holds the repository.

    A row that is `generating` with a heartbeat older than the lease belongs to
    a dead process and may be taken over.  The documentation columns are left
    alone, so the last good docs stay readable during the new run.
    """
    run_id = uuid.uuid4()
    claimed: uuid.UUID | None = await conn.fetchval(
        """
        INSERT INTO generated_docs AS d
            (repository_id, run_id, status, progress, current_step, error_message,
             started_at, updated_at, heartbeat_at)
        VALUES ($1, $2, 'generating', 0, 'Initializing...', NULL, now(), now(), now())
        ON CONFLICT (repository_id) DO UPDATE SET
            run_id = EXCLUDED.run_id, status = 'generating', progress = 0,
            current_step = 'Initializing...', error_message = NULL,
            started_at = now(), updated_at = now(), heartbeat_at = now(),
            version = d.version + 1
        WHERE d.status <> 'generating'
           OR d.heartbeat_at < now() - make_interval(secs => $3)
        RETURNING run_id
        """,
        repository_id,
        run_id,
        lease_seconds,
    )
    return claimed


async def lock_claims_of_user(conn: Queryable, user_id: uuid.UUID) -> None:
    """Serialise claims of one user until the transaction ends (for the per-user cap)."""
    await conn.execute("SELECT pg_advisory_xact_lock(hashtextextended($1, 1))", str(user_id))


async def count_live_runs_of_user(conn: Queryable, user_id: uuid.UUID, lease_seconds: float) -> int:
    count: int = await conn.fetchval(
        """
        SELECT count(*) FROM generated_docs d JOIN repositories r ON r.id = d.repository_id
        WHERE r.user_id = $1 AND d.status = 'generating'
          AND d.heartbeat_at >= now() - make_interval(secs => $2)
        """,
        user_id,
        lease_seconds,
    )
    return count


async def update_progress(pool: asyncpg.Pool, run_id: uuid.UUID, progress: int, step: str) -> bool:
    """Record a step of a live run; False if the run no longer owns its row.

    Progress never goes down within a run: a lower value keeps the higher one.
    """
    result = await pool.execute(
        """
        UPDATE generated_docs SET
            progress = GREATEST(progress, $2), current_step = $3,
            updated_at = now(), heartbeat_at = now(), version = version + 1
        WHERE run_id = $1 AND status = 'generating'
        """,
        run_id,
        progress,
        step,
    )
    return result == "UPDATE 1"


async def heartbeat(pool: asyncpg.Pool, run_id: uuid.UUID) -> bool:
    """Prove the run is alive; False if it lost its row (fenced out or reaped)."""
    result = await pool.execute(
        "UPDATE generated_docs SET heartbeat_at = now() "
        "WHERE run_id = $1 AND status = 'generating'",
        run_id,
    )
    return result == "UPDATE 1"


async def complete_run(
    pool: asyncpg.Pool,
    run_id: uuid.UUID,
    *,
    commit_sha: str,
    content: str,
    sections: list[dict[str, Any]],
    html: str,
) -> bool:
    """Store the new documentation and mark the run completed, if it still owns the row."""
    result = await pool.execute(
        """
        UPDATE generated_docs SET
            status = 'completed', progress = 100, current_step = 'Completed',
            error_message = NULL, completed_at = now(), updated_at = now(),
            commit_sha = $2, content = $3, sections = $4, html = $5,
            version = version + 1
        WHERE run_id = $1 AND status = 'generating'
        """,
        run_id,
        commit_sha,
        content,
        sections,
        html,
    )
    return result == "UPDATE 1"


async def fail_run(pool: asyncpg.Pool, run_id: uuid.UUID, message: str) -> bool:
    """Mark the run failed, keeping its progress and the last good docs."""
    result = await pool.execute(
        """
        UPDATE generated_docs SET
            status = 'failed', error_message = $2, updated_at = now(), version = version + 1
        WHERE run_id = $1 AND status = 'generating'
        """,
        run_id,
        message,
    )
    return result == "UPDATE 1"


async def reap_expired_runs(pool: asyncpg.Pool, lease_seconds: float) -> list[uuid.UUID]:
    """Turn runs whose heartbeat is older than the lease to failed; return their repositories."""
    rows = await pool.fetch(
        """
        UPDATE generated_docs SET
            status = 'failed', error_message = $2, updated_at = now(), version = version + 1
        WHERE status = 'generating' AND heartbeat_at < now() - make_interval(secs => $1)
        RETURNING repository_id
        """,
        lease_seconds,
        STALE_MESSAGE,
    )
    return [r["repository_id"] for r in rows]


async def is_generation_in_progress(
    conn: Queryable, repository_id: uuid.UUID, lease_seconds: float
) -> bool:
    """True while a live run holds the repository (a stale one does not count)."""
    status = await read_status(conn, repository_id, lease_seconds)
    return status.status == "generating"


async def read_status(
    conn: Queryable, repository_id: uuid.UUID, lease_seconds: float
) -> DocsStatus:
    row = await conn.fetchrow(
        f"SELECT {_STATUS_COLUMNS} FROM generated_docs d WHERE d.repository_id = $1",
        repository_id,
        lease_seconds,
        STALE_MESSAGE,
    )
    return DocsStatus.from_record(row) if row else DocsStatus.idle(repository_id)


async def read_statuses(
    conn: Queryable, repository_ids: list[uuid.UUID], lease_seconds: float
) -> dict[uuid.UUID, DocsStatus]:
    rows = await conn.fetch(
        f"SELECT {_STATUS_COLUMNS} FROM generated_docs d WHERE d.repository_id = ANY($1::uuid[])",
        repository_ids,
        lease_seconds,
        STALE_MESSAGE,
    )
    found = {r["repository_id"]: DocsStatus.from_record(r) for r in rows}
    return {rid: found.get(rid) or DocsStatus.idle(rid) for rid in repository_ids}


async def read_docs(conn: Queryable, repository_id: uuid.UUID) -> StoredDocs | None:
    row = await conn.fetchrow(
        "SELECT content, sections, html FROM generated_docs "
        "WHERE repository_id = $1 AND content IS NOT NULL",
        repository_id,
    )
    if row is None:
        return None
    return StoredDocs(row["content"], row["sections"] or [], row["html"] or "")
