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
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import asyncpg

from docsgen.db import jobs
from docsgen.db.analysis_cache import PostgresAnalysisCache
from docsgen.db.repositories import Repository, get_repository_any_owner
from docsgen.errors import Conflict, FenceLost, GenerationError, RepositoryNotFound
from docsgen.generator.pipeline import generate
from docsgen.jobs.registry import RunRegistry
from docsgen.render import render_html
from docsgen.settings import Settings
from docsgen.sources.factory import source_for
from docsgen.steps import INITIALIZING, SAVING

log = logging.getLogger(__name__)

is_generation_in_progress = jobs.is_generation_in_progress


@dataclass
class RunDeps:
    """What a run needs from the process that hosts it."""

    settings: Settings
    pool: asyncpg.Pool
    executor: Executor
    registry: RunRegistry
    http: aiohttp.ClientSession
    # Observers called after each recorded step, and when a run ends with its
    # outcome ("completed", "failed", "interrupted", "superseded").
    on_progress: list[Callable[[Run, int, str], Awaitable[None]]] = field(default_factory=list)
    on_finished: list[Callable[[Run, str], Awaitable[None]]] = field(default_factory=list)


class Run:
    """One claimed run: fenced progress writes and the step it is at."""

    def __init__(self, deps: RunDeps, repository: Repository, run_id: uuid.UUID) -> None:
        self.deps = deps
        self.repository = repository
        self.run_id = run_id
        self.progress, self.step = INITIALIZING
        self.fence_lost = False
        self.started = time.monotonic()

    async def update_progress(self, progress: int, step: str) -> None:
        """Write a step; raise ``FenceLost`` if a newer run or the reaper took the row."""
        if not await jobs.update_progress(self.deps.pool, self.run_id, progress, step):
            self.fence_lost = True
            raise FenceLost(f"run {self.run_id} no longer owns its row")
        self.progress, self.step = max(self.progress, progress), step
        for observer in self.deps.on_progress:
            await observer(self, progress, step)


async def start_generation(deps: RunDeps, repository: Repository) -> uuid.UUID:
    """Claim the repository and start a run task; 409 if a live run holds it."""
    try:
        run_id = await jobs.claim_run(deps.pool, repository.id, deps.settings.lease_seconds)
    except asyncpg.ForeignKeyViolationError:
        raise RepositoryNotFound() from None  # deleted between lookup and claim
    if run_id is None:
        raise Conflict(
            "Documentation generation is already in progress",
            repository_id=str(repository.id),
            status="generating",
        )
    deps.registry.spawn(run_id, generate_docs_for_repository(deps, repository.id, run_id))
    return run_id


async def update_progress(run: Run, progress: int, step: str) -> None:
    await run.update_progress(progress, step)


async def _heartbeat(run: Run, main: asyncio.Task[Any]) -> None:
    """Keep the lease alive; if the row was taken from us, stop the run."""
    interval = run.deps.settings.heartbeat_seconds
    while True:
        await asyncio.sleep(interval)
        try:
            alive = await jobs.heartbeat(run.deps.pool, run.run_id)
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            log.warning("heartbeat of run %s failed: %s", run.run_id, exc)
            continue
        if not alive:
            log.warning("run %s lost its lease; stopping it", run.run_id)
            run.fence_lost = True
            main.cancel()
            return


async def generate_docs_for_repository(
    deps: RunDeps, repository_id: uuid.UUID, run_id: uuid.UUID
) -> None:
    """The body of a run task.  It never raises: every outcome is written to the row."""
    outcome = "failed"
    repository = await get_repository_any_owner(deps.pool, repository_id)
    if repository is None:
        await jobs.fail_run(deps.pool, run_id, RepositoryNotFound().message)
        return
    run = Run(deps, repository, run_id)
    me = asyncio.current_task()
    assert me is not None
    beat = asyncio.create_task(_heartbeat(run, me))
    try:
        outcome = await _execute(run)
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
    except Exception as exc:
        log.exception("run %s failed while %s", run_id, run.step)
        await _fail(run, failure_message(run.step, exc))
    finally:
        beat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await beat
        for hook in deps.on_finished:
            try:
                await hook(run, outcome)
            except Exception:
                log.exception("hook after run %s failed", run_id)


def failure_message(step: str, exc: BaseException) -> str:
    """CONTRACT §6's catch-all: ``Failed while <current step>: <reason>``."""
    reason = str(exc).strip() or type(exc).__name__
    step = step.rstrip(".")
    return f"Failed while {step[:1].lower()}{step[1:]}: {reason}"


async def _execute(run: Run) -> str:
    deps = run.deps
    source = await source_for(run.repository, deps)
    snapshot = await source.fetch(run.update_progress)
    cache = PostgresAnalysisCache(deps.pool)
    docs = await generate(snapshot, run.update_progress, deps.executor, cache)
    await run.update_progress(*SAVING)
    html = await asyncio.get_running_loop().run_in_executor(
        deps.executor, render_html, docs.content
    )
    saved = await jobs.complete_run(
        deps.pool,
        run.run_id,
        commit_sha=docs.commit_sha,
        content=docs.content,
        sections=docs.sections_json(),
        html=html,
    )
    if not saved:
        raise FenceLost(f"run {run.run_id} lost its row before saving")
    log.info("run %s completed for %s", run.run_id, run.repository.display_name)
    return "completed"


async def _fail(run: Run, message: str) -> None:
    # Shielded: a failure must be recorded even while the task is being cancelled.
    try:
        await asyncio.shield(jobs.fail_run(run.deps.pool, run.run_id, message))
    except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
        # The reaper will fail the run once its lease runs out.
        log.error("could not record the failure of run %s: %s", run.run_id, exc)


async def reap_forever(deps: RunDeps) -> None:
    """Turn runs of dead processes to failed, every reaper interval, in every process."""
    while True:
        try:
            reaped = await jobs.reap_expired_runs(deps.pool, deps.settings.lease_seconds)
            for repository_id in reaped:
                log.warning(
                    "run of repository %s stopped unexpectedly; marked failed", repository_id
                )
        except (TimeoutError, OSError, asyncpg.PostgresError) as exc:
            log.warning("reaper could not reach the database: %s", exc)
        await asyncio.sleep(deps.settings.reaper_interval_seconds)
