"""One more run after the current one, when a push arrived while it ran.

Registered as a ``RunDeps.on_finished`` hook.  The pending request lives in
the row (``pending_sha``), so at most one run follows, whichever process ran
the first; a run claimed meanwhile clears it (it fetches the new head itself).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from docsgen.db import jobs
from docsgen.errors import DocsgenError
from docsgen.jobs.lifecycle import Run, RunDeps, start_generation

log = logging.getLogger(__name__)


def run_pending_after(deps: RunDeps) -> Callable[[Run, str], Awaitable[None]]:
    async def start_pending(run: Run, outcome: str) -> None:
        # A superseded run's row belongs to a newer run; an interrupted one's
        # process is shutting down (the next claim clears the request).
        if outcome not in ("completed", "failed") or deps.registry.closing:
            return
        pending = await jobs.take_pending(deps.pool, run.run_id)
        if pending is None:
            return
        name = run.repository.display_name
        if pending.sha == pending.documented_sha:
            log.info("push to %s during run %s is already documented", name, run.run_id)
            return
        try:
            new_run = await start_generation(deps, run.repository)
        except DocsgenError as exc:
            log.warning(
                "run for the push to %s during run %s not started: %s",
                name,
                run.run_id,
                exc.message,
            )
            return
        log.info("run %s started for the push to %s during run %s", new_run, name, run.run_id)

    return start_pending
