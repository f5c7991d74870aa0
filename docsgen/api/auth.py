"""Who is calling: ``Authorization: Bearer <API token>``, or the browser page's session cookie.

A cookie is sent by the browser on its own, so a cookie-authenticated request
that changes state must also carry the session's CSRF token in a header; a
Bearer token is never ambient and needs none.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from aiohttp import web

from docsgen.api.keys import POOL, REQUEST_USER
from docsgen.db.accounts import User, user_for_token
from docsgen.db.sessions import user_for_session
from docsgen.errors import Forbidden, Unauthorized

SESSION_COOKIE = "docsgen_session"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The session id of a cookie-authenticated request (absent for Bearer).
REQUEST_SESSION = web.RequestKey("session_id", str)


def csrf_token(session_id: str) -> str:
    """The CSRF token of a session: derived from its id, so nothing more is stored.

    Only a holder of the cookie's value (the browser's own page, which is told
    it by ``GET /api/session``) can know it; another site cannot.
    """
    digest = hmac.new(session_id.encode(), b"docsgen csrf v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


async def authenticate(request: web.Request) -> User:
    """The calling user, or ``Unauthorized`` (``Forbidden`` for a missing CSRF token).

    Cached on the request.
    """
    cached = request.get(REQUEST_USER)
    if isinstance(cached, User):
        return cached
    header = request.headers.get("Authorization")
    if header:
        user = await _bearer_user(request, header)
    elif SESSION_COOKIE in request.cookies:
        user = await _session_user(request, request.cookies[SESSION_COOKIE])
    else:
        raise Unauthorized("Authentication required: send 'Authorization: Bearer <token>'")
    request[REQUEST_USER] = user
    return user


async def _bearer_user(request: web.Request, header: str) -> User:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    user = await user_for_token(request.app[POOL], token.strip())
    if user is None:
        raise Unauthorized("Invalid API token")
    return user


async def _session_user(request: web.Request, session_id: str) -> User:
    user = await user_for_session(request.app[POOL], session_id) if session_id else None
    if user is None:
        raise Unauthorized("Your session has ended; sign in again")
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), csrf_token(session_id).encode()):
            raise Forbidden(
                f"Missing or wrong {CSRF_HEADER} header: a request signed in by the session "
                "cookie must carry the session's CSRF token"
            )
    request[REQUEST_SESSION] = session_id
    return user
