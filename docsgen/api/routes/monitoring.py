"""``/metrics`` (Prometheus) and ``/readyz`` (database reachable, migrations applied)."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from docsgen.api.keys import POOL
from docsgen.db.migrations import pending_migrations
from docsgen.errors import ServiceUnavailable
from docsgen.ops.metrics import METRICS

routes = web.RouteTableDef()

# A load balancer asks often and must hear "no" quickly when the database is gone;
# a connection attempt to an unreachable host would otherwise hang for a minute.
READY_TIMEOUT_SECONDS = 2.0


@routes.get("/metrics")
async def metrics(request: web.Request) -> web.Response:
    body = generate_latest(request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


@routes.get("/readyz")
async def readyz(request: web.Request) -> web.Response:
    try:
        async with asyncio.timeout(READY_TIMEOUT_SECONDS):
            async with request.app[POOL].acquire() as conn:
                pending = await pending_migrations(conn)
    except TimeoutError:
        raise ServiceUnavailable(
            f"Database unreachable: no answer within {READY_TIMEOUT_SECONDS:g} s",
            status="unavailable",
        ) from None
    except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
        raise ServiceUnavailable(
            f"Database unreachable: {type(exc).__name__}", status="unavailable"
        ) from None
    if pending:
        raise ServiceUnavailable(
            "Database migrations pending: " + ", ".join(pending), status="unavailable"
        )
    return web.json_response({"status": "ready"})


def _text(description: str, media: str) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


_UNAVAILABLE = {
    "description": "Not ready: the database is unreachable or migrations are pending",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

OPENAPI_PATHS: dict[str, Any] = {
    "/metrics": {
        "get": {
            "summary": "Prometheus metrics of this process",
            "responses": {"200": _text("Metrics in the Prometheus text format", "text/plain")},
        }
    },
    "/readyz": {
        "get": {
            "summary": "Ready: the database answers and every migration is applied",
            "responses": {
                "200": {
                    "description": "Ready",
                    "content": {"application/json": {"schema": {"type": "object"}}},
                },
                "503": _UNAVAILABLE,
            },
        }
    },
}
