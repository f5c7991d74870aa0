"""Signing in to the browser page: one-time links, API tokens, sessions, signing out.

A session lives in an HttpOnly, SameSite=Lax cookie whose value is a random id;
the server keeps only its digest (``docsgen.db.sessions``), so signing out
really ends it.  ``docsgen serve`` prints a one-time sign-in link for the
``admin`` user on start, as Jupyter prints its token URL.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import asyncpg
from aiohttp import web

from docsgen.api.auth import (
    REQUEST_SESSION,
    SESSION_COOKIE,
    authenticate,
    csrf_token,
)
from docsgen.api.bodies import read_json_object, required_string
from docsgen.api.keys import POOL, SETTINGS
from docsgen.api.openapi import NON_BLANK, SECURED, error_answer, json_answer
from docsgen.api.routes.pages import page_response
from docsgen.db import sessions
from docsgen.db.accounts import User, create_user, find_user, user_for_token
from docsgen.errors import AlreadyExists, Forbidden, NotFound, Unauthorized
from docsgen.settings import Settings

log = logging.getLogger(__name__)

routes = web.RouteTableDef()

ADMIN_LOGIN = "admin"
# Navigations a person makes (address bar, a link in a terminal) or the page itself makes.
_DIRECT_FETCH_SITES = frozenset({"", "none", "same-origin"})


def _set_session_cookie(
    request: web.Request, response: web.StreamResponse, session_id: str, settings: Settings
) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        session_id,
        max_age=int(settings.session_seconds),
        path="/",
        httponly=True,
        samesite="Lax",
        secure=request.secure,
    )


async def _new_session(request: web.Request, user: User) -> str:
    """Start a session for ``user``, ending the browser's previous one; its id."""
    pool = request.app[POOL]
    previous = request.cookies.get(SESSION_COOKIE)
    if previous:
        await sessions.end_session(pool, previous)
    session_id, _ = await sessions.create_session(pool, user, request.app[SETTINGS].session_seconds)
    return session_id


@routes.get("/signin")
async def signin_link(request: web.Request) -> web.StreamResponse:
    """Spend a one-time sign-in token and open a session, then go to the page.

    A link followed from another site (``Sec-Fetch-Site: cross-site``) is not
    spent: the page asks the person to confirm, so a stranger's link cannot sign
    a browser in to the stranger's account behind its user's back.
    """
    token = request.query.get("token", "")
    if not token:
        return page_response(request, status=400)
    if request.headers.get("Sec-Fetch-Site", "").lower() not in _DIRECT_FETCH_SITES:
        return page_response(request)
    user = await sessions.spend_signin_token(request.app[POOL], token)
    if user is None:
        return page_response(request, status=400)
    session_id = await _new_session(request, user)
    response = web.HTTPSeeOther("/")
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    _set_session_cookie(request, response, session_id, request.app[SETTINGS])
    log.info("user %s signed in with a sign-in link", user.login)
    raise response


def _session_json(request: web.Request, user: User) -> dict[str, Any]:
    session_id = request.get(REQUEST_SESSION)
    return {
        "login": user.login,
        "auth": "session" if session_id else "token",
        "csrf_token": csrf_token(session_id) if session_id else None,
    }


@routes.get("/api/session")
async def show_session(request: web.Request) -> web.Response:
    user = await authenticate(request)
    return web.json_response(_session_json(request, user), headers={"Cache-Control": "no-store"})


@routes.post("/api/session")
async def signin_with_token(request: web.Request) -> web.Response:
    """Sign the browser in with an API token (the page's sign-in form)."""
    origin = request.headers.get("Origin")
    if origin is not None and urlparse(origin).netloc != request.host:
        raise Forbidden("Signing in from another site is not allowed")
    body = await read_json_object(request)
    token = required_string(body, "token")
    user = await user_for_token(request.app[POOL], token)
    if user is None:
        raise Unauthorized("Invalid API token")
    session_id = await _new_session(request, user)
    response = web.json_response(
        {"login": user.login, "auth": "session", "csrf_token": csrf_token(session_id)},
        status=201,
        headers={"Cache-Control": "no-store"},
    )
    _set_session_cookie(request, response, session_id, request.app[SETTINGS])
    log.info("user %s signed in with an API token", user.login)
    return response


@routes.delete("/api/session")
async def signout(request: web.Request) -> web.Response:
    """End the browser's session (CSRF-checked like every cookie-authenticated change)."""
    await authenticate(request)
    session_id = request.get(REQUEST_SESSION)
    if session_id:
        await sessions.end_session(request.app[POOL], session_id)
    response = web.Response(status=204)
    response.del_cookie(SESSION_COOKIE, path="/")
    return response


async def ensure_admin(pool: asyncpg.Pool) -> User:
    """The ``admin`` user, created if missing (safe when two processes start together)."""
    try:
        return await find_user(pool, ADMIN_LOGIN)
    except NotFound:
        pass
    try:
        return await create_user(pool, ADMIN_LOGIN)
    except AlreadyExists:
        return await find_user(pool, ADMIN_LOGIN)


def signin_base_url(settings: Settings) -> str:
    host = settings.host
    if host in ("", "0.0.0.0", "::"):
        host = "127.0.0.1"
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{settings.port}"


def print_signin_link(app: web.Application, *, out: Callable[[str], None] | None = None) -> None:
    """On start, print ``Sign in: <url>`` with a one-time link for ``admin``.

    The link is a secret: it goes to the terminal only, never to the log.
    """

    async def on_startup(app: web.Application) -> None:
        settings = app[SETTINGS]
        admin = await ensure_admin(app[POOL])
        token = await sessions.create_signin_token(app[POOL], admin, settings.signin_link_seconds)
        line = f"Sign in: {signin_base_url(settings)}/signin?token={token}"
        if out is None:
            print(line, flush=True)
        else:
            out(line)

    app.on_startup.append(on_startup)


_SESSION: dict[str, Any] = {
    "type": "object",
    "required": ["login", "auth", "csrf_token"],
    "properties": {
        "login": {"type": "string"},
        "auth": {"enum": ["session", "token"]},
        "csrf_token": {"type": ["string", "null"]},
    },
}

OPENAPI_PATHS: dict[str, Any] = {
    "/signin": {
        "get": {
            "summary": "Spend a one-time sign-in link and open a browser session",
            "parameters": [
                {
                    "name": "token",
                    "in": "query",
                    "required": True,
                    "schema": {"type": "string", "minLength": 1},
                }
            ],
            "responses": {
                "303": {"description": "Signed in; the session cookie is set, on to the page"},
                "200": {
                    "description": "Followed from another site: the page asks to confirm",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
                "400": {
                    "description": "Unknown, used or expired link: the page explains",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                },
                "503": error_answer("Database unavailable"),
            },
        }
    },
    "/api/session": {
        "get": {
            "summary": "Who is signed in, and the session's CSRF token",
            "security": SECURED,
            "responses": {"200": json_answer(_SESSION, "The caller")},
        },
        "post": {
            "summary": "Sign the browser in with an API token",
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["token"],
                            "properties": {"token": NON_BLANK},
                        }
                    }
                },
            },
            "responses": {
                "201": json_answer(
                    {
                        **_SESSION,
                        "properties": {**_SESSION["properties"], "auth": {"const": "session"}},
                    },
                    "Signed in; the session cookie is set",
                ),
                "401": error_answer("Invalid API token"),
                "403": error_answer("Sent from another site"),
            },
        },
        "delete": {
            "summary": "Sign out: end the browser's session",
            "security": SECURED,
            "responses": {"204": {"description": "Signed out"}},
        },
    },
}
