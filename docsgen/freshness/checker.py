"""Refreshing the head a status shows, without asking GitHub on every poll.

The status endpoint (polled every 5 s) only reads the row.  Reading a
repository or its docs calls ``check_soon``: a background check, at most one
per repository per ``DOCSGEN_FRESHNESS_CHECK_SECONDS`` across all processes
(the claim is one statement on the row).  ``POST .../docs/check`` calls
``check_now``, which skips the throttle and answers GitHub's errors.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid

from aiohttp import web

from docsgen.db import DATABASE_ERRORS, jobs
from docsgen.db.repositories import Repository
from docsgen.errors import GenerationError
from docsgen.jobs.lifecycle import RunDeps, open_repository_source

log = logging.getLogger(__name__)


class FreshnessChecker:
    def __init__(self, deps: RunDeps) -> None:
        self.deps = deps
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self._closing = False

    def check_soon(self, repository: Repository) -> None:
        """Refresh the head in the background if it is due; never raises, never waits."""
        if self._closing or repository.id in self._tasks:
            return
        task = asyncio.create_task(
            self._check_if_due(repository), name=f"docsgen-head-{repository.id}"
        )
        self._tasks[repository.id] = task
        task.add_done_callback(lambda _: self._tasks.pop(repository.id, None))

    async def check_now(self, repository: Repository) -> None:
        """Refresh the head now (no throttle); GitHub's and git's errors are raised.

        Does nothing while a run is generating (it learns the head itself) or
        when the repository has no docs yet.
        """
        documented = await jobs.claim_head_check(self.deps.pool, repository.id, 0)
        if documented is not None:
            await self._learn(repository, documented)

    async def _check_if_due(self, repository: Repository) -> None:
        interval = self.deps.settings.freshness_check_seconds
        try:
            documented = await jobs.claim_head_check(self.deps.pool, repository.id, interval)
            if documented is not None:
                await self._learn(repository, documented)
        except GenerationError as exc:
            log.info("head of %s not checked: %s", repository.display_name, exc.message)
        except DATABASE_ERRORS as exc:
            log.warning("head of %s not checked: database unavailable: %r", repository.id, exc)
        except Exception:
            log.exception("head check of %s failed", repository.id)

    async def _learn(self, repository: Repository, documented: str) -> None:
        source = await open_repository_source(self.deps, repository)
        head = await source.head_since(documented)
        await jobs.record_head(
            self.deps.pool,
            repository.id,
            documented_sha=documented,
            head_sha=head.sha,
            commits_behind=head.commits_behind,
        )

    async def join(self) -> None:
        """Wait for the checks started so far."""
        while self._tasks:
            await asyncio.wait(list(self._tasks.values()))

    async def close(self) -> None:
        self._closing = True
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


FRESHNESS = web.AppKey("freshness", FreshnessChecker)
