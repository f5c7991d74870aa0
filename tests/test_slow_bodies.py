"""A request body that trickles in cannot hold a connection (issue 14, item 5).

Over real sockets, 20 connections send their headers and then one byte of the
body every 0.2 s, on routes that read a body (signed in or not, and the
webhook) and on one that refuses before reading it.  With a body timeout of
1 s, each is answered (408, or the refusal) and closed by the server within the
bound: the timeout, then at most as long again draining the unread body.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from docsgen.settings import Settings

Client = TestClient[Any, Any]

BODY_TIMEOUT = 1.0
# Answered at the timeout, closed after at most as long again of draining; plus slack
# for a loaded machine.  Without the timeout the connections stay open for good.
CLOSED_WITHIN = 2 * BODY_TIMEOUT + 5.0


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return dataclasses.replace(
        settings, body_timeout_seconds=BODY_TIMEOUT, github_webhook_secret="webhook-secret"
    )


async def trickle(
    client: Client, method: str, path: str, headers: dict[str, str]
) -> tuple[str, bytes]:
    """Send the headers and then a byte every 0.2 s; the server's whole answer, up to
    its closing the connection (``TimeoutError`` if it does not within the bound)."""
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    writer.write(
        f"{method} {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
        f"Content-Length: 1000\r\n{head}\r\n{{".encode()
    )

    async def drip() -> None:
        with contextlib.suppress(ConnectionError):
            while True:
                await writer.drain()
                await asyncio.sleep(0.2)
                writer.write(b" ")

    dripping = asyncio.create_task(drip())
    answer = b""
    try:
        async with asyncio.timeout(CLOSED_WITHIN):
            # A close with our unsent bytes unread on its side reaches us as a reset.
            with contextlib.suppress(ConnectionResetError):
                while chunk := await reader.read(64 * 1024):
                    answer += chunk
    finally:
        dripping.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await dripping
        writer.close()
    return f"{method} {path}", answer


async def test_slow_bodies_are_answered_and_closed_within_the_bound(
    client: Client, auth: dict[str, str]
) -> None:
    signed = {
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": "d-1",
        "X-Hub-Signature-256": "sha256=" + "0" * 64,
    }
    reading = [
        ("POST", "/api/session", {}),
        ("POST", "/api/csp-report", {}),
        ("POST", "/api/generate-docs", auth),
        ("POST", "/api/repositories", auth),
        ("PUT", "/api/github/connection", auth),
        ("POST", "/webhooks/github", signed),
    ]
    refusing = [("POST", "/api/generate-docs", {})]  # 401 before the body is read
    calls = [reading[i % len(reading)] for i in range(17)] + refusing * 3
    assert len(calls) == 20
    answers = await asyncio.gather(*(trickle(client, m, p, h) for m, p, h in calls))
    for (route, answer), call in zip(answers, calls, strict=True):
        if call in refusing:
            assert answer.startswith(b"HTTP/1.1 401 "), (route, answer)
            continue
        assert answer.startswith(b"HTTP/1.1 408 "), (route, answer)
        assert b"\r\nConnection: close\r\n" in answer, (route, answer)
        assert answer.endswith(b'{"error": "The request body did not arrive within 1 s"}'), (
            route,
            answer,
        )
