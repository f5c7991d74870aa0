"""``/readyz``: ready only with the database reachable and every migration applied; fails fast."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import urlparse, urlunparse

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.api.keys import POOL
from docsgen.ops.routes import READY_TIMEOUT_SECONDS
from docsgen.settings import Settings
from tests.conftest import AiohttpClient
from tests.support.tcpproxy import TcpProxy


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    parts = urlparse(database_url)
    started = await TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5432).start()
    yield started
    await started.close()


def _through(database_url: str, proxy: TcpProxy) -> str:
    parts = urlparse(database_url)
    netloc = parts.netloc.rsplit("@", 1)
    host = f"127.0.0.1:{proxy.port}"
    return urlunparse(parts._replace(netloc=f"{netloc[0]}@{host}" if len(netloc) == 2 else host))


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
    app = create_app(dataclasses.replace(settings, database_url=_through(database_url, proxy)))
    client = await aiohttp_client(app)
    assert (await client.get("/readyz")).status == 200

    proxy.mode = "blackhole"  # new connections hang, as to a host that vanished
    proxy.cut()  # and the pool's open connections are gone
    started = time.monotonic()
    response = await client.get("/readyz")
    elapsed = time.monotonic() - started
    assert response.status == 503
    body = await response.json()
    assert body["status"] == "unavailable"
    assert body["error"].startswith("Database unreachable")
    assert elapsed < READY_TIMEOUT_SECONDS + 2, f"took {elapsed:.1f} s"
    assert (await client.get("/healthz")).status == 200, "the process itself is alive"

    proxy.mode = "forward"
    assert (await client.get("/readyz")).status == 200
