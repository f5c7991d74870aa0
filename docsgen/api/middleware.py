"""The one place where errors become HTTP answers."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.db import DATABASE_ERRORS
from docsgen.errors import DocsgenError, ServiceUnavailable

log = logging.getLogger(__name__)


def error_response(error: DocsgenError) -> web.Response:
    response = web.json_response(error.body(), status=error.status, headers=error.headers)
    if error.closes_connection:
        response.force_close()
    return response


@web.middleware
async def errors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except DocsgenError as exc:
        return error_response(exc)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        message = {404: "Not found", 405: "Method not allowed"}.get(exc.status, exc.reason)
        if exc.status == 413:
            message = "Request body is too large"
        response = web.json_response({"error": message}, status=exc.status)
        for name in ("Allow", "Retry-After"):
            if name in exc.headers:
                response.headers[name] = exc.headers[name]
        return response
    except DATABASE_ERRORS as exc:
        log.warning("database unavailable during %s %s: %r", request.method, request.path, exc)
        return error_response(
            ServiceUnavailable("The database is unavailable; try again in a moment")
        )
    except asyncio.CancelledError:
        raise
    except Exception:
        log.exception("unhandled error in %s %s", request.method, request.path)
        return web.json_response({"error": "Internal server error"}, status=500)
