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
    RequestTimeout,
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
    RequestTimeout: 408,
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
    response = web.json_response(error.body(), status=status_of(type(error)), headers=error.headers)
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


# Answers worth compressing: JSON, HTML and text; smaller ones cost more than they save.
COMPRESSED_TYPES = frozenset(
    {"application/json", "text/html", "text/markdown", "text/plain", "text/css",
     "application/javascript", "text/javascript"}
)  # fmt: skip
MIN_COMPRESSED_BYTES = 1024


def accepts_gzip(header: str) -> bool:
    """Whether an ``Accept-Encoding`` header accepts gzip (``gzip;q=0`` refuses it)."""
    for item in header.lower().split(","):
        coding, _, params = item.strip().partition(";")
        if coding.strip() not in ("gzip", "x-gzip", "*"):
            continue
        q = params.strip().removeprefix("q=").strip() if "q=" in params else "1"
        try:
            return float(q) > 0
        except ValueError:
            return False
    return False


@web.middleware
async def compression_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """gzip for JSON, HTML and text answers when the client accepts it (CONTRACT §11)."""
    response = await handler(request)
    if not isinstance(response, web.Response) or response.content_type not in COMPRESSED_TYPES:
        return response
    response.headers["Vary"] = "Accept-Encoding"
    body = response.body
    if (
        isinstance(body, bytes)
        and len(body) >= MIN_COMPRESSED_BYTES
        and "Content-Encoding" not in response.headers
        and accepts_gzip(request.headers.get("Accept-Encoding", ""))
    ):
        response.enable_compression(web.ContentCoding.gzip)
    return response
