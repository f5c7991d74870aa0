"""Fan-out: many subscribers of one repository, one row read per notification (CONTRACT §5)."""

from __future__ import annotations

import asyncio
import dataclasses
import socket
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import LIVE_HUB, POOL
from docsgen.db import jobs
from docsgen.settings import Settings
from tests.support.api import register_local
from tests.support.live import events_path, next_state, subscribe_many, url_of, wide_session

SUBSCRIBERS = 500
STEPS = [
    (20, "Fetching repository metadata"),
    (30, "Fetching GitHub authentication"),
    (40, "Fetching repository file tree"),
    (50, "Analyzing code structure"),
    (65, "Generating documentation: Overview..."),
    (80, "Generating documentation: Project Structure..."),
    (90, "Saving documentation"),
]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, sse_keepalive_seconds=0.2, max_streams_per_user=SUBSCRIBERS
    )


async def test_500_subscribers_get_the_same_ordered_sequence_from_one_read_per_notification(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    repository_id = uuid.UUID(repo["id"])
    hub = app[LIVE_HUB]
    pool = app[POOL]
    with hub.subscribe(repository_id) as probe:
        # The probe paces the writes: each write is delivered before the next one,
        # so every state is a distinct event and the counts below are exact.
        assert (await next_state(probe)).status.status == "idle"
        async with wide_session() as session:
            streams = await subscribe_many(
                session, url_of(client, events_path(repo["id"])), auth, SUBSCRIBERS
            )
            assert hub.subscriber_count == SUBSCRIBERS + 1

            writes = 0
            run_id = await jobs.claim_run(pool, repository_id, 60)
            assert run_id is not None
            writes += 1
            await next_state(probe)
            for progress, step in STEPS:
                assert await jobs.heartbeat(pool, run_id)  # no version bump: no notification
                assert await jobs.update_progress(pool, run_id, progress, step)
                writes += 1
                assert (await next_state(probe)).status.current_step == step
            assert await jobs.complete_run(pool, run_id, commit_sha="c" * 40, content="# x\n")
            writes += 1
            assert (await next_state(probe)).terminal

            sequences = await asyncio.gather(*(s.read_to_end() for s in streams))
        notifications, reads = hub.counters(repository_id)

    expected = [
        (0, "idle", 0, None),
        (1, "generating", 0, "Initializing..."),
        *[(2 + i, "generating", p, s) for i, (p, s) in enumerate(STEPS)],
        (2 + len(STEPS), "completed", 100, "Completed"),
    ]
    for events in sequences:
        assert [e.event for e in events] == ["progress"] * len(expected)
        assert [e.state for e in events] == expected
    # Every subscriber got the very same bytes' worth of information.
    assert all(s == sequences[0] for s in sequences)
    # One notification per visible write (heartbeats send none), and one row
    # read per notification for this process, plus the first read when the
    # repository started being watched: 501 subscribers changed nothing.
    assert notifications == writes
    assert reads == notifications + 1
    assert hub.subscriber_count == 0


async def test_a_subscriber_that_leaves_is_dropped_at_the_next_keepalive(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    hub = app[LIVE_HUB]
    async with wide_session() as session:
        streams = await subscribe_many(session, url_of(client, events_path(repo["id"])), auth, 3)
        assert hub.subscriber_count == 3
        for stream in streams:
            stream.close()
        await asyncio.wait_for(hub.wait_unwatched(uuid.UUID(repo["id"])), 10)
    assert hub.subscriber_count == 0


async def test_a_subscriber_that_stops_reading_is_dropped_not_buffered_for(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    repository_id = uuid.UUID(repo["id"])
    hub = app[LIVE_HUB]
    pool = app[POOL]
    run_id = await jobs.claim_run(pool, repository_id, 60)
    assert run_id is not None
    with hub.subscribe(repository_id) as probe:
        await next_state(probe)
        # A client that sends its request and then never reads a byte.
        stalled = socket.socket()
        stalled.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        stalled.setblocking(False)
        try:
            await asyncio.get_running_loop().sock_connect(stalled, (client.host, client.port))
            request = (
                f"GET {events_path(repo['id'])} HTTP/1.1\r\nHost: {client.host}\r\n"
                f"Authorization: {auth['Authorization']}\r\n\r\n"
            )
            await asyncio.get_running_loop().sock_sendall(stalled, request.encode())
            # Keep writing (each write delivered before the next) until the
            # stalled subscriber has joined and then been dropped.
            joined, writes = False, 0
            while not joined or hub.subscriber_count == 2:
                joined = joined or hub.subscriber_count == 2
                assert writes < 2000, "the stalled subscriber was never dropped"
                step = f"Generating documentation: {'x' * 20_000} {writes}..."
                assert await jobs.update_progress(pool, run_id, 60, step)
                writes += 1
                assert (await next_state(probe)).status.current_step == step
        finally:
            stalled.close()
    # Dropped after its unsent data passed the limit; the service kept serving.
    assert hub.subscriber_count == 0
