"""Helpers for the live-progress tests: many SSE subscribers, and the hub's own view."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient

from docsgen.live.hub import Subscription
from docsgen.live.sse import Progress
from tests.support.sse import EventStream, open_stream


def events_path(repository_id: str) -> str:
    return f"/api/repositories/{repository_id}/docs/events"


@contextlib.asynccontextmanager
async def wide_session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session without the default 100-connection limit."""
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        yield session


async def subscribe_many(
    session: aiohttp.ClientSession, url: str, headers: dict[str, str], count: int
) -> list[EventStream]:
    """Open ``count`` streams and read the first event of each (so all are subscribed)."""

    async def one() -> EventStream:
        stream = await open_stream(session, url, headers)
        assert stream.response.status == 200, await stream.response.text()
        assert await stream.next_event() is not None
        return stream

    return list(await asyncio.gather(*(one() for _ in range(count))))


async def next_state(probe: Subscription, wait_seconds: float = 10) -> Progress:
    """The next state the hub delivers to an in-process subscriber (fails after a while)."""
    async with asyncio.timeout(wait_seconds):
        while (progress := await probe.get()) is None:  # None: a keep-alive tick
            assert not probe.closed
    return progress


def url_of(client: TestClient[Any, Any], path: str) -> str:
    return str(client.make_url(path))
