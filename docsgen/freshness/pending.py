"""Runs that were asked for and could not start at once: a push during a run, or a
push refused by a run cap.  They start when a run slot frees.

The request lives in the row (``pending_sha``, ``jobs.request_run``), so it
survives the process that received it, and at most one run follows per
repository; the claim of any run of the repository clears it.  A slot frees
when a run ends (a ``RunDeps.on_finished`` hook, in the process that ran it) or
when a dead process's runs are reaped; every process also looks every reaper
interval, which covers a process that ended or died before it could look.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from docsgen.db import DATABASE_ERRORS, jobs
from docsgen.db.repositories import get_repository_any_owner
from docsgen.errors import DocsgenError, GenerationInProgress, TooManyRequests
from docsgen.jobs.lifecycle import Run, RunDeps, start_generation

log = logging.getLogger(__name__)


async def start_pending_runs(deps: RunDeps) -> int:
    """Start what runs were asked for, the oldest first, as far as the caps allow; how many.

    A run its owner's cap still refuses stays asked for; another process may start
    the same one at the same moment (one claim wins, the other gets 409).
    """
    started = 0
    cap = deps.settings.max_runs_per_process
    for repository_id in await jobs.pending_runs(deps.pool, cap):
        if deps.registry.closing or deps.registry.busy() >= cap:
            break
        repository = await get_repository_any_owner(deps.pool, repository_id)
        if repository is None:
            continue  # deleted meanwhile, and its request with it
        try:
            run_id = await start_generation(deps, repository)
        except (GenerationInProgress, TooManyRequests):
            continue
        except DocsgenError as exc:
            log.warning("asked-for run of %s not started: %s", repository.display_name, exc)
            continue
        started += 1
        log.info("run %s started for %s, asked for earlier", run_id, repository.display_name)
    return started


def run_pending_after(deps: RunDeps) -> Callable[[Run, str], Awaitable[None]]:
    """The ``on_finished`` hook: a run that ended freed a slot (its own and its owner's)."""

    async def start_pending(run: Run, outcome: str) -> None:
        # A superseded run's slot went to a newer run; an interrupted one's process is
        # shutting down (another process, or this one's successor, looks soon).
        if outcome not in ("completed", "failed") or deps.registry.closing:
            return
        await start_pending_runs(deps)

    return start_pending


async def start_pending_forever(deps: RunDeps) -> None:
    """Every reaper interval, start asked-for runs whose slot freed without a run ending here."""
    while True:
        await asyncio.sleep(deps.settings.reaper_interval_seconds)
        try:
            await start_pending_runs(deps)
        except DATABASE_ERRORS as exc:
            log.warning("could not look for asked-for runs: %s", exc)
