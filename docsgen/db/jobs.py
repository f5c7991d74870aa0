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
from docsgen.db.pages import NO_PAGES, STORE_TIMEOUT, PagesToStore, store_pages
from docsgen.progress_schedule import UP_TO_DATE

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
    d.started_at, d.updated_at, d.completed_at, d.commit_sha, d.version,
    d.head_sha, d.commits_behind
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
    # The default branch's head as last learned, and how many commits the docs are
    # behind it (None: not known).  See docs/freshness.md for when they are refreshed.
    head_sha: str | None = None
    commits_behind: int | None = None

    @classmethod
    def idle(cls, repository_id: uuid.UUID) -> DocsStatus:
        return cls(repository_id, "idle", 0, None, None, None, None, None, None, 0)

    @classmethod
    def from_record(cls, r: asyncpg.Record) -> DocsStatus:
        return cls(
            r["repository_id"], r["status"], r["progress"], r["current_step"],
            r["error_message"], r["started_at"], r["updated_at"], r["completed_at"],
            r["commit_sha"], r["version"], r["head_sha"], r["commits_behind"],
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
            "head_sha": self.head_sha,
            "commits_behind": self.commits_behind,
        }


@dataclass(frozen=True)
class StoredDocs:
    """The documentation of the last successful run, whole (its pages: ``db.pages``)."""

    content: str


