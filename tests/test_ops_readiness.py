"""``/readyz``: ready only with the database reachable and every migration applied; fails fast."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.api.keys import POOL
from docsgen.api.routes.monitoring import READY_TIMEOUT_SECONDS
from docsgen.settings import Settings
from tests.conftest import AiohttpClient
from tests.support.tcp_proxy import TcpProxy, proxy_for


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    async with proxy_for(database_url) as proxy:
        yield proxy


async def test_ready_when_the_database_answers_and_migrations_are_applied(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get("/readyz")
    assert response.status == 200
    assert await response.json() == {"status": "ready"}


async def test_not_ready_while_a_migration_is_pending(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    await app[POOL].execute(
        "DELETE FROM schema_migrations WHERE name = '002_progress_tracking.sql'"
    )
    response = await client.get("/readyz")
    assert response.status == 503
    assert await response.json() == {
        "error": "Database migrations pending: 002_progress_tracking.sql",
        "status": "unavailable",
    }


async def test_not_ready_quickly_while_the_database_is_unreachable_and_ready_again_after(
    settings: Settings, database_url: str, proxy: TcpProxy, aiohttp_client: AiohttpClient
) -> None:
    app = create_app(dataclasses.replace(settings, database_url=proxy.url(database_url)))
    client = await aiohttp_client(app)
    assert (await client.get("/readyz")).status == 200

    proxy.blackhole()  # the pool's connections are gone, new ones hang: the host vanished
    started = time.monotonic()
    response = await client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status == 503
    body = await response.json()
    assert body["status"] == "unavailable"
    assert body["error"].startswith("Database unreachable")
    assert elapsed < READY_TIMEOUT_SECONDS + 2, f"took {elapsed:.1f} s"
    assert (await client.get("/healthz")).status == 200, "the process itself is alive"

    proxy.restore()
    assert (await client.get("/readyz")).status == 200
