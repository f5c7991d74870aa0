"""The runs this process is executing, so shutdown can finish or fail each of them."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class RunRegistry:
    def __init__(self) -> None:
        self._tasks: dict[uuid.UUID, asyncio.Task[None]] = {}
        self.closing = False

    def spawn(self, run_id: uuid.UUID, coro: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coro, name=f"docsgen-run-{run_id}")
        self._tasks[run_id] = task
        task.add_done_callback(lambda t: self._tasks.pop(run_id, None))
        return task

    def __len__(self) -> int:
        return len(self._tasks)

    def busy(self) -> int:
        """Runs in progress, not counting the caller's own (a run ending may start the next)."""
        current = asyncio.current_task()
        return sum(1 for task in self._tasks.values() if task is not current)

    def task(self, run_id: uuid.UUID) -> asyncio.Task[None] | None:
        return self._tasks.get(run_id)

    async def join(self) -> None:
        """Wait until every run started so far has ended."""
        while self._tasks:
            await asyncio.wait(list(self._tasks.values()))

    async def shutdown(self, grace_seconds: float) -> None:
        """Let runs finish for ``grace_seconds``, then cancel the rest (they record a failure)."""
        self.closing = True
        tasks = list(self._tasks.values())
        if not tasks:
            return
        log.info("waiting up to %.0f s for %d run(s) to finish", grace_seconds, len(tasks))
        _, pending = await asyncio.wait(tasks, timeout=grace_seconds)
        for task in pending:
            task.cancel()
        if pending:
            log.warning("cancelled %d run(s) at shutdown", len(pending))
            await asyncio.wait(pending)
