"""The documentation for language models: ``llms.txt``, ``llms-full.txt``, a page's Markdown.

``GET …/llms.txt`` follows the llmstxt.org convention (docsgen.publish.llms) and
links to ``GET …/docs/pages/{slug}.md``, one page's Markdown whose links to other
pages point at their ``.md`` in turn; ``GET …/llms-full.txt`` is every page's
Markdown in one answer.  Links are relative, so they resolve against whatever
address (a proxy's included) the file was fetched from.  The same access rules as
every docs route: the caller's own repositories; another's is a 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from aiohttp import web

from docsgen.api.keys import POOL
from docsgen.api.openapi import ID_PARAM, SECURED, error_answer
from docsgen.api.routes.repositories import caller_repository
from docsgen.db import pages
from docsgen.errors import NotFound
from docsgen.publish.llms import Link, llms_full_txt, llms_txt, page_markdown, summary

routes = web.RouteTableDef()

LLMS_ROUTE = "/api/repositories/{id}/llms.txt"
LLMS_FULL_ROUTE = "/api/repositories/{id}/llms-full.txt"
# Registered before ``…/docs/pages/{slug}`` (docs.py), which would take "x.md" as a slug.
PAGE_MARKDOWN_ROUTE = "/api/repositories/{id}/docs/pages/{slug}.md"
NOT_GENERATED = "Documentation not generated yet"


def _from_repository(slug: str) -> str:
    """Where a page's Markdown is, relative to ``/api/repositories/{id}/``."""
    return f"docs/pages/{quote(slug)}.md"


def _from_page(slug: str) -> str:
    """Where a page's Markdown is, relative to another page's Markdown."""
    return f"{quote(slug)}.md"


def _text(body: str, content_type: str) -> web.Response:
    return web.Response(text=body, content_type=content_type, charset="utf-8")


@routes.get(LLMS_ROUTE)
async def llms(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    pool = request.app[POOL]
    toc = await pages.read_toc(pool, repository.id)
    if not toc:
        raise NotFound(NOT_GENERATED)
    first = await pages.read_first_page(pool, repository.id)
    links = [Link(e.slug, e.title, e.parent) for e in toc]
    line = summary(repository.name, first)
    body = llms_txt(repository.name, line, links, _from_repository, "llms-full.txt")
    return _text(body, "text/plain")


@routes.get(LLMS_FULL_ROUTE)
async def llms_full(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    async with request.app[POOL].acquire() as conn, conn.transaction(isolation="repeatable_read"):
        toc = await pages.read_toc(conn, repository.id)  # one snapshot: one run's pages
        stored = [await pages.read_page(conn, repository.id, e.slug) for e in toc]
    found = [page for page in stored if page is not None]
    if not found:
        raise NotFound(NOT_GENERATED)
    slugs = {page.slug for page in found}
    line = summary(repository.name, found[0])
    bodies = (page_markdown(page, slugs, _from_repository) for page in found)
    body = llms_full_txt(repository.name, line, bodies)
    return _text(body, "text/plain")


@routes.get(PAGE_MARKDOWN_ROUTE)
async def page_md(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    pool = request.app[POOL]
    page = await pages.read_page(pool, repository.id, request.match_info["slug"])
    if page is None:
        raise NotFound("Page not found")
    slugs = {entry.slug for entry in await pages.read_toc(pool, repository.id)}
    return _text(page_markdown(page, slugs, _from_page), "text/markdown")


def _text_answer(media: str, description: str) -> dict[str, Any]:
    return {"description": description, "content": {media: {"schema": {"type": "string"}}}}


_SLUG_PARAM = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}
_MISSING = "Unknown repository, or one the caller does not own, or no documentation yet"
OPENAPI_PATHS: dict[str, Any] = {
    LLMS_ROUTE: {
        "parameters": [ID_PARAM],
        "get": {
            "summary": "llms.txt (llmstxt.org): the pages' titles, linked to their Markdown",
            "security": SECURED,
            "responses": {
                "200": _text_answer("text/plain", "llms.txt"),
                "400": error_answer("Malformed repository id"),
                "404": error_answer(_MISSING),
            },
        },
    },
    LLMS_FULL_ROUTE: {
        "parameters": [ID_PARAM],
        "get": {
            "summary": "llms-full.txt: every page's Markdown, in reading order",
            "security": SECURED,
            "responses": {
                "200": _text_answer("text/plain", "llms-full.txt"),
                "400": error_answer("Malformed repository id"),
                "404": error_answer(_MISSING),
            },
        },
    },
    PAGE_MARKDOWN_ROUTE: {
        "parameters": [ID_PARAM, _SLUG_PARAM],
        "get": {
            "summary": "One page's Markdown; its links to other pages point at their .md",
            "security": SECURED,
            "responses": {
                "200": _text_answer("text/markdown", "The page's Markdown"),
                "400": error_answer("Malformed repository id"),
                "404": error_answer(_MISSING + ", or no such page"),
            },
        },
    },
}
