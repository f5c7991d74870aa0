"""The MCP tools over Streamable HTTP at ``/mcp``, served by the aiohttp app.

aiohttp is not ASGI: a small bridge hands each request to the SDK's session manager
as an ASGI call, and copies its answer back.  The manager runs stateless with JSON
answers: every POST carries one message and gets its answer, nothing is kept between
requests, so any of several processes sharing the database can answer any request.

Only ``Authorization: Bearer <API token>`` authenticates here.  The session cookie is
ignored: a cookie is ambient (a browser sends it to any page's request), and the
tools include one that starts a run, so accepting it would need the page's CSRF
rules; an assistant has a token anyway.  The app's body limits (size, time) hold.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from typing import Any

from aiohttp import web
from mcp.server.mcpserver import Context
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http_manager import StreamableHTTPSessionManager
from mcp.server.transport_security import TransportSecuritySettings

from docsgen.db.accounts import user_for_token
from docsgen.errors import Unauthorized
from docsgen.jobs.lifecycle import RunDeps
from docsgen.mcp.server import build_server

PATH = "/mcp"
# Where the bridge puts the authenticated user's id in the ASGI scope of a request.
USER_IN_SCOPE = "docsgen.user_id"
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="docsgen"'}

Message = MutableMapping[str, Any]


def http_caller(ctx: Context) -> uuid.UUID:
    """The user the request carrying this tool call authenticated as."""
    request = ctx.request_context.request
    user_id = getattr(request, "scope", {}).get(USER_IN_SCOPE)
    if not isinstance(user_id, uuid.UUID):  # every request to /mcp is authenticated first
        raise ToolError("This request is not authenticated")
    return user_id


def install(
    app: web.Application,
    deps: Callable[[], RunDeps],
    *,
    read_body: Callable[[web.Request], Awaitable[bytes]],
    body_limit: int,
) -> None:
    """Serve the tools at ``/mcp`` of ``app``.

    ``deps`` gives the app's run dependencies once it has started; ``read_body`` is how
    the app reads a body (its size limit, ``body_limit``, and its time limit hold).
    """
    server = build_server(deps, http_caller)
    server.streamable_http_app(
        stateless_http=True,
        json_response=True,
        max_request_body_size=body_limit,
        # Bearer tokens only: a rebinding page has no token to send, so the Host and
        # Origin checks (which a reverse proxy's names would trip) add nothing.
        transport_security=TransportSecuritySettings(enable_dns_rebinding_protection=False),
    )
    manager = server.session_manager

    async def handle(request: web.Request) -> web.StreamResponse:
        if request.method != "POST":
            # Stateless: no stream for the server to push on (GET), no session to end
            # (DELETE).  The protocol's answer for both is 405.
            raise web.HTTPMethodNotAllowed(request.method, ["POST"])
        user_id = await _bearer_user(request, deps)
        body = await read_body(request)
        return await _bridge(manager, request, body, user_id)

    async def sessions(app: web.Application) -> AsyncIterator[None]:
        # The manager's task group must open and close in one task: it gets its own.
        started, stop = asyncio.Event(), asyncio.Event()

        async def hold() -> None:
            async with manager.run():
                started.set()
                await stop.wait()

        task = asyncio.create_task(hold(), name="docsgen-mcp-sessions")
        ready = asyncio.create_task(started.wait())
        await asyncio.wait({task, ready}, return_when=asyncio.FIRST_COMPLETED)
        if task.done():
            ready.cancel()
            task.result()  # raises why it stopped
        yield
        stop.set()
        await task

    app.router.add_route("*", PATH, handle)
    app.cleanup_ctx.append(sessions)


async def _bearer_user(request: web.Request, deps: Callable[[], RunDeps]) -> uuid.UUID:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(
            f"{PATH} needs 'Authorization: Bearer <API token>' (a session cookie is not enough)",
            headers=_CHALLENGE,
        )
    user = await user_for_token(deps().pool, token.strip())
    if user is None:
        raise Unauthorized("Invalid API token", headers=_CHALLENGE)
    return user.id


async def _bridge(
    manager: StreamableHTTPSessionManager, request: web.Request, body: bytes, user_id: uuid.UUID
) -> web.StreamResponse:
    """Run one request through the manager's ASGI handler and answer with what it sends."""
    host, port = _server_address(request)
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": f"{request.version.major}.{request.version.minor}",
        "method": request.method,
        "scheme": request.scheme,
        "path": request.path,
        "raw_path": request.raw_path.split("?", 1)[0].encode(),
        "query_string": request.query_string.encode(),
        "root_path": "",
        "headers": [(name.lower(), value) for name, value in request.raw_headers],
        "client": (request.remote or "", 0),
        "server": (host, port),
        "state": {},
        USER_IN_SCOPE: user_id,
    }
    response: web.StreamResponse | None = None
    answered = asyncio.Event()
    body_sent = False

    async def receive() -> Message:
        nonlocal body_sent
        if not body_sent:
            body_sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await answered.wait()  # the client is gone only once the answer is complete
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal response
        if message["type"] == "http.response.start":
            response = web.StreamResponse(status=message["status"])
            for name, value in message.get("headers", []):
                response.headers.add(name.decode("latin-1"), value.decode("latin-1"))
            await response.prepare(request)
        elif message["type"] == "http.response.body":
            assert response is not None, "a body before its start"
            await response.write(message.get("body", b""))
            if not message.get("more_body", False):
                await response.write_eof()
                answered.set()

    try:
        await manager.handle_request(scope, receive, send)
    finally:
        answered.set()
    if response is None:
        raise web.HTTPInternalServerError(text="The MCP handler sent no answer")
    return response


def _server_address(request: web.Request) -> tuple[str, int]:
    with contextlib.suppress(AttributeError, TypeError, ValueError):
        sockname = request.transport.get_extra_info("sockname")  # type: ignore[union-attr]
        return str(sockname[0]), int(sockname[1])
    return request.host, 0
