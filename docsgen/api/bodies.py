"""Reading request bodies: JSON objects only, at most 64 KiB, with clear errors."""

from __future__ import annotations

import json
import uuid
from typing import Any

from aiohttp import web

from docsgen.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType

MAX_JSON_BYTES = 64 * 1024


async def read_limited(request: web.Request, limit: int) -> bytes:
    """The body, refusing anything over ``limit`` bytes without reading it all."""
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(f"Request body is larger than {limit // 1024} KiB")
    chunks: list[bytes] = []
    size = 0
    while chunk := await request.content.read(16 * 1024):
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"Request body is larger than {limit // 1024} KiB")
        chunks.append(chunk)
    return b"".join(chunks)


async def read_json_object(request: web.Request) -> dict[str, Any]:
    if request.content_type != "application/json":
        raise UnsupportedMediaType("Request body must be JSON (Content-Type: application/json)")
    raw = await read_limited(request, MAX_JSON_BYTES)
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("Request body is not valid JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("Request body must be a JSON object")
    return body


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
