"""The listener connection dies or goes silent mid-run; subscribers miss nothing that matters."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import LIVE_HUB, POOL, RUN_DEPS
from docsgen.db import jobs
from docsgen.jobs.lifecycle import Run
from docsgen.live.hub import Subscription
from docsgen.settings import Settings
from tests.support.api import register_local, wait_for_runs
from tests.support.live import events_path, next_state, subscribe_many, url_of, wide_session

HOLD_AT = "Fetching repository file tree"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    # Enough pooled connections opened up front to finish a run while the
    # database refuses new ones; quick polls and checks so the tests are short.
    return dataclasses.replace(
        settings,
        pool_min_size=6,
        poll_interval_seconds=0.2,
        listener_check_seconds=0.3,
    )


class Pacer:
    """A run's progress hook: holds the run at one step, and, when pacing, lets
    each step through only once the hub has delivered it (so no state is
    superseded before subscribers see it)."""

    def __init__(self, probe: Subscription, hold_at: str, pace: bool = True) -> None:
        self.probe = probe
        self.hold_at = hold_at
        self.pace = pace
        self.reached = asyncio.Event()
        self.release = asyncio.Event()
        self.steps: list[tuple[int, str]] = []

    async def __call__(self, run: Run, progress: int, step: str) -> None:
        self.steps.append((progress, step))
        if self.pace or not self.reached.is_set():
            while (await next_state(self.probe)).status.current_step != step:
                pass
        if step == self.hold_at:
            self.reached.set()
            await self.release.wait()


async def test_killed_listener_reconnects_and_subscribers_get_every_later_state(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    hub = app[LIVE_HUB]
    with hub.subscribe(uuid.UUID(repo["id"])) as probe:
        await next_state(probe)
        pacer = Pacer(probe, HOLD_AT)
        app[RUN_DEPS].on_progress.append(pacer)
        async with wide_session() as session:
            streams = await subscribe_many(
                session, url_of(client, events_path(repo["id"])), auth, 5
            )
            r = await client.post(
                "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
            )
            assert r.status == 202
            await pacer.reached.wait()

            generation, backend = hub.listener.generation, hub.listener.backend_pid
            assert backend is not None
            assert await app[POOL].fetchval("SELECT pg_terminate_backend($1)", backend)
            assert await asyncio.wait_for(hub.listener.wait_up(generation), 10) > generation
            assert hub.listener.backend_pid not in (None, backend)

            pacer.release.set()
            await wait_for_runs(app)
            sequences = await asyncio.gather(*(s.read_to_end() for s in streams))

    held = pacer.steps.index((40, HOLD_AT))
    later = [(p, s) for p, s in pacer.steps[held + 1 :]] + [(100, "Completed")]
    assert len(later) >= 5  # analysis, two sections, saving, completed
    for events in sequences:
        ids = [e.id for e in events]
        assert ids == sorted(set(ids))
        states = [(e.data["progress"], e.data["current_step"]) for e in events]
        assert states[states.index((40, HOLD_AT)) + 1 :] == later
        assert events[-1].data["status"] == "completed"


@contextlib.asynccontextmanager
async def refusing_connections(admin_url: str, database_url: str) -> AsyncIterator[None]:
    """The database accepts no new connection (existing ones keep working)."""
    name = urlparse(database_url).path.lstrip("/")
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        yield
    finally:
        await admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        await admin.close()


async def test_while_the_listener_cannot_reconnect_polling_delivers_the_final_state(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    sample_repo: Path,
    admin_database_url: str,
    database_url: str,
) -> None:
    repo = await register_local(client, auth, sample_repo)
    hub = app[LIVE_HUB]
    with hub.subscribe(uuid.UUID(repo["id"])) as probe:
        await next_state(probe)
        # Paced only up to the held step: afterwards the run goes as fast as it can.
        pacer = Pacer(probe, HOLD_AT, pace=False)
        app[RUN_DEPS].on_progress.append(pacer)
        async with wide_session() as session:
            streams = await subscribe_many(
                session, url_of(client, events_path(repo["id"])), auth, 5
            )
            r = await client.post(
                "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
            )
            assert r.status == 202
            await pacer.reached.wait()

            generation, backend = hub.listener.generation, hub.listener.backend_pid
            async with refusing_connections(admin_database_url, database_url):
                assert await app[POOL].fetchval("SELECT pg_terminate_backend($1)", backend)
                await asyncio.wait_for(hub.listener.wait_down(), 10)
                pacer.release.set()
                await wait_for_runs(app)
                sequences = await asyncio.gather(*(s.read_to_end() for s in streams))
                # The final state came by polling: the listener never got back meanwhile.
                assert not hub.listener.connected
                assert hub.listener.generation == generation
            # Once the database lets it in again, the listener is back.
            await asyncio.wait_for(hub.listener.wait_up(generation), 10)

    for events in sequences:
        ids = [e.id for e in events]
        assert ids == sorted(set(ids))
        assert events[-1].data["status"] == "completed"
        assert events[-1].data["progress"] == 100
    row = await jobs.read_status(app[POOL], uuid.UUID(repo["id"]), 60)
    assert sequences[0][-1].id == row.version


async def test_a_silent_listener_connection_is_noticed_by_the_liveness_check(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    """A frozen server process answers nothing and closes nothing, like a dead peer."""
    repo = await register_local(client, auth, sample_repo)
    repository_id = uuid.UUID(repo["id"])
    hub = app[LIVE_HUB]
    generation, backend = hub.listener.generation, hub.listener.backend_pid
    assert backend is not None
    with hub.subscribe(repository_id) as probe:
        await next_state(probe)
        os.kill(backend, signal.SIGSTOP)
        try:
            assert await asyncio.wait_for(hub.listener.wait_up(generation), 10) > generation
        finally:
            os.kill(backend, signal.SIGCONT)
        assert hub.listener.backend_pid != backend
        # Notifications flow again on the new connection.
        assert await jobs.claim_run(app[POOL], repository_id, 60) is not None
        assert (await next_state(probe)).status.status == "generating"
