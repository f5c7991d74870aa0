"""The database going away mid-run: 503s instead of hangs, recovery without a restart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from docsgen.settings import Settings
from tests.support.api import wait_for_runs
from tests.support.outage import DOWN, FAILED_AT_HELD_STEP, TIMEOUT_SECONDS, held_run, service_at
from tests.support.tcp_proxy import TcpProxy, proxy_for


@pytest.fixture
async def proxy(database_url: str) -> AsyncIterator[TcpProxy]:
    async with proxy_for(database_url) as proxy:
        yield proxy


async def test_requests_get_503_while_the_database_is_down_and_the_run_continues_after(
    settings: Settings, database_url: str, proxy: TcpProxy, aiohttp_client: Any, sample_repo: Path
) -> None:
    held = await held_run(settings, proxy.url(database_url), aiohttp_client, sample_repo)
    client, auth = held.client, held.auth

    proxy.cut()
    # Bounded waits: a hang fails the test instead of blocking it.
    for method, path, body in [
        ("GET", held.status_url, None),
        ("GET", "/api/repositories", None),
        ("POST", "/api/generate-docs", {"repository_id": held.repository_id}),
    ]:
        r = await asyncio.wait_for(client.request(method, path, json=body, headers=auth), 20)
        assert r.status == 503, (method, path)
        assert await r.json() == DOWN

    proxy.restore()
    held.gate.release.set()  # the database is back before the run's next write: it carries on
    await asyncio.wait_for(wait_for_runs(held.app), 60)

    r = await client.get(held.status_url, headers=auth)  # the pool recovered by itself
    assert r.status == 200
    assert (await r.json())["status"] == "completed"


async def test_a_failure_is_recorded_once_the_database_is_back(
    settings: Settings, database_url: str, proxy: TcpProxy, aiohttp_client: Any, sample_repo: Path
) -> None:
    """The database is still down when the run fails: the failure waits for it."""
    held = await held_run(settings, proxy.url(database_url), aiohttp_client, sample_repo)
    proxy.cut()
    held.gate.release.set()
    runs = asyncio.ensure_future(wait_for_runs(held.app))
    # Let the run hit the outage and start retrying before the database returns.
    done, _ = await asyncio.wait({runs}, timeout=1.5)
    assert not done, "the run must still be waiting to record its failure"
    proxy.restore()
    await asyncio.wait_for(runs, 60)
    status = await (await held.client.get(held.status_url, headers=held.auth)).json()
    assert status["status"] == "failed"
    assert status["error_message"] == FAILED_AT_HELD_STEP
    assert status["progress"] == 20
    retry = await held.client.post(
        "/api/generate-docs", json={"repository_id": held.repository_id}, headers=held.auth
    )
    assert retry.status == 202
    await wait_for_runs(held.app)


async def test_a_silent_partition_gets_503_within_the_database_timeout_not_a_hang(
    settings: Settings, database_url: str, proxy: TcpProxy, aiohttp_client: Any
) -> None:
    """Connections stay open but nothing comes back: statements and pool waits time out.

    Without statement and pool-acquire timeouts, a request would wait on a dead
    connection, and the next ones on the pool, for as long as TCP keeps trying.
    """
    _, client, auth = await service_at(
        settings, proxy.url(database_url), aiohttp_client, pool_max_size=2
    )
    assert (await client.get("/api/repositories", headers=auth)).status == 200

    proxy.freeze()
    started = asyncio.get_running_loop().time()
    # More requests than pooled connections: some wait on the pool, not on a statement.
    answers = await asyncio.wait_for(
        asyncio.gather(*(client.get("/api/repositories", headers=auth) for _ in range(6))), 30
    )
    elapsed = asyncio.get_running_loop().time() - started
    assert [r.status for r in answers] == [503] * 6
    assert all([await r.json() == DOWN for r in answers])
    assert elapsed < 4 * TIMEOUT_SECONDS + 2, f"took {elapsed:.1f} s"

    proxy.restore()
    r = await asyncio.wait_for(client.get("/api/repositories", headers=auth), 30)
    assert r.status == 200  # the pool replaced what timed out by itself
