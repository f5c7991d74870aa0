"""The browser page: ``web/`` served by the service itself, behind a strict CSP.

Every page answer carries a Content-Security-Policy that allows script only
from this origin's files: no inline script, no ``eval``, no other host.  Inline
*style* is allowed because the diagram library writes ``<style>`` into its SVG;
style cannot run script.  Violations are reported to ``/api/csp-report`` and
logged.  The page learns what this server offers from ``GET /api/config``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from aiohttp import web

from docsgen import __version__
from docsgen.api.bodies import parse_json, read_limited
from docsgen.api.keys import SETTINGS
from docsgen.api.openapi import error_answer
from docsgen.errors import BadRequest, NotFound

log = logging.getLogger(__name__)

routes = web.RouteTableDef()

WEB_DIR = Path(__file__).resolve().parents[3] / "web"
MERMAID_MODULE = "vendor/mermaid/mermaid.esm.min.mjs"
MERMAID_CLASSIC = "vendor/mermaid/mermaid.min.js"  # the same library as a classic script
EVENTS_ROUTE = "/api/repositories/{id}/docs/events"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "report-uri /api/csp-report",
    ]
)
_PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}
_CONTENT_TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".woff2": "font/woff2",
    ".txt": "text/plain",
}
_MAX_REPORT_BYTES = 16 * 1024


def page_response(request: web.Request, *, status: int = 200) -> web.Response:
    """The page shell; its script decides what to show from the address."""
    body = (WEB_DIR / "index.html").read_bytes()
    return web.Response(
        body=body, status=status, content_type="text/html", charset="utf-8", headers=_PAGE_HEADERS
    )


@routes.get("/")
async def home(request: web.Request) -> web.Response:
    return page_response(request)


@routes.get("/repositories/{id}")
async def repository_page(request: web.Request) -> web.Response:
    return page_response(request)


@routes.get("/repositories/{id}/docs/{slug:.+}")
async def documentation_page(request: web.Request) -> web.Response:
    """A page of a repository's documentation: a permalink opens the page at that page."""
    return page_response(request)


@routes.get("/assets/{path:.+}")
async def asset(request: web.Request) -> web.FileResponse:
    """A file under ``web/``; nothing outside it, no hidden files, known types only."""
    relative = request.match_info["path"]
    target = (WEB_DIR / relative).resolve()
    content_type = _CONTENT_TYPES.get(target.suffix.lower())
    if (
        content_type is None
        or not target.is_relative_to(WEB_DIR)
        or any(part.startswith(".") for part in target.relative_to(WEB_DIR).parts)
        or not target.is_file()
    ):
        raise NotFound("Not found")
    return web.FileResponse(target, headers={**_PAGE_HEADERS, "Content-Type": content_type})


def mermaid_library(web_dir: Path = WEB_DIR) -> bytes | None:
    """The diagram library's classic script, for a static site (None if not fetched)."""
    path = web_dir / MERMAID_CLASSIC
    return path.read_bytes() if path.is_file() else None


def mermaid_url(web_dir: Path = WEB_DIR) -> str | None:
    """Where the page loads the diagram library from, or None if it was not fetched."""
    return f"/assets/{MERMAID_MODULE}" if (web_dir / MERMAID_MODULE).is_file() else None


def has_route(app: web.Application, path: str) -> bool:
    return any(resource.canonical == path for resource in app.router.resources())


def page_config(app: web.Application, web_dir: Path = WEB_DIR) -> dict[str, Any]:
    """What the page needs to know about this server; nothing secret."""
    settings = app[SETTINGS]
    oauth = bool(settings.github_oauth_client_id and settings.github_oauth_client_secret)
    return {
        "version": __version__,
        "poll_interval_seconds": settings.poll_interval_seconds,
        "sse": settings.page_sse and has_route(app, EVENTS_ROUTE),
        "mermaid": mermaid_url(web_dir),
        "local_repositories": bool(settings.local_roots),
        "command": settings.command,  # how the page writes commands the reader may run
        "github": {
            "connection": has_route(app, "/api/github/connection"),
            "repos": has_route(app, "/api/github/repos"),
            "oauth": oauth and has_route(app, "/auth/github/login"),
            "web_url": settings.github_web_url,
        },
    }


