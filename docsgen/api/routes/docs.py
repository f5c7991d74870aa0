"""Reading a repository's documentation and its progress (CONTRACT §5, §11).

The documentation is read a page at a time: ``GET …/docs`` answers the status,
the table of contents and the first page, a size that does not grow with the
repository; ``GET …/docs/pages/{slug}`` one page, with an ETag so that a
revisit costs a 304; ``GET …/docs/search`` searches in PostgreSQL.  ``docs.md``
is the whole documentation, a download.
"""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from aiohttp import web

from docsgen.api.keys import POOL, SETTINGS
from docsgen.api.routes.repositories import caller_repository
from docsgen.db import jobs
from docsgen.db.pages import read_first_page, read_page, read_toc
from docsgen.db.search import search as search_docs
from docsgen.errors import BadRequest, NotFound
from docsgen.freshness.checker import FRESHNESS

routes = web.RouteTableDef()

MAX_QUERY = 200  # characters of a search query
MAX_LIMIT = 100
DEFAULT_LIMIT = 20
_UNSEARCHABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")


@routes.get("/api/repositories/{id}/docs/status")
async def status(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    current = await jobs.read_status(
        request.app[POOL], repository.id, request.app[SETTINGS].lease_seconds
    )
    return _conditional(request, _json_bytes(current.to_json()))


def _json_bytes(body: Any) -> bytes:
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


def _conditional(request: web.Request, body: bytes, etag: str | None = None) -> web.Response:
    """A JSON answer with an ETag (by default the body's digest); 304 when it matches."""
    etag = etag or '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
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
    request.app[FRESHNESS].check_soon(repository)  # throttled; never on status polls
    async with pool.acquire() as conn, conn.transaction(readonly=True, isolation="repeatable_read"):
        toc = await read_toc(conn, repository.id)
        first = await read_first_page(conn, repository.id)
    if first is None:
        raise NotFound("Documentation not generated yet", **current.to_json())
    body = {**current.to_json(), "pages": [p.to_json() for p in toc], "page": first.to_json()}
    return _conditional(request, _json_bytes(body))


@routes.get("/api/repositories/{id}/docs/pages/{slug}")
async def page(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    found = await read_page(request.app[POOL], repository.id, request.match_info["slug"])
    if found is None:
        raise NotFound("Page not found")
    # What the answer shows is the page's digest and its neighbours: no need to hash it.
    tag = hashlib.sha256(f"{found.digest}/{found.prev}/{found.next}".encode()).hexdigest()
    etag = f'"{tag[:32]}"'
    if etag in _etags(request.headers.get("If-None-Match", "")):
        return web.Response(status=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
    return _conditional(request, _json_bytes(found.to_json()), etag)


@routes.get("/api/repositories/{id}/docs/search")
async def search(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    # Control characters and lone surrogates match nothing and PostgreSQL refuses NUL.
    q = " ".join(_UNSEARCHABLE.sub(" ", request.query.get("q", "")).split())
    if not q:
        raise BadRequest("Give the text to search for in q")
    if len(q) > MAX_QUERY:
        raise BadRequest(f"q is longer than {MAX_QUERY} characters")
    raw = request.query.get("limit", str(DEFAULT_LIMIT))
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    async with request.app[POOL].acquire() as conn:
        results = await search_docs(conn, repository.id, q, int(raw))
    return web.json_response({"results": [r.to_json() for r in results]})


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
