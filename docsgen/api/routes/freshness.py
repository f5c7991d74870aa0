"""``POST /api/repositories/{id}/docs/check``: learn the head now (docs/freshness.md).

The explicit form of the background check that reading a repository starts:
no throttle, and the source's errors are answered (a missing GitHub token is
409, GitHub's rate limit 429, its failures 502).  Answers the status.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from docsgen.api.keys import POOL, SETTINGS
from docsgen.api.openapi import SECURED
from docsgen.api.routes.repositories import caller_repository
from docsgen.db import jobs
from docsgen.freshness.checker import FRESHNESS

routes = web.RouteTableDef()


@routes.post("/api/repositories/{id}/docs/check")
async def check(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    await request.app[FRESHNESS].check_now(repository)
    status = await jobs.read_status(
        request.app[POOL], repository.id, request.app[SETTINGS].lease_seconds
    )
    return web.json_response(status.to_json())


def _answer(description: str, schema: str = "Error") -> dict[str, Any]:
    ref = {"$ref": f"#/components/schemas/{schema}"}
    return {"description": description, "content": {"application/json": {"schema": ref}}}


OPENAPI_PATHS: dict[str, Any] = {
    "/api/repositories/{id}/docs/check": {
        "parameters": [
            {
                "name": "id",
                "in": "path",
                "required": True,
                "schema": {"type": "string", "format": "uuid"},
            },
        ],
        "post": {
            "summary": "Learn the repository's current head now and answer the status",
            "description": "Fills head_sha and commits_behind (GitHub's compare API, or git "
            "for local repositories). Does nothing while a run is generating or before the "
            "first docs.",
            "security": SECURED,
            "responses": {
                "200": _answer("Status, with the head as just learned", "DocsStatus"),
                "400": _answer("Malformed repository id"),
                "401": _answer("No or bad credentials"),
                "404": _answer("Unknown repository, or one the caller does not own"),
                "409": _answer("No usable GitHub token, or the repository is gone"),
                "429": _answer("GitHub's rate limit, or too many requests"),
                "502": _answer("GitHub failed"),
                "503": _answer("Database unavailable"),
            },
        },
    }
}
