"""The OpenAPI 3.1 document of the HTTP API, served at ``/api/openapi.json`` (routes/openapi.py).

A test compares it with the app's router, so a route cannot be added or removed
without this document following, and a fuzzer (tests/test_fuzz_openapi.py)
checks every answer against it.  Answers that the middleware gives to any
route of a kind (401, 403, 429, 503, and 400/408/413/415 for JSON bodies) are
added here in one place, as the middleware produces them in one place.
"""

from __future__ import annotations

import copy
from typing import Any

from aiohttp import web

from docsgen import __version__

_ERROR = {"$ref": "#/components/schemas/Error"}


METHODS = frozenset({"get", "put", "post", "delete", "patch"})
STATE_CHANGING = frozenset({"put", "post", "delete", "patch"})


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


_ERROR_TEXT = {
    400: "Malformed request",
    401: "No or bad credentials",
    403: "Signed in by the session cookie without the session's X-CSRF-Token header",
    404: "Unknown repository, or one the caller does not own",
    408: "Body not received within DOCSGEN_BODY_TIMEOUT_SECONDS",
    409: "Conflict",
    413: "Body over 64 KiB",
    415: "Body is not JSON",
    503: "Database unavailable",
}


def _errors(*codes: int) -> dict[str, Any]:
    return {str(c): _json(_ERROR, _ERROR_TEXT[c]) for c in codes}


# 429 from the per-user rate limit (and, for a generation, the run caps).
_TOO_MANY: dict[str, Any] = {
    **_json(_ERROR, "Too many requests (or too many runs): retry after `Retry-After` seconds"),
    "headers": {
        "Retry-After": {
            "description": "Seconds to wait before trying again",
            "required": True,
            "schema": {"type": "string", "pattern": "^[0-9]+$"},
        }
    },
}


def with_common_answers(paths: dict[str, Any]) -> dict[str, Any]:
    """``paths`` with the answers the middleware gives to every operation of a kind.

    A secured operation may answer 401, and 403 to a cookie-signed change without
    its CSRF token; every state-changing ``/api/`` operation may answer 429 (rate
    limit); an operation that reads a JSON body may answer 400, 408, 413 and 415; every
    operation that reaches the database may answer 503.  What a module declares
    itself is kept.
    """
    for path, item in paths.items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            responses = operation.setdefault("responses", {})
            common: dict[str, Any] = {}
            secured = bool(operation.get("security"))
            changes = method in STATE_CHANGING and path.startswith("/api/")
            if secured:
                common.update(_errors(401))
                if method in STATE_CHANGING:
                    common.update(_errors(403))
            if changes:
                common["429"] = _TOO_MANY
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                common.update(_errors(400, 408, 413, 415))
            if secured or changes:
                common.update(_errors(503))
            for status, answer in common.items():
                responses.setdefault(status, answer)
    return paths


ID_PARAM = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "format": "uuid"},
}
# An API token, or the browser page's session cookie.
SECURED: list[dict[str, list[str]]] = [{"bearer": []}, {"session": []}]


def json_answer(schema: dict[str, Any], description: str) -> dict[str, Any]:
    """A response with a JSON body of ``schema``."""
    return _json(schema, description)


def error_answer(description: str) -> dict[str, Any]:
    """A response with the ``{"error": "..."}`` body every error has."""
    return _json(_ERROR, description)


def too_many_answer(description: str) -> dict[str, Any]:
    """A 429 response, with its ``Retry-After`` header."""
    return {**copy.deepcopy(_TOO_MANY), "description": description}


