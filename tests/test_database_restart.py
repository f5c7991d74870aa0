"""PostgreSQL itself stopped and started during a run (not a proxy: the server process).

The server is a private one (the embedded PostgreSQL in the test's folder), so
stopping it disturbs nobody else.  While it is down the API answers 503 at
once; when it is back on the same port the service recovers without a
restart (the pool, and the listener of live progress), and the run that hit
the outage ends ``failed`` with a clear message, after which a new run completes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from docsgen.api.keys import LIVE_HUB, RUN_DEPS
from docsgen.embedded import EmbeddedPostgres
from docsgen.embedded.server import Running
from docsgen.settings import Settings
from tests.support.api import wait_for_runs
from tests.support.outage import DOWN, FAILED_AT_HELD_STEP, held_run
from tests.support.secrets_guard import SecretsGuard


@pytest.fixture
def postgres(tmp_path: Path, secrets_guard: SecretsGuard) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(tmp_path / "postgres", durable=False)
    server.acquire()
    secrets_guard.watch_for(lambda: [server.password_file.read_text().strip()])
    try:
        yield server
    finally:
        server.release()  # stops it (this test is its only user)


def stop(server: EmbeddedPostgres) -> Running:
    """A fast shutdown of the real server: its connections are ended by it."""
    running = server.running()
    assert running is not None
    server._stop(running)
    assert server.running() is None
    return running


def start(server: EmbeddedPostgres, port: int) -> None:
    """The server again, on the port the service knows."""
    started = server._launch(port)
    assert isinstance(started, Running), started


async def test_postgres_stopped_and_started_during_a_run(
    settings: Settings, postgres: EmbeddedPostgres, aiohttp_client: Any, sample_repo: Path
) -> None:
    running = postgres.running()
    assert running is not None
    held = await held_run(settings, postgres.url(running.port), aiohttp_client, sample_repo)
    app, client, auth = held.app, held.client, held.auth
    listener = app[LIVE_HUB].listener
    generation = await asyncio.wait_for(listener.wait_up(), 10)

    await asyncio.to_thread(stop, postgres)
    await asyncio.wait_for(listener.wait_down(), 20)
    for path in (held.status_url, "/api/repositories"):  # bounded: a hang fails the test
        r = await asyncio.wait_for(client.get(path, headers=auth), 20)
        assert (r.status, await r.json()) == (503, DOWN), path
    ready = await asyncio.wait_for(client.get("/readyz"), 20)
    assert ready.status == 503
    assert (await client.get("/healthz")).status == 200, "the process itself is alive"

    held.gate.release.set()  # the run's next write meets the outage
    runs = asyncio.ensure_future(wait_for_runs(app))
    done, _ = await asyncio.wait({runs}, timeout=1.5)
    assert not done, "the run waits for the database to record how it ended"

    await asyncio.to_thread(start, postgres, running.port)
    await asyncio.wait_for(runs, 60)
    assert (await client.get("/readyz")).status == 200  # no restart of the service
    await asyncio.wait_for(listener.wait_up(generation), 30)  # nor of the progress listener
    r = await client.get(held.status_url, headers=auth)
    assert r.status == 200
    status = await r.json()
    assert (status["status"], status["progress"], status["error_message"]) == (
        "failed",
        20,
        FAILED_AT_HELD_STEP,
    )

    app[RUN_DEPS].on_progress.remove(held.gate)
    body = {"repository_id": held.repository_id}
    r = await client.post("/api/generate-docs", json=body, headers=auth)
    assert r.status == 202
    await asyncio.wait_for(wait_for_runs(app), 60)
    assert (await (await client.get(held.status_url, headers=auth)).json())["status"] == "completed"
