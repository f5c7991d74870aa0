"""The OpenAPI 3.1 document of the HTTP API, served at ``/api/openapi.json``.

A test compares it with the app's router, so a route cannot be added or removed
without this document following.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from docsgen import __version__

routes = web.RouteTableDef()

_ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Malformed request",
        401: "No or bad credentials",
        404: "Unknown repository, or one the caller does not own",
        409: "Conflict",
        413: "Body over 64 KiB",
        415: "Body is not JSON",
        503: "Database unavailable",
    }
    return {str(c): _json(_ERROR, text[c]) for c in codes}


_ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
_SECURED: list[dict[str, list[str]]] = [{"bearer": []}]

STATUS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["repository_id", "status", "progress"],
    "properties": {
        "repository_id": {"type": "string", "format": "uuid"},
        "status": {"enum": ["idle", "generating", "completed", "failed"]},
        "progress": {"type": "integer", "minimum": 0, "maximum": 100},
        "current_step": {"type": ["string", "null"]},
        "error_message": {"type": ["string", "null"]},
        "started_at": {"type": ["string", "null"], "format": "date-time"},
        "updated_at": {"type": ["string", "null"], "format": "date-time"},
        "completed_at": {"type": ["string", "null"], "format": "date-time"},
        "commit_sha": {"type": ["string", "null"], "description": "The commit the docs describe"},
        "head_sha": {
            "type": ["string", "null"],
            "description": "The default branch's head as last learned, when known",
        },
        "commits_behind": {
            "type": ["integer", "null"],
            "minimum": 0,
            "description": "Commits on the head the docs do not describe, when known",
        },
    },
}


def document(extra_paths: dict[str, Any] | None = None) -> dict[str, Any]:
    """The document; feature modules contribute their paths through ``extra_paths``."""
    doc = _core_document()
    doc["paths"].update(extra_paths or {})
    return doc


def _core_document() -> dict[str, Any]:
    repo = {"$ref": "#/components/schemas/Repository"}
    status = {"$ref": "#/components/schemas/DocsStatus"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "docsgen", "version": __version__},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "string"}},
                },
                "DocsStatus": STATUS_SCHEMA,
                "Repository": {
                    "type": "object",
                    "required": ["id", "provider", "created_at", "docs"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid"},
                        "provider": {"enum": ["github", "local"]},
                        "full_name": {"type": ["string", "null"]},
                        "path": {"type": ["string", "null"]},
                        "created_at": {"type": "string", "format": "date-time"},
                        "docs": status,
                    },
                },
                "Section": {
                    "type": "object",
                    "required": ["title", "anchor", "markdown", "warnings"],
                    "properties": {
                        "title": {"type": "string"},
                        "anchor": {"type": "string"},
                        "markdown": {"type": "string"},
                        "warnings": {"type": "integer", "minimum": 0},
                    },
                },
            },
        },
        "paths": {
            "/healthz": {
                "get": {
                    "summary": "The process is alive",
                    "responses": {"200": _json({"type": "object"}, "Alive")},
                }
            },
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": _json({"type": "object"}, "OpenAPI document")},
                }
            },
            "/api/generate-docs": {
                "post": {
                    "summary": "Start generating documentation for a repository",
                    "security": _SECURED,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["repository_id"],
                                    "properties": {
                                        "repository_id": {"type": "string", "format": "uuid"},
                                        "force": {
                                            "type": "boolean",
                                            "default": False,
                                            "description": "Regenerate even when the docs "
                                            "describe the current head",
                                        },
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "202": _json({"type": "object"}, "Generation started"),
                        **_errors(400, 401, 404, 409, 413, 415, 503),
                    },
                }
            },
            "/api/repositories": {
                "get": {
                    "summary": "The caller's repositories with their docs status",
                    "security": _SECURED,
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "properties": {"repositories": {"type": "array", "items": repo}},
                            },
                            "Repositories",
                        ),
                        **_errors(401, 503),
                    },
                },
                "post": {
                    "summary": "Register a GitHub or local repository",
                    "security": _SECURED,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["provider"],
                                    "properties": {
                                        "provider": {"enum": ["github", "local"]},
                                        "full_name": {"type": "string"},
                                        "path": {"type": "string"},
                                    },
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _json(repo, "Registered"),
                        **_errors(400, 401, 409, 413, 415, 503),
                    },
                },
            },
            "/api/repositories/{id}": {
                "parameters": [_ID_PARAM],
                "get": {
                    "summary": "One repository with its docs status",
                    "security": _SECURED,
                    "responses": {"200": _json(repo, "Repository"), **_errors(400, 401, 404, 503)},
                },
                "delete": {
                    "summary": "Delete a repository and its docs (refused while generating)",
                    "security": _SECURED,
                    "responses": {
                        "204": {"description": "Deleted"},
                        **_errors(400, 401, 404, 409, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs/status": {
                "parameters": [_ID_PARAM],
                "get": {
                    "summary": "The progress row; ETag and 304 for cheap polling",
                    "security": _SECURED,
                    "responses": {
                        "200": _json(status, "Status"),
                        "304": {"description": "Unchanged since the given ETag"},
                        **_errors(400, 401, 404, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs": {
                "parameters": [_ID_PARAM],
                "get": {
                    "summary": "Status plus the documentation of the last successful run",
                    "security": _SECURED,
                    "responses": {
                        "200": _json(
                            {
                                "allOf": [
                                    status,
                                    {
                                        "type": "object",
                                        "properties": {
                                            "content": {"type": ["string", "null"]},
                                            "html": {"type": ["string", "null"]},
                                            "sections": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Section"},
                                            },
                                        },
                                    },
                                ]
                            },
                            "Documentation",
                        ),
                        **_errors(400, 401, 404, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs.md": {
                "parameters": [_ID_PARAM],
                "get": {
                    "summary": "The documentation as a Markdown download",
                    "security": _SECURED,
                    "responses": {
                        "200": {
                            "description": "Markdown",
                            "content": {"text/markdown": {"schema": {"type": "string"}}},
                        },
                        **_errors(400, 401, 404, 503),
                    },
                },
            },
        },
    }


OPENAPI_DOCUMENT = web.AppKey("openapi_document", dict)


@routes.get("/api/openapi.json")
async def openapi(request: web.Request) -> web.Response:
    return web.json_response(request.app[OPENAPI_DOCUMENT])