# ``owner/name`` as GitHub allows it: a name of 1-100 of [A-Za-z0-9._-], but not "." or "..".
_OWNER = "[A-Za-z0-9][A-Za-z0-9-]{0,38}"
_NAME = (
    "(?:[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}"
    "|\\.[A-Za-z0-9_-][A-Za-z0-9._-]{0,98}"
    "|\\.\\.[A-Za-z0-9._-]{1,98})"
)
# Surrounding white space is ignored.
GITHUB_FULL_NAME_PATTERN = f"^\\s*{_OWNER}/{_NAME}\\s*$"
GITHUB_URL_PATTERN = f"^\\s*https?://(?:www\\.)?github\\.com/{_OWNER}/{_NAME}(?:[/?#]\\S*)?\\s*$"
_GITHUB_NAME = {
    "anyOf": [
        {"type": "string", "pattern": GITHUB_FULL_NAME_PATTERN},
        {"type": "string", "pattern": GITHUB_URL_PATTERN},
    ],
    "description": "`owner/name`, or the repository's GitHub URL",
}
NON_BLANK = {"type": "string", "pattern": "\\S"}

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
    doc["paths"].update(copy.deepcopy(extra_paths or {}))
    with_common_answers(doc["paths"])
    return doc


def _core_document() -> dict[str, Any]:
    repo = {"$ref": "#/components/schemas/Repository"}
    status = {"$ref": "#/components/schemas/DocsStatus"}
    return {
        "openapi": "3.1.0",
        "info": {"title": "docsgen", "version": __version__},
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "docsgen_session"},
            },
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
                "PageEntry": {
                    "type": "object",
                    "required": ["slug", "title", "parent", "warnings"],
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "parent": {"type": ["string", "null"]},
                        "warnings": {"type": "integer", "minimum": 0},
                    },
                },
                "Page": {
                    "type": "object",
                    "required": ["slug", "title", "markdown", "html", "warnings", "prev", "next"],
                    "properties": {
                        "slug": {"type": "string"},
                        "title": {"type": "string"},
                        "parent": {"type": ["string", "null"]},
                        "markdown": {"type": "string"},
                        "html": {"type": "string", "description": "Sanitized"},
                        "warnings": {"type": "integer", "minimum": 0},
                        "prev": {"type": ["string", "null"]},
                        "next": {"type": ["string", "null"]},
                    },
                },
                "SearchResult": {
                    "type": "object",
                    "required": ["kind", "title", "slug", "anchor", "snippet", "citation"],
                    "properties": {
                        "kind": {"enum": ["symbol", "page", "text"]},
                        "title": {"type": "string"},
                        "slug": {"type": "string"},
                        "anchor": {"type": ["string", "null"]},
                        "snippet": {"type": "string"},
                        "citation": {"type": ["string", "null"]},
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
                    "security": SECURED,
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
                        "202": _json(
                            {
                                "type": "object",
                                "required": ["success", "message", "data"],
                                "properties": {
                                    "success": {"const": True},
                                    "message": {"type": "string"},
                                    "data": {
                                        "type": "object",
                                        "required": ["repository_id", "status"],
                                        "properties": {
                                            "repository_id": {"type": "string", "format": "uuid"},
                                            "status": {"const": "generating"},
                                        },
                                    },
                                },
                            },
                            "Generation started",
                        ),
                        "404": _json(_ERROR, _ERROR_TEXT[404]),
                        "409": _json(
                            {
                                "type": "object",
                                "required": ["error", "repository_id", "status"],
                                "properties": {
                                    "error": {"type": "string"},
                                    "repository_id": {"type": "string", "format": "uuid"},
                                    "status": {"const": "generating"},
                                },
                            },
                            "A run of this repository is in progress",
                        ),
                    },
                }
            },
            "/api/repositories": {
                "get": {
                    "summary": "The caller's repositories with their docs status",
                    "security": SECURED,
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
                    "security": SECURED,
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {
                                            "type": "object",
                                            "required": ["provider", "full_name"],
                                            "properties": {
                                                "provider": {"const": "github"},
                                                "full_name": _GITHUB_NAME,
                                            },
                                        },
                                        {
                                            "type": "object",
                                            "required": ["provider", "path"],
                                            "properties": {
                                                "provider": {"const": "local"},
                                                "path": {
                                                    **NON_BLANK,
                                                    "description": "The absolute path of a "
                                                    "git repository whose folder and git data "
                                                    "lie under the server's local roots",
                                                },
                                            },
                                        },
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "201": _json(repo, "Registered"),
                        "409": _json(
                            {
                                "type": "object",
                                "required": ["error", "id"],
                                "properties": {
                                    "error": {"type": "string"},
                                    "id": {"type": "string", "format": "uuid"},
                                },
                            },
                            "Already registered: the existing repository's id",
                        ),
                    },
                },
            },
            "/api/repositories/{id}": {
                "parameters": [ID_PARAM],
                "get": {
                    "summary": "One repository with its docs status",
                    "security": SECURED,
                    "responses": {"200": _json(repo, "Repository"), **_errors(400, 401, 404, 503)},
                },
                "delete": {
                    "summary": "Delete a repository and its docs (refused while generating)",
                    "security": SECURED,
                    "responses": {
                        "204": {"description": "Deleted"},
                        **_errors(400, 401, 404, 409, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs/status": {
                "parameters": [ID_PARAM],
                "get": {
                    "summary": "The progress row; ETag and 304 for cheap polling",
                    "security": SECURED,
                    "responses": {
                        "200": _json(status, "Status"),
                        "304": {"description": "Unchanged since the given ETag"},
                        **_errors(400, 401, 404, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs": {
                "parameters": [ID_PARAM],
                "get": {
                    "summary": "Status, the table of contents and the first page of the docs",
                    "security": SECURED,
                    "responses": {
                        "200": _json(
                            {
                                "allOf": [
                                    status,
                                    {
                                        "type": "object",
                                        "required": ["pages", "page"],
                                        "properties": {
                                            "pages": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/PageEntry"},
                                            },
                                            "page": {"$ref": "#/components/schemas/Page"},
                                        },
                                    },
                                ]
                            },
                            "Documentation",
                        ),
                        "304": {"description": "Unchanged since the given ETag"},
                        **_errors(400, 401, 503),
                        "404": _json(
                            _ERROR,
                            "Unknown repository, or no documentation generated yet (then "
                            "the body also carries the status fields)",
                        ),
                    },
                },
            },
            "/api/repositories/{id}/docs/pages/{slug}": {
                "parameters": [
                    ID_PARAM,
                    {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
                ],
                "get": {
                    "summary": "One page of the docs; ETag and 304 for a revisit",
                    "security": SECURED,
                    "responses": {
                        "200": _json({"$ref": "#/components/schemas/Page"}, "The page"),
                        "304": {"description": "Unchanged since the given ETag"},
                        **_errors(400, 401, 503),
                        "404": _json(_ERROR, "Unknown repository, or no such page"),
                    },
                },
            },
            "/api/repositories/{id}/docs/search": {
                "parameters": [
                    ID_PARAM,
                    {
                        "name": "q",
                        "in": "query",
                        "required": True,
                        "schema": {"type": "string", "minLength": 1, "maxLength": 200},
                    },
                    {
                        "name": "limit",
                        "in": "query",
                        "required": False,
                        "schema": {
                            "type": "integer",
                            "minimum": 1,
                            "maximum": 100,
                            "default": 20,
                        },
                    },
                ],
                "get": {
                    "summary": "Search symbols, page titles and text; exact names first",
                    "security": SECURED,
                    "responses": {
                        "200": _json(
                            {
                                "type": "object",
                                "required": ["results"],
                                "properties": {
                                    "results": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/SearchResult"},
                                    }
                                },
                            },
                            "Results, best first",
                        ),
                        **_errors(400, 401, 404, 503),
                    },
                },
            },
            "/api/repositories/{id}/docs.md": {
                "parameters": [ID_PARAM],
                "get": {
                    "summary": "The documentation as a Markdown download",
                    "security": SECURED,
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
