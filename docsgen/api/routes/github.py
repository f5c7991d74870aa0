"""Connecting a GitHub account (token or OAuth) and listing what it can see.

``PUT/GET/DELETE /api/github/connection``, ``GET /api/github/repos``, and the
OAuth web flow at ``/auth/github/login`` → GitHub → ``/auth/github/callback``.
The token is checked against GitHub, stored encrypted, and never answered.
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp
from aiohttp import web

from docsgen.api.auth import authenticate
from docsgen.api.bodies import read_json_object
from docsgen.api.keys import POOL, RUN_DEPS, SETTINGS
from docsgen.api.openapi import SECURED, error_answer, json_answer
from docsgen.db import github_connections
from docsgen.db.repositories import list_repositories
from docsgen.errors import BadRequest, GitHubTokenMissing, GitHubTokenRejected
from docsgen.github import oauth, tokens
from docsgen.github.client import GitHubClient
from docsgen.github.crypto import TokenCipher

routes = web.RouteTableDef()

# The page offers at most this many repositories (``per_page=100``, ten pages).
MAX_LISTED_REPOSITORIES = 1000
# GitHub tokens are printable ASCII without spaces (ghp_..., github_pat_..., gho_...).
_TOKEN_SHAPE = re.compile(r"^[\x21-\x7e]{1,512}$")


def _http(request: web.Request) -> aiohttp.ClientSession:
    return request.app[RUN_DEPS].http


@routes.put("/api/github/connection")
async def put_connection(request: web.Request) -> web.Response:
    user = await authenticate(request)
    body = await read_json_object(request)
    token = body.get("token")
    if not isinstance(token, str) or not token.strip():
        raise BadRequest("token is required: a GitHub personal access token")
    token = token.strip()
    if not _TOKEN_SHAPE.match(token):
        raise BadRequest("token does not look like a GitHub token (printable, no spaces)")
    settings = request.app[SETTINGS]
    cipher = TokenCipher.required(settings)
    try:
        account = await GitHubClient(_http(request), settings, token=token).user()
    except GitHubTokenRejected:
        # A token being connected is the request's fault, not the stored one's.
        raise BadRequest(
            "GitHub rejected this token (401 Bad credentials); check that it is a valid, "
            "unexpired personal access token"
        ) from None
    connection = await tokens.save_connection(
        request.app[POOL], cipher, user.id, token=token, login=account.login,
        github_user_id=account.id, scopes=account.scopes, method="token",
    )  # fmt: skip
    return web.json_response(connection.to_json())


@routes.get("/api/github/connection")
async def get_connection(request: web.Request) -> web.Response:
    user = await authenticate(request)
    connection = await github_connections.get_connection(request.app[POOL], user.id)
    if connection is None:
        return web.json_response({"connected": False})
    return web.json_response(connection.to_json())


@routes.delete("/api/github/connection")
async def delete_connection(request: web.Request) -> web.Response:
    user = await authenticate(request)
    await github_connections.delete_connection(request.app[POOL], user.id)
    return web.Response(status=204)


@routes.get("/api/github/repos")
async def list_github_repositories(request: web.Request) -> web.Response:
    user = await authenticate(request)
    pool = request.app[POOL]
    settings = request.app[SETTINGS]
    token = await tokens.load_token(pool, settings, user.id)
    if token is None:
        raise GitHubTokenMissing()
    found = await GitHubClient(_http(request), settings, token=token).repositories(
        MAX_LISTED_REPOSITORIES
    )
    registered = {
        r.full_name.lower(): str(r.id)
        for r in await list_repositories(pool, user.id)
        if r.provider == "github" and r.full_name
    }
    return web.json_response(
        {
            "repositories": [
                {
                    "full_name": r.get("full_name"),
                    "private": r.get("private"),
                    "description": r.get("description"),
                    "default_branch": r.get("default_branch"),
                    "html_url": r.get("html_url"),
                    "archived": r.get("archived"),
                    "updated_at": r.get("updated_at"),
                    "registered_id": registered.get(str(r.get("full_name")).lower()),
                }
                for r in found
            ],
            "truncated": len(found) >= MAX_LISTED_REPOSITORIES,
        }
    )


def _redirect_uri(request: web.Request) -> str:
    return str(request.url.with_path("/auth/github/callback").with_query(None))


@routes.get("/auth/github/login")
async def oauth_login(request: web.Request) -> web.Response:
    user = await authenticate(request)
    settings = request.app[SETTINGS]
    url, state = await oauth.begin(
        request.app[POOL], settings, _http(request), user.id, _redirect_uri(request)
    )
    response = web.Response(status=302, headers={"Location": url})
    response.set_cookie(
        oauth.STATE_COOKIE,
        state,
        max_age=int(settings.github_oauth_state_seconds),
        path=oauth.COOKIE_PATH,
        httponly=True,
        samesite="Lax",
        secure=request.secure,
    )
    return response


@routes.get("/auth/github/callback")
async def oauth_callback(request: web.Request) -> web.Response:
    user = await authenticate(request)
    query = request.query
    await oauth.finish(
        request.app[POOL],
        request.app[SETTINGS],
        _http(request),
        user.id,
        state=query.get("state"),
        cookie_state=request.cookies.get(oauth.STATE_COOKIE),
        code=query.get("code"),
        error=query.get("error_description") or query.get("error"),
        redirect_uri=_redirect_uri(request),
    )
    response = web.Response(status=302, headers={"Location": "/"})
    response.del_cookie(oauth.STATE_COOKIE, path=oauth.COOKIE_PATH)
    return response


# --- OpenAPI ----------------------------------------------------------------------

_CONNECTION = {
    "type": "object",
    "required": ["connected"],
    "properties": {
        "connected": {"type": "boolean"},
        "login": {"type": "string"},
        "github_user_id": {"type": ["integer", "null"]},
        "scopes": {"type": ["array", "null"], "items": {"type": "string"}},
        "method": {"enum": ["token", "oauth"]},
        "connected_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time"},
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/api/github/connection": {
        "get": {
            "summary": "The caller's GitHub connection (never the token)",
            "security": SECURED,
            "responses": {
                "200": json_answer(_CONNECTION, "Connection, or {connected: false}"),
                "401": error_answer("No or bad credentials"),
            },
        },
        "put": {
            "summary": "Connect a GitHub account with a personal access token",
            "description": "The token is checked with GET /user, then stored encrypted.",
            "security": SECURED,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["token"],
                            "properties": {
                                "token": {
                                    "type": "string",
                                    "pattern": "^\\s*[!-~]{1,512}\\s*$",
                                    "description": "A GitHub token: printable, no spaces",
                                }
                            },
                        }
                    }
                },
            },
            "responses": {
                "200": json_answer(_CONNECTION, "Connected"),
                "400": error_answer("Missing or malformed token, or GitHub rejected it"),
                "401": error_answer("No or bad credentials"),
                "413": error_answer("Body over 64 KiB"),
                "415": error_answer("Body is not JSON"),
                "429": error_answer("GitHub rate limit, with the time it resets"),
                "502": error_answer("GitHub failed, with its status and message"),
                "503": error_answer(
                    "No secret key to encrypt tokens with, or database unavailable"
                ),
            },
        },
        "delete": {
            "summary": "Disconnect the caller's GitHub account",
            "security": SECURED,
            "responses": {
                "204": {"description": "Disconnected (or was not connected)"},
                "401": error_answer("No or bad credentials"),
            },
        },
    },
    "/api/github/repos": {
        "get": {
            "summary": "Repositories the connected GitHub account can see",
            "security": SECURED,
            "responses": {
                "200": json_answer(
                    {
                        "type": "object",
                        "properties": {
                            "repositories": {"type": "array", "items": {"type": "object"}},
                            "truncated": {"type": "boolean"},
                        },
                    },
                    "Repositories, with the id of each one already registered",
                ),
                "401": error_answer("No or bad credentials"),
                "409": error_answer("No GitHub account connected, or GitHub rejected its token"),
                "429": error_answer("GitHub rate limit, with the time it resets"),
                "502": error_answer("GitHub failed, with its status and message"),
            },
        }
    },
    "/auth/github/login": {
        "get": {
            "summary": "Start GitHub's OAuth web flow (redirects to GitHub)",
            "security": SECURED,
            "responses": {
                "302": {"description": "To GitHub's authorize page, with a state cookie"},
                "401": error_answer("No or bad credentials"),
                "404": error_answer("OAuth is not configured on this server"),
                "503": error_answer("No secret key to encrypt tokens with"),
            },
        }
    },
    "/auth/github/callback": {
        "get": {
            "summary": "GitHub's OAuth redirect back: checks the state, stores the token",
            "security": SECURED,
            "parameters": [
                {"name": "code", "in": "query", "schema": {"type": "string"}},
                {
                    "name": "state",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1},
                },
            ],
            "responses": {
                "302": {"description": "Connected; back to the page"},
                "400": error_answer("Wrong, expired or replayed state, or GitHub refused the code"),
                "401": error_answer("No or bad credentials"),
                "404": error_answer("OAuth is not configured on this server"),
                "502": error_answer("GitHub failed, with its status and message"),
            },
        }
    },
}
