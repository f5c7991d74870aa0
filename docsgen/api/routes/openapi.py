"""``GET /api/openapi.json``: the document the app built once at start (``docsgen.api.openapi``)."""

from __future__ import annotations

from aiohttp import web

from docsgen.api.openapi import OPENAPI_DOCUMENT

routes = web.RouteTableDef()


@routes.get("/api/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI_DOCUMENT])
