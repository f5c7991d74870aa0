"""Live progress of a repository's documentation as Server-Sent Events (CONTRACT §5).

Each event is ``progress`` with the status JSON of the status endpoint and
``id`` = the row version.  ``Last-Event-ID`` resumes: only newer states are
sent (the current one at once if it is newer).  The stream ends after a
terminal status; a reconnect that has already seen it gets 204, which makes
EventSource stop.  A comment every keep-alive interval keeps proxies from
closing an idle stream and reveals a client that has gone.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Any, NoReturn

from aiohttp import web

from docsgen.api.keys import LIVE_HUB
from docsgen.api.limits import STREAM_SLOTS
from docsgen.api.openapi import ID_PARAM, SECURED, error_answer, too_many_answer
from docsgen.api.routes.repositories import caller_repository
from docsgen.errors import BadRequest, ServiceUnavailable
from docsgen.live import sse

routes = web.RouteTableDef()

# How long a new subscriber may wait for the first read of its row.
FIRST_STATE_SECONDS = 10.0
# A client with this much unsent data has stopped reading: it is dropped.
# Below it, a small write cannot reach the transport's pause threshold
# (64 KiB), so it never waits and needs no timer; a write that could wait
# gets SEND_TIMEOUT_SECONDS.
STALLED_CLIENT_BYTES = 32 * 1024
SEND_TIMEOUT_SECONDS = 30.0


def last_event_id(request: web.Request) -> int | None:
    """The ``Last-Event-ID`` header as a row version, None if absent; 400 if malformed."""
    raw = request.headers.get("Last-Event-ID")
    if raw is None or raw.strip() == "":
        return None
    text = raw.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        raise BadRequest(
            f"Last-Event-ID must be the id of a progress event (a whole number), got {raw[:40]!r}"
        )
    return int(text)


@routes.get("/api/repositories/{id}/docs/events")
async def events(request: web.Request) -> web.StreamResponse:
    repository = await caller_repository(request)
    resume_after = last_event_id(request)
    # Counted from here to the end (a HEAD too: it answers as the GET would).
    async with request.app[STREAM_SLOTS].hold(repository.user_id):
        return await _stream(request, repository.id, resume_after)


async def _stream(
    request: web.Request, repository_id: uuid.UUID, resume_after: int | None
) -> web.StreamResponse:
    with request.app[LIVE_HUB].subscribe(repository_id) as subscription:
        first = await subscription.first(FIRST_STATE_SECONDS)
        if first is None:
            raise ServiceUnavailable("The progress of this repository cannot be read right now")
        if first.terminal and resume_after is not None and resume_after >= first.version:
            return web.Response(status=204)  # nothing will follow: EventSource stops
        if request.method == "HEAD":
            # The GET's status and headers, and no body: a stream written here
            # would be read by the client as the next answer on its connection.
            return web.Response(headers=sse.HEADERS)
        response = web.StreamResponse(headers=sse.HEADERS)
        await response.prepare(request)
        sent = -1 if resume_after is None else resume_after
        progress: sse.Progress | None = first
        loop = asyncio.get_running_loop()
        try:
            while True:
                if progress is not None:
                    if progress.version > sent:
                        await _write(request, response, progress.frame)
                        subscription.sent(loop.time())
                        sent = progress.version
                        if progress.terminal:
                            break
                elif subscription.closed:
                    break
                else:
                    await _write(request, response, sse.KEEPALIVE)
                    subscription.sent(loop.time())
                progress = await subscription.get()
        except ConnectionResetError:
            return response  # the client left (or stopped reading and was dropped)
    await response.write_eof()
    return response


async def _write(request: web.Request, response: web.StreamResponse, data: bytes) -> None:
    transport = request.transport
    unsent = transport.get_write_buffer_size() if transport is not None else 0
    if unsent > STALLED_CLIENT_BYTES:
        _drop(request)
    if unsent + len(data) <= STALLED_CLIENT_BYTES:
        await response.write(data)
        return
    try:
        async with asyncio.timeout(SEND_TIMEOUT_SECONDS):
            await response.write(data)
    except TimeoutError:
        _drop(request)


def _drop(request: web.Request) -> NoReturn:
    """Abort the connection of a client that stopped reading."""
    if request.transport is not None:
        request.transport.abort()
    raise ConnectionResetError("the client stopped reading")


# One event of the stream (keep-alive comments are not events).
_EVENT = {
    "type": "object",
    "required": ["event", "id", "data"],
    "properties": {
        "event": {"const": "progress"},
        "id": {"type": "string", "pattern": "^[0-9]+$"},
        "data": {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": {"$ref": "#/components/schemas/DocsStatus"},
        },
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/api/repositories/{id}/docs/events": {
        "parameters": [ID_PARAM],
        "get": {
            "summary": "Live progress as Server-Sent Events (event `progress`, id = row version)",
            "description": (
                "Sends the status JSON at once and on every change; a keep-alive comment "
                "every 15 s; the stream ends after `completed` or `failed`. With "
                "`Last-Event-ID`, only newer states are sent, and 204 answers a client "
                "that has already seen the terminal state. A user may have "
                "DOCSGEN_MAX_STREAMS_PER_USER streams open (20 by default), across all "
                "processes; past it, 429 with `Retry-After`."
            ),
            "security": SECURED,
            "parameters": [
                {
                    "name": "Last-Event-ID",
                    "in": "header",
                    "required": False,
                    "description": "The id of the last event seen; empty means none",
                    "schema": {"type": "string", "pattern": "^[0-9]{0,19}$"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The event stream",
                    "content": {"text/event-stream": {"schema": _EVENT}},
                },
                "204": {"description": "The terminal state was already seen; nothing follows"},
                "400": error_answer("Malformed repository id or Last-Event-ID"),
                "401": error_answer("No or bad credentials"),
                "404": error_answer("Unknown repository, or one the caller does not own"),
                "429": too_many_answer(
                    "The caller has DOCSGEN_MAX_STREAMS_PER_USER streams open already"
                ),
                "503": error_answer("Database unavailable or the service is shutting down"),
            },
        },
    }
}
