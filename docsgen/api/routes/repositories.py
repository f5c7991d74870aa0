"""Repositories of the caller: register, list, show, delete (CONTRACT §4)."""

from __future__ import annotations

import errno
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from aiohttp import web

from docsgen.api.auth import authenticate
from docsgen.api.bodies import parse_uuid, read_json_object, required_string
from docsgen.api.keys import POOL, SETTINGS
from docsgen.api.openapi import GITHUB_FULL_NAME_PATTERN
from docsgen.db import jobs
from docsgen.db.repositories import (
    Repository,
    create_repository,
    delete_repository,
    get_repository,
    list_repositories,
)
from docsgen.errors import BadRequest, SourceUnreadable
from docsgen.freshness.checker import FRESHNESS
from docsgen.sources.git_location import locate
from docsgen.sources.local import check_local_path

routes = web.RouteTableDef()

_FULL_NAME = re.compile(GITHUB_FULL_NAME_PATTERN)


def parse_github_name(raw: str, web_url: str) -> str:
    """``owner/name`` from ``owner/name`` or a GitHub URL; ``BadRequest`` otherwise.

    The rule is the document's ``GITHUB_FULL_NAME_PATTERN``; a ``.git`` suffix
    is dropped when what remains is still a valid name.
    """
    text = raw.strip()
    if "://" in text:
        url = urlparse(text)
        allowed = {urlparse(web_url).netloc.lower(), "github.com", "www.github.com"}
        if url.netloc.lower() not in allowed:
            raise BadRequest(f"Not a GitHub repository URL: {raw[:200]}")
        text = "/".join(url.path.strip("/").split("/")[:2])
    if not _FULL_NAME.match(text):
        raise BadRequest("full_name must look like 'owner/name' or a GitHub repository URL")
    bare = text.removesuffix(".git")
    return bare if _FULL_NAME.match(bare) else text


def local_folder(raw: str, roots: Sequence[Path]) -> Path:
    """The folder a user names, checked; ``BadRequest`` if it may not or cannot be used.

    A path the filesystem refuses (a NUL, too long, a symbolic-link loop) is the
    caller's error: its ``OSError`` must not pass for a database failure.
    """
    try:
        path = check_local_path(raw, roots)
        is_dir = path.is_dir()
    except SourceUnreadable as exc:
        raise BadRequest(exc.message) from None
    except (OSError, ValueError, RuntimeError) as exc:  # RuntimeError: 3.11's symlink loop
        raise BadRequest(f"Local repository path cannot be used: {_path_problem(exc)}") from None
    if not is_dir:
        raise BadRequest(f"Not a folder: {raw[:500]}")
    return path


def _path_problem(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno is not None:
        return os.strerror(exc.errno)
    if isinstance(exc, RuntimeError):
        return os.strerror(errno.ELOOP)
    return "it holds a character no file name can hold"


def repository_json(repository: Repository, status: jobs.DocsStatus) -> dict[str, Any]:
    return {**repository.to_json(), "docs": status.to_json()}


async def caller_repository(request: web.Request) -> Repository:
    """The repository named in the path, if the caller owns it (else 404)."""
    user = await authenticate(request)
    repository_id = parse_uuid(request.match_info["id"], "repository id")
    return await get_repository(request.app[POOL], user.id, repository_id)


@routes.post("/api/repositories")
async def register(request: web.Request) -> web.Response:
    user = await authenticate(request)
    body = await read_json_object(request)
    settings = request.app[SETTINGS]
    provider = body.get("provider")
    if provider == "github":
        raw = body.get("full_name") or body.get("url")
        if not isinstance(raw, str) or not raw.strip():
            raise BadRequest("full_name is required for a GitHub repository")
        name = parse_github_name(raw, settings.github_web_url)
        repository = await create_repository(request.app[POOL], user.id, "github", full_name=name)
    elif provider == "local":
        path = local_folder(required_string(body, "path"), settings.local_roots)
        try:
            # A git repository whose git data lies inside the roots, checked again at each run.
            await locate(path, settings.local_roots)
        except SourceUnreadable as exc:
            raise BadRequest(exc.message) from None
        repository = await create_repository(request.app[POOL], user.id, "local", path=str(path))
    else:
        raise BadRequest("provider must be 'github' or 'local'")
    return web.json_response(
        repository_json(repository, jobs.DocsStatus.idle(repository.id)), status=201
    )


@routes.get("/api/repositories")
async def list_all(request: web.Request) -> web.Response:
    user = await authenticate(request)
    pool = request.app[POOL]
    repositories = await list_repositories(pool, user.id)
    statuses = await jobs.read_statuses(
        pool, [r.id for r in repositories], request.app[SETTINGS].lease_seconds
    )
    return web.json_response(
        {"repositories": [repository_json(r, statuses[r.id]) for r in repositories]}
    )


@routes.get("/api/repositories/{id}")
async def show(request: web.Request) -> web.Response:
    repository = await caller_repository(request)
    status = await jobs.read_status(
        request.app[POOL], repository.id, request.app[SETTINGS].lease_seconds
    )
    request.app[FRESHNESS].check_soon(repository)  # throttled; never on status polls
    return web.json_response(repository_json(repository, status))


@routes.delete("/api/repositories/{id}")
async def delete(request: web.Request) -> web.Response:
    user = await authenticate(request)
    repository_id = parse_uuid(request.match_info["id"], "repository id")
    await delete_repository(
        request.app[POOL], user.id, repository_id, request.app[SETTINGS].lease_seconds
    )
    return web.Response(status=204)
