"""Each request's id (``X-Request-Id`` in and out), timed once: a log line and its latency."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.ops.logs import REQUEST_ID
from docsgen.ops.metrics import METRICS

log = logging.getLogger("docsgen.access")

HEADER = "X-Request-Id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_REQUEST_ID = web.RequestKey("request_id", str)


def request_id_for(request: web.Request) -> str:
    """The caller's id when it is a sane token, else a new one."""
    given = request.headers.get(HEADER, "")
    return given if _ACCEPTABLE.match(given) else uuid.uuid4().hex


async def timed(
    request: web.Request, handler: Handler, record: Callable[[int, float], None]
) -> web.StreamResponse:
    """Run ``handler``, then ``record(status, seconds)`` whether it answered or raised.

    An HTTP exception counts with its own status, any other exception as 500;
    the exception still propagates.
    """
    started = time.perf_counter()
    status = 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        record(status, time.perf_counter() - started)


def _log_request(request: web.Request, status: int, seconds: float) -> None:
    ms = round(seconds * 1000, 1)
    path = request.rel_url.path
    fields = {"method": request.method, "path": path, "status": status, "duration_ms": ms}
    log.info("%s %s %d %.1fms", request.method, path, status, ms, extra={"fields": fields})


@web.middleware
async def request_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Give the request its id, then time it once for its log line and its latency metric."""
    request_id = request_id_for(request)
    request[_REQUEST_ID] = request_id
    token = REQUEST_ID.set(request_id)

    def record(status: int, seconds: float) -> None:
        _log_request(request, status, seconds)
        metrics = request.app.get(METRICS)
        if metrics is not None:
            metrics.observe_request(request, status, seconds)

    try:
        return await timed(request, handler, record)
    finally:
        REQUEST_ID.reset(token)


async def add_request_id_header(request: web.Request, response: web.StreamResponse) -> None:
    """``on_response_prepare``: also covers streams (SSE) whose headers go out early."""
    request_id = request.get(_REQUEST_ID)
    if request_id is not None:
        response.headers[HEADER] = request_id
