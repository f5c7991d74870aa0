"""Reading request bodies: JSON objects only, at most 64 KiB, with clear errors.

Whatever a client sends, a bad body is a 4xx: JSON nested deeper than
``MAX_JSON_DEPTH`` (which would exhaust the parser's recursion) and strings that
are not Unicode (a lone surrogate, which no encoder or database accepts) are
refused here, once, for every route that reads JSON.
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from aiohttp import web

from docsgen.api.keys import SETTINGS
from docsgen.errors import BadRequest, PayloadTooLarge, RequestTimeout, UnsupportedMediaType

MAX_JSON_BYTES = 64 * 1024
# No body the service reads nests deeper than a few levels; GitHub's payloads stay
# well under this.  Deeper nesting is refused before anything walks it recursively.
MAX_JSON_DEPTH = 64


async def read_limited(request: web.Request, limit: int) -> bytes:
    """The body, refusing anything over ``limit`` bytes without reading it all, and
    any body that takes longer than ``body_timeout_seconds`` to arrive (408)."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit // 1024} KiB")
    seconds = request.app[SETTINGS].body_timeout_seconds
    chunks: list[bytes] = []
    size = 0
    try:
        async with asyncio.timeout(seconds):
            while chunk := await request.content.read(16 * 1024):
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"Request body is larger than {limit // 1024} KiB")
                chunks.append(chunk)
    except TimeoutError:
        raise RequestTimeout(f"The request body did not arrive within {seconds:g} s") from None
    return b"".join(chunks)


async def read_json_object(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Request body must be JSON (Content-Type: application/json)")
    body = parse_json(await read_limited(request, MAX_JSON_BYTES), "Request body")
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object")
    return body


def parse_json(raw: bytes | str, what: str) -> Any:
    """``raw`` as JSON, or ``BadRequest`` naming ``what`` (malformed, too deep, not Unicode)."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise too_deep(what) from None
    except ValueError:  # UnicodeDecodeError included
        raise BadRequest(f"{what} is not valid JSON") from None
    check_json(value, what)
    return value


def check_json(value: Any, what: str) -> None:
    """Refuse a parsed JSON value nested deeper than ``MAX_JSON_DEPTH`` or holding a
    string (or key) that is not valid Unicode.  Walks without recursion."""
    pending: list[tuple[Any, int]] = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item, what)
        elif isinstance(item, dict | list):
            if depth >= MAX_JSON_DEPTH:
                raise too_deep(what)
            if isinstance(item, dict):
                for key in item:
                    _check_text(key, what)
                pending.extend((v, depth + 1) for v in item.values())
            else:
                pending.extend((v, depth + 1) for v in item)


def too_deep(what: str) -> BadRequest:
    return BadRequest(f"{what} is nested too deeply (at most {MAX_JSON_DEPTH} levels)")


def _check_text(text: str, what: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise BadRequest(
            f"{what} holds a string that is not valid Unicode (a lone surrogate)"
        ) from None


def parse_uuid(value: Any, name: str) -> uuid.UUID:
    if value is None:
        raise BadRequest(f"{name} is required")
    if not isinstance(value, str):
        raise BadRequest(f"{name} must be a UUID string")
    try:
        return uuid.UUID(value)
    except ValueError:
        raise BadRequest(f"{name} must be a UUID, got {value[:64]!r}") from None


def required_string(body: dict[str, Any], name: str) -> str:
    value = body.get(name)
    if value is None:
        raise BadRequest(f"{name} is required")
    if not isinstance(value, str) or not value.strip():
        raise BadRequest(f"{name} must be a non-empty string")
    return value.strip()