async def claim_run(
    conn: Queryable, repository_id: uuid.UUID, lease_seconds: float
) -> uuid.UUID | None:
    """Atomically start a run: the new run id, or None if a live run holds the repository.

    A row that is `generating` with a heartbeat older than the lease belongs to
    a dead process and may be taken over.  The documentation columns are left
    alone, so the last good docs stay readable during the new run.  A pending
    run (``request_run``) is cleared: this run fetches the current head anyway.
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
            pending_sha = NULL, pending_at = NULL, version = d.version + 1
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
    pages: PagesToStore = NO_PAGES,
    generator_version: str | None = None,
) -> bool:
    """Store the new documentation and mark the run completed, if it still owns the row.

    One transaction: the row, the pages, their symbols and the text search reads
    (``docsgen.db.pages``) change together, so that search never disagrees with
    the docs and a run that fails or loses its row changes none of them.

    The run has just read the head, so the docs are current, unless a push
    arrived meanwhile (``pending_sha``): then the head is that push's and the
    count is unknown until checked.  A push of the commit just documented asks
    for nothing more.
    """
    async with pool.acquire() as conn, conn.transaction():
        repository_id = await conn.fetchval(
            """
            UPDATE generated_docs SET
                status = 'completed', progress = 100, current_step = 'Completed',
                error_message = NULL, completed_at = now(), updated_at = now(),
                commit_sha = $2, content = $3, sections = NULL, html = NULL,
                generator_version = $4,
                head_sha = COALESCE(pending_sha, $2),
                commits_behind = CASE WHEN COALESCE(pending_sha, $2) = $2 THEN 0 END,
                head_checked_at = CASE WHEN COALESCE(pending_sha, $2) = $2 THEN now() END,
                pending_sha = NULLIF(pending_sha, $2),
                pending_at = CASE WHEN pending_sha = $2 THEN NULL ELSE pending_at END,
                version = version + 1
            WHERE run_id = $1 AND status = 'generating'
            RETURNING repository_id
            """,
            run_id,
            commit_sha,
            content,
            generator_version,
            timeout=STORE_TIMEOUT,
        )
        if repository_id is None:
            return False
        await store_pages(conn, repository_id, pages)
    return True


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
    content: str | None = await conn.fetchval(
        "SELECT content FROM generated_docs WHERE repository_id = $1 AND content IS NOT NULL",
        repository_id,
    )
    return StoredDocs(content) if content is not None else None


# --- freshness: up-to-date runs, the pending run, the head (docs/freshness.md) ----


async def up_to_date_commit(
    conn: Queryable, repository_id: uuid.UUID, generator_version: str
) -> str | None:
    """The commit of the stored docs if this generator version wrote them, as pages (docs
    stored before there were pages are generated again), else None."""
    sha: str | None = await conn.fetchval(
        """
        SELECT commit_sha FROM generated_docs d
        WHERE repository_id = $1 AND content IS NOT NULL AND generator_version = $2
          AND EXISTS (SELECT 1 FROM doc_pages p WHERE p.repository_id = d.repository_id)
        """,
        repository_id,
        generator_version,
    )
    return sha


async def complete_up_to_date(pool: asyncpg.Pool, run_id: uuid.UUID, commit_sha: str) -> bool:
    """End a run whose head is the stored docs' commit: completed, the docs untouched.

    ``completed_at`` keeps the time the docs were produced; ``commit_sha`` must
    still be the stored one (a newer run could not have written it: the row is ours).
    """
    result = await pool.execute(
        """
        UPDATE generated_docs SET
            status = 'completed', progress = 100, current_step = $3,
            error_message = NULL, updated_at = now(),
            head_sha = COALESCE(pending_sha, commit_sha),
            commits_behind = CASE WHEN COALESCE(pending_sha, commit_sha) = commit_sha THEN 0 END,
            head_checked_at = CASE WHEN COALESCE(pending_sha, commit_sha) = commit_sha
                                   THEN now() END,
            pending_sha = NULLIF(pending_sha, commit_sha),
            pending_at = CASE WHEN pending_sha = commit_sha THEN NULL ELSE pending_at END,
            version = version + 1
        WHERE run_id = $1 AND status = 'generating' AND commit_sha = $2
        """,
        run_id,
        commit_sha,
        UP_TO_DATE[1],
    )
    return result == "UPDATE 1"


async def request_run(conn: Queryable, repository_id: uuid.UUID, sha: str) -> None:
    """Ask for a run of the repository at ``sha``, kept until a run is claimed.

    Recorded before a run is tried, so that it is never lost: the claim of any run
    of the repository clears it (that run fetches the current head anyway); until
    then, a live run's end or a freed run slot starts one (``pending_runs``).  At
    most one request per repository: a later push overwrites the SHA, and the
    request keeps its place in the line.
    """
    await conn.execute(
        """
        INSERT INTO generated_docs AS d (repository_id, pending_sha, pending_at)
        VALUES ($1, $2, now())
        ON CONFLICT (repository_id) DO UPDATE SET
            pending_sha = EXCLUDED.pending_sha,
            pending_at = COALESCE(d.pending_at, EXCLUDED.pending_at)
        """,
        repository_id,
        sha,
    )


async def pending_runs(conn: Queryable, limit: int) -> list[uuid.UUID]:
    """Repositories with a run requested and none in progress, the oldest request first."""
    rows = await conn.fetch(
        """
        SELECT repository_id FROM generated_docs
        WHERE pending_sha IS NOT NULL AND status <> 'generating'
        ORDER BY pending_at
        LIMIT $1
        """,
        limit,
    )
    return [r["repository_id"] for r in rows]


async def record_pushed_head(conn: Queryable, repository_id: uuid.UUID, sha: str) -> None:
    """A push moved the head to ``sha``: the count is unknown until the next check."""
    await conn.execute(
        """
        UPDATE generated_docs SET
            head_sha = $2,
            commits_behind = CASE WHEN commit_sha = $2 THEN 0 END,
            head_checked_at = NULL, version = version + 1
        WHERE repository_id = $1 AND head_sha IS DISTINCT FROM $2
        """,
        repository_id,
        sha,
    )


async def claim_head_check(
    conn: Queryable, repository_id: uuid.UUID, min_age_seconds: float
) -> str | None:
    """Claim the right to learn the head: the docs' commit, or None when not due.

    Due when there are docs, no run is generating (it will learn the head
    itself), and no process set out to check in the last ``min_age_seconds``.
    One statement, so of several processes reading at once only one checks.
    """
    sha: str | None = await conn.fetchval(
        """
        UPDATE generated_docs SET head_checked_at = now()
        WHERE repository_id = $1 AND content IS NOT NULL AND commit_sha IS NOT NULL
          AND status <> 'generating'
          AND (head_checked_at IS NULL
               OR head_checked_at <= now() - make_interval(secs => $2))
        RETURNING commit_sha
        """,
        repository_id,
        min_age_seconds,
    )
    return sha


async def record_head(
    conn: Queryable,
    repository_id: uuid.UUID,
    *,
    documented_sha: str,
    head_sha: str,
    commits_behind: int | None,
) -> bool:
    """Store a learned head, unless the docs changed meanwhile (the count would be wrong).

    True when the row changed.
    """
    result = await conn.execute(
        """
        UPDATE generated_docs SET head_sha = $3, commits_behind = $4, version = version + 1
        WHERE repository_id = $1 AND commit_sha = $2
          AND (head_sha IS DISTINCT FROM $3 OR commits_behind IS DISTINCT FROM $4)
        """,
        repository_id,
        documented_sha,
        head_sha,
        commits_behind,
    )
    return result == "UPDATE 1"
