"""``POST /api/generate-docs``: the original design's generateDocs route (CONTRACT §4).

``"force": true`` regenerates even when the stored docs describe the current
head with the current generator (otherwise such a run completes at once).
"""

from __future__ import annotations

from aiohttp import web

from docsgen.api.auth import authenticate
from docsgen.api.bodies import parse_uuid, read_json_object
from docsgen.api.keys import RUN_DEPS
from docsgen.errors import BadRequest
from docsgen.jobs.lifecycle import generate_for_caller

routes = web.RouteTableDef()


@routes.post("/api/generate-docs")
async def generate_docs(request: web.Request) -> web.Response:
    user = await authenticate(request)
    body = await read_json_object(request)
    repository_id = parse_uuid(body.get("repository_id"), "repository_id")
    force = body.get("force", False)
    if not isinstance(force, bool):
        raise BadRequest("force must be true or false")
    deps = request.app[RUN_DEPS]
    repository = await generate_for_caller(deps, user.id, repository_id, force=force)
    return web.json_response(
        {
            "success": True,
            "message": "Documentation generation started",
            "data": {"repository_id": str(repository.id), "status": "generating"},
        },
        status=202,
    )
