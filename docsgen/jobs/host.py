"""What a process needs to host runs: the engine and its workers, an HTTP client, the
run registry and the reaper of dead runs.  The server and ``docsgen mcp`` both host
runs, the same way."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

import aiohttp
import asyncpg

from docsgen.db.analysis_cache import PostgresAnalysisCache
from docsgen.generator.engine.pool import analysis_pool
from docsgen.generator.engine.run import Engine
from docsgen.generator.version import CACHE_VERSION
from docsgen.jobs.lifecycle import RunDeps, reap_forever
from docsgen.jobs.registry import RunRegistry
from docsgen.settings import Settings


@contextlib.asynccontextmanager
async def hosted_runs(settings: Settings, pool: asyncpg.Pool) -> AsyncIterator[RunDeps]:
    """Run dependencies for the ``async with`` block; on exit the runs still going
    finish or fail (within the shutdown grace), then the workers stop."""
    executor = analysis_pool(settings.workers)  # its workers start now, not at a run
    # One engine for the process: a regeneration finds what the last run remembered.
    engine = Engine(
        executor,
        PostgresAnalysisCache(pool, version=CACHE_VERSION),
        PostgresAnalysisCache(pool, "section_cache", version=CACHE_VERSION),
    )
    http = aiohttp.ClientSession()
    deps = RunDeps(settings, pool, engine, RunRegistry(), http)
    reaper = asyncio.create_task(reap_forever(deps), name="docsgen-reaper")
    try:
        yield deps
    finally:
        await deps.registry.shutdown(settings.shutdown_grace_seconds)
        reaper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await reaper
        await http.close()
        executor.shutdown(wait=True, cancel_futures=True)
