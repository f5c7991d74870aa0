"""The generation job lifecycle: claim → progress → complete or fail.

The original design's ``docGenerationService``: ``is_generation_in_progress``,
``update_progress`` and ``generate_docs_for_repository`` keep its names.  A
run is an asyncio task in the process that claimed it; the database row is the
only shared state, and every write is fenced by the run id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg

from docsgen.db import DATABASE_ERRORS, jobs
from docsgen.db.pages import PagesToStore, stored_digests
from docsgen.db.repositories import Repository, get_repository, get_repository_any_owner
from docsgen.errors import (
    FenceLost,
    GenerationError,
    GenerationInProgress,
    RepositoryNotFound,
    TooManyRequests,
    UpToDate,
)
from docsgen.generator import GENERATOR_VERSION
from docsgen.generator.engine.run import Engine
from docsgen.generator.pages import Page
from docsgen.generator.pipeline import generate
from docsgen.github.tokens import load_token
from docsgen.jobs.registry import RunRegistry
from docsgen.jobs.saving import pages_to_store
from docsgen.narrative.client import Usage
from docsgen.narrative.summaries import narrator_for
from docsgen.progress_schedule import INITIALIZING, SAVING
from docsgen.settings import Settings
from docsgen.sources.base import Source
from docsgen.sources.factory import Origin, open_source

log = logging.getLogger(__name__)

is_generation_in_progress = jobs.is_generation_in_progress
RENDER_BATCH_BYTES = 2 * 1024 * 1024  # Markdown rendered by one worker task at most


@dataclass
class RunDeps:
    """What a run needs from the process that hosts it."""

    settings: Settings
    pool: asyncpg.Pool
    engine: Engine  # generates; its worker pool also renders the HTML
    registry: RunRegistry
    http: aiohttp.ClientSession
    # Observers called after each recorded step, and when a run ends with its
    # outcome ("completed", "failed", "interrupted", "superseded").
    on_progress: list[Callable[[Run, int, str], Awaitable[None]]] = field(default_factory=list)
    on_finished: list[Callable[[Run, str], Awaitable[None]]] = field(default_factory=list)


class Run:
    """One claimed run: fenced progress writes and the step it is at."""

    def __init__(
        self, deps: RunDeps, repository: Repository, run_id: uuid.UUID, *, force: bool = False
    ) -> None:
        self.deps = deps
        self.repository = repository
        self.run_id = run_id
        # Regenerate even when the head and generator equal the stored docs'.
        self.force = force
        self.progress, self.step = INITIALIZING
        self.fence_lost = False
        self.started = time.monotonic()
        # What the run spent on summaries by a language model (None: none configured).
        self.model_usage: Usage | None = None

    async def update_progress(self, progress: int, step: str) -> None:
        """Write a step; raise ``FenceLost`` if a newer run or the reaper took the row."""
        if not await jobs.update_progress(self.deps.pool, self.run_id, progress, step):
            self.fence_lost = True
            raise FenceLost(f"run {self.run_id} no longer owns its row")
        self.progress, self.step = max(self.progress, progress), step
        for observer in self.deps.on_progress:
            await observer(self, progress, step)


async def start_generation(
    deps: RunDeps, repository: Repository, *, force: bool = False
) -> uuid.UUID:
    """Claim the repository and start a run task.

    409 if a live run holds the repository (CONTRACT §4); 429 when the owner
    already has their cap of live runs, or this process its cap.  The per-user
    count and the claim happen under a per-user lock, so the cap is exact.
    ``force`` regenerates even when the stored docs are up to date.
    """
    settings = deps.settings
    async with deps.pool.acquire() as conn, conn.transaction():
        await jobs.lock_claims_of_user(conn, repository.user_id)
        if deps.registry.busy() >= settings.max_runs_per_process:
            if not await jobs.is_generation_in_progress(
                conn, repository.id, settings.lease_seconds
            ):
                raise TooManyRequests(
                    "This server is running its maximum of "
                    f"{settings.max_runs_per_process} generations; try again shortly",
                    headers={"Retry-After": "10"},
                )
        running = await jobs.count_live_runs_of_user(
            conn, repository.user_id, settings.lease_seconds
        )
        if running >= settings.max_runs_per_user and not await jobs.is_generation_in_progress(
            conn, repository.id, settings.lease_seconds
        ):
            raise TooManyRequests(
                f"You already have {running} generations running (the limit is "
                f"{settings.max_runs_per_user}); wait for one to finish",
                headers={"Retry-After": "10"},
            )
        try:
            run_id = await jobs.claim_run(conn, repository.id, settings.lease_seconds)
        except asyncpg.ForeignKeyViolationError:
            raise RepositoryNotFound() from None  # deleted between lookup and claim
    if run_id is None:
        raise GenerationInProgress(
            "Documentation generation is already in progress",
            repository_id=str(repository.id),
            status="generating",
        )
    deps.registry.spawn(
        run_id, generate_docs_for_repository(deps, repository.id, run_id, force=force)
    )
    return run_id


async def generate_for_caller(
    deps: RunDeps, user_id: uuid.UUID, repository_id: uuid.UUID, *, force: bool = False
) -> Repository:
    """``POST /api/generate-docs`` for any front door (HTTP, MCP): the caller's repository
    (another user's answers as a missing one) and ``start_generation``'s 202/409 rules
    and caps.  Returns the repository whose run started."""
    repository = await get_repository(deps.pool, user_id, repository_id)
    await start_generation(deps, repository, force=force)
    return repository


def origin_of(repository: Repository) -> Origin:
    """Where a registered repository's files come from."""
    path = Path(repository.path) if repository.path is not None else None
    name = repository.full_name or (path.name if path is not None else "")
    return Origin(repository.provider, name, path)


async def open_repository_source(
    deps: RunDeps, repository: Repository, *, skip_commit: str | None = None
) -> Source:
    """The repository's source adapter, with its owner's GitHub token loaded if it needs one."""
    origin = origin_of(repository)
    token = None
    if origin.needs_github_token:
        token = await load_token(deps.pool, deps.settings, repository.user_id)
    return open_source(origin, deps.settings, deps.http, token=token, skip_commit=skip_commit)


async def update_progress(run: Run, progress: int, step: str) -> None:
    await run.update_progress(progress, step)


async def _heartbeat(run: Run, main: asyncio.Task[Any]) -> None:
    """Keep the lease alive; if the row was taken from us, stop the run."""
    interval = run.deps.settings.heartbeat_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            alive = await jobs.heartbeat(run.deps.pool, run.run_id)
        except DATABASE_ERRORS as exc:
            log.warning("heartbeat of run %s failed: %s", run.run_id, exc)
            continue
        if not alive:
            log.warning("run %s lost its lease; stopping it", run.run_id)
            run.fence_lost = True
            main.cancel()
            return


async def generate_docs_for_repository(
    deps: RunDeps, repository_id: uuid.UUID, run_id: uuid.UUID, *, force: bool = False
) -> None:
    """The body of a run task.  It never raises: every outcome is written to the row."""
    outcome = "failed"
    repository = await get_repository_any_owner(deps.pool, repository_id)
    if repository is None:
        await jobs.fail_run(deps.pool, run_id, RepositoryNotFound().message)
        return
    run = Run(deps, repository, run_id, force=force)
    me = asyncio.current_task()
    assert me is not None
    beat = asyncio.create_task(_heartbeat(run, me))
    try:
        outcome = await _execute_unless_up_to_date(run)
    except FenceLost:
        outcome = "superseded"
        log.warning("run %s stopped: its row belongs to a newer run", run_id)
    except GenerationError as exc:
        await _fail(run, exc.message)
    except asyncio.CancelledError:
        if run.fence_lost:
            outcome = "superseded"
        else:
            outcome = "interrupted"
            await _fail(run, jobs.SHUTDOWN_MESSAGE)
            raise
    except DATABASE_ERRORS as exc:
        log.warning("run %s lost the database while %s: %r", run_id, run.step, exc)
        await _fail(run, failure_message(run.step, DATABASE_UNAVAILABLE))
    except Exception:
        log.exception("run %s failed while %s", run_id, run.step)
        await _fail(run, failure_message(run.step))
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        for hook in deps.on_finished:
            try:
                await hook(run, outcome)
            except Exception:
                log.exception("hook after run %s failed", run_id)


# CONTRACT §6's <reason> for an error nobody foresaw. Its own text may hold paths,
# repository content or internals: that goes to the log, never to the row.
INTERNAL_ERROR = "an internal error occurred (see the service log)"
DATABASE_UNAVAILABLE = "the database became unavailable; try again"


def failure_message(step: str, reason: str = INTERNAL_ERROR) -> str:
    """CONTRACT §6's catch-all: ``Failed while <current step>: <reason>``."""
    step = step.rstrip(".")
    return f"Failed while {step[:1].lower()}{step[1:]}: {reason}"


async def _execute_unless_up_to_date(run: Run) -> str:
    try:
        return await _execute(run)
    except UpToDate as signal:
        return await _complete_up_to_date(run, signal.commit_sha)


async def _complete_up_to_date(run: Run, commit_sha: str) -> str:
    """The head is the stored docs' commit and the generator theirs: nothing to redo."""
    if not await jobs.complete_up_to_date(run.deps.pool, run.run_id, commit_sha):
        raise FenceLost(f"run {run.run_id} lost its row before completing")
    log.info("run %s: %s is already documented", run.run_id, run.repository.display_name)
    return "completed"


async def _execute(run: Run) -> str:
    deps = run.deps
    skip = None
    if not run.force:
        skip = await jobs.up_to_date_commit(deps.pool, run.repository.id, GENERATOR_VERSION)
    source = await open_repository_source(deps, run.repository, skip_commit=skip)
    snapshot = await source.fetch(run.update_progress)
    narrator = narrator_for(deps.settings, deps.http)
    if narrator is not None:  # counted even if the run fails later
        run.model_usage = narrator.usage
    docs = await generate(snapshot, run.update_progress, deps.engine, narrator)
    if docs.narrative is not None:
        log.info("run %s: %s", run.run_id, docs.narrative.line())
    await run.update_progress(*SAVING)
    stored = await stored_digests(deps.pool, run.repository.id)
    saved = await jobs.complete_run(
        deps.pool,
        run.run_id,
        commit_sha=docs.commit_sha,
        content=docs.content,
        pages=await _pages_to_store(deps.engine.executor, docs.pages, stored),
        generator_version=GENERATOR_VERSION,
    )
    if not saved:
        raise FenceLost(f"run {run.run_id} lost its row before saving")
    log.info("run %s completed for %s", run.run_id, run.repository.display_name)
    return "completed"


async def _pages_to_store(
    executor: Executor, pages: Sequence[Page], stored: Mapping[str, str]
) -> PagesToStore:
    """The pages' rows, rendered by the worker processes in batches of similar size."""
    batches: list[list[Page]] = [[]]
    size = 0
    for page in pages:
        if size > RENDER_BATCH_BYTES:
            batches.append([])
            size = 0
        batches[-1].append(page)
        size += len(page.markdown)
    loop = asyncio.get_running_loop()
    done = await asyncio.gather(
        *(loop.run_in_executor(executor, pages_to_store, batch, stored) for batch in batches)
    )
    return PagesToStore(
        tuple(chain.from_iterable(d.pages for d in done)),
        tuple(chain.from_iterable(d.symbols for d in done)),
        tuple(chain.from_iterable(d.text for d in done)),
    )


async def _fail(run: Run, message: str) -> None:
    """Record the failure, retrying while the database is unreachable.

    Shielded: a failure must be recorded even while the task is being
    cancelled.  If the database stays away longer than the lease, the reaper of
    whichever process sees it first records the run as stopped.
    """
    delay = 0.2
    deadline = time.monotonic() + run.deps.settings.lease_seconds
    while True:
        try:
            await asyncio.shield(jobs.fail_run(run.deps.pool, run.run_id, message))
            return
        except DATABASE_ERRORS as exc:
            if time.monotonic() + delay > deadline:
                log.error("could not record the failure of run %s: %s", run.run_id, exc)
                return
            log.warning("recording the failure of run %s must wait: %s", run.run_id, exc)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


async def reap_forever(deps: RunDeps) -> None:
    """Turn runs of dead processes to failed, every reaper interval, in every process."""
    while True:
        try:
            reaped = await jobs.reap_expired_runs(deps.pool, deps.settings.lease_seconds)
            for repository_id in reaped:
                log.warning(
                    "run of repository %s stopped unexpectedly; marked failed", repository_id
                )
        except DATABASE_ERRORS as exc:
            log.warning("reaper could not reach the database: %s", exc)
        await asyncio.sleep(deps.settings.reaper_interval_seconds)
