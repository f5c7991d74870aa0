"""Who is calling: ``Authorization: Bearer <API token>`` (and, with the page, a session)."""

from __future__ import annotations

from aiohttp import web

from docsgen.api.keys import POOL, REQUEST_USER
from docsgen.db.accounts import User, user_for_token
from docsgen.errors import Unauthorized


async def authenticate(request: web.Request) -> User:
    """The calling user, or ``Unauthorized``.  Cached on the request."""
    cached = request.get(REQUEST_USER)
    if isinstance(cached, User):
        return cached
    header = request.headers.get("Authorization")
    if not header:
        raise Unauthorized("Authentication required: send 'Authorization: Bearer <token>'")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized("Authorization must be 'Bearer <token>'")
    user = await user_for_token(request.app[POOL], token.strip())
    if user is None:
        raise Unauthorized("Invalid API token")
    request[REQUEST_USER] = user
    return user