@routes.get("/api/config")
async def config(request: web.Request) -> web.Response:
    return web.json_response(page_config(request.app), headers={"Cache-Control": "no-cache"})


def _without_query(uri: Any) -> str:
    """A reported URI without its query and fragment: a sign-in link's token stays out of logs."""
    text = str(uri)[:500]
    parts = urlsplit(text)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", "")) if parts.scheme else text


@routes.post("/api/csp-report")
async def csp_report(request: web.Request) -> web.Response:
    """A browser reports a Content-Security-Policy violation: log what was blocked, where."""
    body = parse_json(await read_limited(request, _MAX_REPORT_BYTES), "A CSP report")
    report = body.get("csp-report") if isinstance(body, dict) else None
    if not isinstance(report, dict):
        raise BadRequest("A CSP report must be an object with a 'csp-report' member")
    log.warning(
        "Content-Security-Policy violation: %s blocked %s on %s (%s:%s)",
        str(report.get("violated-directive") or report.get("effective-directive"))[:100],
        _without_query(report.get("blocked-uri", "")),
        _without_query(report.get("document-uri", "")),
        _without_query(report.get("source-file", "")),
        str(report.get("line-number", ""))[:10],
    )
    return web.Response(status=204)


_PAGE = {
    "200": {"description": "The page", "content": {"text/html": {"schema": {"type": "string"}}}}
}
_CSP_REPORT = {
    "type": "object",
    "required": ["csp-report"],
    "properties": {"csp-report": {"type": "object"}},
}
OPENAPI_PATHS: dict[str, Any] = {
    "/": {"get": {"summary": "The browser page: the caller's repositories", "responses": _PAGE}},
    "/repositories/{id}": {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "get": {"summary": "The browser page of one repository", "responses": _PAGE},
    },
    "/repositories/{id}/docs/{slug}": {
        "parameters": [
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}},
        ],
        "get": {
            "summary": "The browser page of one repository, open at a page of its documentation",
            "description": "The fragment `#{anchor}` (a symbol's qualified name) scrolls to it.",
            "responses": _PAGE,
        },
    },
    "/assets/{path}": {
        "parameters": [
            {"name": "path", "in": "path", "required": True, "schema": {"type": "string"}}
        ],
        "get": {
            "summary": "The page's scripts, styles and vendored libraries",
            "responses": {
                "200": {"description": "The file"},
                "404": {"description": "No such file"},
            },
        },
    },
    "/api/config": {
        "get": {
            "summary": "What the browser page needs to know about this server",
            "responses": {
                "200": {
                    "description": "Page configuration",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "version": {"type": "string"},
                                    "poll_interval_seconds": {"type": "number"},
                                    "sse": {"type": "boolean"},
                                    "mermaid": {"type": ["string", "null"]},
                                    "local_repositories": {"type": "boolean"},
                                    "command": {"type": "string"},
                                    "github": {"type": "object"},
                                },
                            }
                        }
                    },
                }
            },
        }
    },
    "/api/csp-report": {
        "post": {
            "summary": "Content-Security-Policy violation reports from browsers",
            "description": "Browsers send `application/csp-report`; any JSON body is read.",
            "requestBody": {
                "required": True,
                "content": {
                    media: {"schema": _CSP_REPORT}
                    for media in ("application/csp-report", "application/json")
                },
            },
            "responses": {
                "204": {"description": "Logged"},
                "400": error_answer("Not a CSP report"),
                "413": error_answer("Report over 16 KiB"),
            },
        }
    },
}
