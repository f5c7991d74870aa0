"""The app factory: settings in, a ready ``web.Application`` out.

Resources (database pool, process pool, HTTP client, run registry, reaper) are
opened in ``cleanup_ctx`` and closed in reverse order; nothing happens at
import time.  Runs are finished or failed before the pools close.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from types import ModuleType
from typing import Any

from aiohttp import web

from docsgen.api.bodies import read_limited
from docsgen.api.keys import LIVE_HUB, POOL, RUN_DEPS, SETTINGS
from docsgen.api.limits import STREAM_SLOTS, StreamSlots, rate_limit_middleware
from docsgen.api.middleware import compression_middleware, errors_middleware
from docsgen.api.openapi import OPENAPI_DOCUMENT, document
from docsgen.api.routes import (
    docs,
    events,
    freshness,
    generate,
    github,
    health,
    llms,
    monitoring,
    openapi,
    pages,
    repositories,
    sessions,
    webhooks,
)
from docsgen.db.migrations import apply_migrations
from docsgen.db.pool import create_pool
from docsgen.freshness.checker import FRESHNESS, FreshnessChecker
from docsgen.freshness.pending import run_pending_after, start_pending_forever
from docsgen.jobs.host import hosted_runs
from docsgen.live.hub import Hub
from docsgen.mcp import http as mcp_http
from docsgen.ops import metrics as ops_metrics
from docsgen.ops.requests import add_request_id_header, request_middleware
from docsgen.settings import Settings

log = logging.getLogger(__name__)

# The largest request body (CONTRACT §4: 413 past it), for the API and /mcp alike.
BODY_LIMIT = 64 * 1024

# Every feature's routes; a module may describe its paths in ``OPENAPI_PATHS``.
ROUTE_MODULES: tuple[ModuleType, ...] = (
    health,
    openapi,
    generate,
    repositories,
    llms,  # before docs: its ``…/docs/pages/{slug}.md`` would be taken for a slug there
    docs,
    github,
    events,
    monitoring,
    sessions,
    pages,
    webhooks,
    freshness,
)


def openapi_paths() -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for module in ROUTE_MODULES:
        paths.update(getattr(module, "OPENAPI_PATHS", {}))
    return paths


def create_app(settings: Settings, *, database_url: str | None = None) -> web.Application:
    """Build the service.  ``database_url`` overrides the settings' (embedded database)."""
    dsn = database_url or settings.database_url
    if dsn is None:
        raise ValueError("create_app needs a database URL (DATABASE_URL or the embedded database)")
    app = web.Application(
        middlewares=[
            request_middleware,
            compression_middleware,
            errors_middleware,
            rate_limit_middleware,
        ],
        client_max_size=BODY_LIMIT,
        # An unread body is drained this long at most (aiohttp's default is 10 s)
        # before the connection closes.
        handler_args={"lingering_time": min(10.0, settings.body_timeout_seconds)},
    )
    app.on_response_prepare.append(add_request_id_header)
    app[SETTINGS] = settings
    app[webhooks.UNVERIFIED_BODIES] = asyncio.Semaphore(webhooks.UNVERIFIED_AT_ONCE)
    app[OPENAPI_DOCUMENT] = document(openapi_paths())
    for module in ROUTE_MODULES:
        app.add_routes(module.routes)

    async def database(app: web.Application) -> AsyncIterator[None]:
        pool = await create_pool(dsn, settings)
        async with pool.acquire() as conn:
            await apply_migrations(conn)
        app[POOL] = pool
        yield
        await pool.close()

    async def runs(app: web.Application) -> AsyncIterator[None]:
        async with hosted_runs(settings, app[POOL]) as deps:
            app[RUN_DEPS] = deps
            yield

    async def live(app: web.Application) -> AsyncIterator[None]:
        hub = Hub(app[POOL], dsn, settings)
        await hub.start()
        app[LIVE_HUB] = hub
        yield
        await hub.stop()

    async def stream_slots(app: web.Application) -> AsyncIterator[None]:
        slots = app[STREAM_SLOTS] = StreamSlots(app[POOL], settings)
        await slots.start()
        yield
        await slots.stop()

    async def end_streams(app: web.Application) -> None:
        # Streams end at shutdown, before the server waits for open requests.
        if STREAM_SLOTS in app:
            app[STREAM_SLOTS].stopping()
        if LIVE_HUB in app:
            app[LIVE_HUB].close_subscriptions()

    async def freshness_checks(app: web.Application) -> AsyncIterator[None]:
        deps = app[RUN_DEPS]
        deps.on_finished.append(run_pending_after(deps))
        checker = app[FRESHNESS] = FreshnessChecker(deps)
        pending = asyncio.create_task(start_pending_forever(deps), name="docsgen-pending-runs")
        yield
        pending.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await pending
        await checker.close()

    app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(runs)
    app.cleanup_ctx.append(freshness_checks)
    app.cleanup_ctx.append(live)
    app.cleanup_ctx.append(stream_slots)
    app.on_shutdown.append(end_streams)
    # The documentation as MCP tools for coding assistants (docs/mcp.md).
    mcp_http.install(
        app,
        lambda: app[RUN_DEPS],
        read_body=lambda request: read_limited(request, BODY_LIMIT),
        body_limit=BODY_LIMIT,
    )
    ops_metrics.install(app)
    return app
