"""Reading a repository's documentation and its progress (CONTRACT §5)."""

from __future__ import annotations

import hashlib
import json
import re

from aiohttp import web

from docsgen.api.keys import POOL, SETTINGS
from docsgen.api.routes.repositories import caller_repository
from docsgen.db import jobs
from docsgen.errors import NotFound
from docsgen.freshness.checker import FRESHNESS

routes = web.RouteTableDef()


@routes.get("/api/repositories/{id}/docs/status")
async def status(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    current = await jobs.read_status(
        request.app[POOL], repository.id, request.app[SETTINGS].lease_seconds
    )
    body = json.dumps(current.to_json(), separators=(",", ":")).encode()
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    if etag in _etags(request.headers.get("If-None-Match", "")):
        return web.Response(status=304, headers=headers)
    return web.Response(body=body, content_type="application/json", headers=headers)


def _etags(header: str) -> set[str]:
    return {t.removeprefix("W/") for t in re.findall(r'(?:W/)?"[^"]*"', header)}


@routes.get("/api/repositories/{id}/docs")
async def docs(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    pool = request.app[POOL]
    current = await jobs.read_status(pool, repository.id, request.app[SETTINGS].lease_seconds)
    stored = await jobs.read_docs(pool, repository.id)
    request.app[FRESHNESS].check_soon(repository)  # throttled; never on status polls
    return web.json_response(
        {
            **current.to_json(),
            "content": stored.content if stored else None,
            "sections": stored.sections if stored else [],
            "html": stored.html if stored else None,
        }
    )


@routes.get("/api/repositories/{id}/docs.md")
async def docs_markdown(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    stored = await jobs.read_docs(request.app[POOL], repository.id)
    if stored is None:
        raise NotFound("No documentation has been generated for this repository yet")
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", repository.name).strip("-.")
    return web.Response(
        text=stored.content,
        content_type="text/markdown",
        charset="utf-8",
        headers={"Content-Disposition": f'attachment; filename="{base or "docs"}-docs.md"'},
    )
