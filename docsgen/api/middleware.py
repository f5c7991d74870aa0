"""The one place where errors become HTTP answers: one table of statuses."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping

from aiohttp import web
from aiohttp.typedefs import Handler

from docsgen.db import DATABASE_ERRORS
from docsgen.errors import (
    AlreadyExists,
    BadRequest,
    DocsgenError,
    Forbidden,
    GenerationError,
    GenerationInProgress,
    GitHubApiFailed,
    GitHubRateLimited,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    RepositoryNotFound,
    ServiceUnavailable,
    TooManyRequests,
    Unauthorized,
    UnsupportedMediaType,
)

log = logging.getLogger(__name__)

# The status of each error; an error not listed takes its nearest listed base's, else 500.
STATUSES: Mapping[type[DocsgenError], int] = {
    BadRequest: 400,
    InvalidInput: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    RepositoryNotFound: 404,
    AlreadyExists: 409,
    GenerationInProgress: 409,
    # A source refuses what a request asked of it (no usable GitHub token, a
    # repository gone): the repository's state, not the request, is at fault.
    GenerationError: 409,
    PayloadTooLarge: 413,
    UnsupportedMediaType: 415,
    TooManyRequests: 429,
    GitHubRateLimited: 429,
    GitHubApiFailed: 502,  # GitHub failed; the message has its status and words
    ServiceUnavailable: 503,
}


def status_of(kind: type[DocsgenError]) -> int:
    return next((STATUSES[c] for c in kind.__mro__ if c in STATUSES), 500)


def error_response(error: DocsgenError) -> web.Response:
    return web.json_response(error.body(), status=status_of(type(error)), headers=error.headers)


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
