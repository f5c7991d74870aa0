"""Serving the page: its CSP, its files, what it is told about the server, CSP reports."""

from __future__ import annotations

import dataclasses
import json
import logging
import re
import uuid
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import SETTINGS
from docsgen.api.openapi import OPENAPI_DOCUMENT
from docsgen.api.routes.pages import EVENTS_ROUTE, WEB_DIR, mermaid_url, page_config
from docsgen.mcp.http import PATH as MCP_PATH
from docsgen.settings import Settings, SettingsError, load_settings


def directives(csp: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text = ""
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text += data.strip()


@pytest.mark.parametrize("path", ["/", f"/repositories/{uuid.uuid4()}"])
async def test_pages_forbid_inline_script(client: TestClient[Any, Any], path: str) -> None:
    response = await client.get(path)
    assert response.status == 200
    assert response.content_type == "text/html"
    csp = directives(response.headers["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["default-src"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["report-uri"] == ["/api/csp-report"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    page = _Tags()
    page.feed(await response.text())
    assert page.script_text == ""
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)


async def test_every_asset_of_the_page_is_local_and_served(client: TestClient[Any, Any]) -> None:
    page = _Tags()
    page.feed(await (await client.get("/")).text())
    urls = [
        attrs.get("src") or attrs.get("href")
        for tag, attrs in page.tags
        if tag in ("script", "link", "img")
    ]
    assert urls
    for url in urls:
        assert url and url.startswith("/assets/"), url
        response = await client.get(url)
        assert response.status == 200, url
    scripts = [a["src"] for t, a in page.tags if t == "script"]
    assert scripts == ["/assets/js/main.js"]
    # Every module the page imports is served too, with a JavaScript type.
    for module in sorted((WEB_DIR / "js").glob("*.js")):
        response = await client.get(f"/assets/js/{module.name}")
        assert response.status == 200
        assert response.content_type == "text/javascript"
        for imported in re.findall(r'from "\./([\w.-]+)"', await response.text()):
            assert (WEB_DIR / "js" / imported).is_file(), imported
    css = await client.get("/assets/css/app.css")
    assert css.content_type == "text/css"


@pytest.mark.needs("diagrams")
async def test_the_vendored_diagram_library_is_served_when_fetched(
    client: TestClient[Any, Any],
) -> None:
    url = mermaid_url()
    assert url is not None
    response = await client.get(url)
    assert response.status == 200
    assert response.content_type == "text/javascript"
    chunk = re.search(r'"\./(chunks/[^"]+\.mjs)"', await response.text())
    assert chunk
    assert (await client.get(url.rsplit("/", 1)[0] + "/" + chunk.group(1))).status == 200


@pytest.mark.parametrize(
    "path",
    [
        "/assets/%2e%2e/pyproject.toml",
        "/assets/%2e%2e/docsgen/__init__.py",
        "/assets/js/%2e%2e/%2e%2e/sql/006_sessions.sql",
        "/assets/js/missing.js",
        "/assets/index.py",
        "/assets/vendor/mermaid/VERSION",
    ],
)
async def test_nothing_else_is_served_as_an_asset(client: TestClient[Any, Any], path: str) -> None:
    response = await client.get(path)
    assert response.status == 404
    assert await response.json() == {"error": "Not found"}


def test_mermaid_is_offered_only_once_fetched(tmp_path: Path) -> None:
    assert mermaid_url(tmp_path) is None
    module = tmp_path / "vendor" / "mermaid" / "mermaid.esm.min.mjs"
    module.parent.mkdir(parents=True)
    module.write_text("export default {};\n")
    assert mermaid_url(tmp_path) == "/assets/vendor/mermaid/mermaid.esm.min.mjs"


async def _nothing(request: web.Request) -> web.Response:
    return web.Response()


def _app_with(settings: Settings, *paths: str) -> web.Application:
    app = web.Application()
    app[SETTINGS] = settings
    for path in paths:
        app.router.add_get(path, _nothing)
    return app


def test_sse_is_offered_only_when_the_stream_exists_and_is_enabled(settings: Settings) -> None:
    assert page_config(_app_with(settings))["sse"] is False
    assert page_config(_app_with(settings, EVENTS_ROUTE))["sse"] is True
    off = dataclasses.replace(settings, page_sse=False)
    assert page_config(_app_with(off, EVENTS_ROUTE))["sse"] is False


def test_github_features_follow_the_routes_and_settings(settings: Settings) -> None:
    bare = page_config(_app_with(settings))["github"]
    assert bare == {
        "connection": False,
        "repos": False,
        "oauth": False,
        "web_url": "https://github.com",
    }
    routes = ("/api/github/connection", "/api/github/repos", "/auth/github/login")
    assert page_config(_app_with(settings, *routes))["github"]["oauth"] is False
    oauth = dataclasses.replace(
        settings, github_oauth_client_id="id", github_oauth_client_secret="secret"
    )
    full = page_config(_app_with(oauth, *routes))["github"]
    assert full["connection"] and full["repos"] and full["oauth"]


async def test_config_polls_every_five_seconds_by_default(
    client: TestClient[Any, Any],
) -> None:
    response = await client.get("/api/config")
    assert response.status == 200
    body = await response.json()
    assert body["poll_interval_seconds"] == 5.0
    assert body["local_repositories"] is True
    assert body["command"] == "docsgen"
    assert load_settings({}).poll_interval_seconds == 5.0
    assert load_settings({"DOCSGEN_COMMAND": "./scripts/dev"}).command == "./scripts/dev"


def test_page_settings_are_read_from_the_environment() -> None:
    assert load_settings({}).page_sse is True
    assert load_settings({"DOCSGEN_PAGE_SSE": "0"}).page_sse is False
    assert load_settings({"DOCSGEN_POLL_SECONDS": "0.5"}).poll_interval_seconds == 0.5
    assert load_settings({"DOCSGEN_SIGNIN_LINK_SECONDS": "60"}).signin_link_seconds == 60
    with pytest.raises(SettingsError, match="DOCSGEN_PAGE_SSE"):
        load_settings({"DOCSGEN_PAGE_SSE": "maybe"})
    with pytest.raises(SettingsError, match="DOCSGEN_SESSION_SECONDS"):
        load_settings({"DOCSGEN_SESSION_SECONDS": "forever"})


async def test_csp_reports_are_logged_without_secrets(
    client: TestClient[Any, Any], caplog: pytest.LogCaptureFixture
) -> None:
    report = {
        "csp-report": {
            "document-uri": "http://127.0.0.1:8080/signin?token=dgs_secret#x",
            "violated-directive": "script-src-elem",
            "blocked-uri": "inline",
            "source-file": "http://127.0.0.1:8080/repositories/1?q=secret",
            "line-number": 3,
        }
    }
    with caplog.at_level(logging.WARNING, logger="docsgen.api.routes.pages"):
        response = await client.post(
            "/api/csp-report",
            data=json.dumps(report),
            headers={"Content-Type": "application/csp-report"},
        )
    assert response.status == 204
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "script-src-elem blocked inline on http://127.0.0.1:8080/signin" in logged
    assert "secret" not in logged

    not_json = await client.post("/api/csp-report", data=b"<html>")
    assert not_json.status == 400
    not_report = await client.post("/api/csp-report", json={"hello": 1})
    assert not_report.status == 400
    huge = await client.post("/api/csp-report", data=b"{" + b" " * 20_000 + b"}")
    assert huge.status == 413


def test_every_route_is_described_in_openapi(app: web.Application) -> None:
    described = app[OPENAPI_DOCUMENT]["paths"]
    for route in app.router.routes():
        path = route.resource.canonical if route.resource else ""
        # MCP speaks JSON-RPC and its tools describe themselves (tools/list; docs/mcp.md).
        if route.method == "HEAD" or path == MCP_PATH:
            continue
        assert path in described, path
        assert route.method.lower() in described[path], (route.method, path)
