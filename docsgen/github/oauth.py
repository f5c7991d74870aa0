"""GitHub's OAuth web flow: a state bound to the user, the code exchanged for a token.

The state is random, kept server-side as a hash bound to the user who started
the flow, expires, and is deleted when used; the browser also carries it in an
HttpOnly cookie, and the callback needs both to match.  A wrong, expired or
replayed state is refused before GitHub is asked anything.
"""

from __future__ import annotations

import hmac
import uuid

import aiohttp
import asyncpg

from docsgen.db import github_connections
from docsgen.errors import BadRequest, GitHubTokenRejected, NotFound
from docsgen.github import tokens
from docsgen.github.client import GitHubClient
from docsgen.github.crypto import TokenCipher
from docsgen.settings import Settings

STATE_COOKIE = "docsgen_github_oauth_state"
COOKIE_PATH = "/auth/github"
# Private repositories need ``repo``; ``read:user`` names the account.
SCOPE = "repo read:user"


def client_credentials(settings: Settings) -> tuple[str, str]:
    if not settings.github_oauth_client_id or not settings.github_oauth_client_secret:
        raise NotFound(
            "GitHub sign-in is not configured on this server "
            "(set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET)"
        )
    return settings.github_oauth_client_id, settings.github_oauth_client_secret


async def begin(
    pool: asyncpg.Pool,
    settings: Settings,
    session: aiohttp.ClientSession,
    user_id: uuid.UUID,
    redirect_uri: str,
) -> tuple[str, str]:
    """(GitHub's authorize URL, the state) for a new sign-in by ``user_id``."""
    client_id, _ = client_credentials(settings)
    TokenCipher.required(settings)  # refuse now rather than after the user approved
    state = await github_connections.create_oauth_state(
        pool, user_id, settings.github_oauth_state_seconds
    )
    url = GitHubClient(session, settings).authorize_url(client_id, redirect_uri, state, SCOPE)
    return url, state


_BAD_STATE = (
    "This GitHub sign-in is invalid, expired or already used; start again from /auth/github/login"
)


async def finish(
    pool: asyncpg.Pool,
    settings: Settings,
    session: aiohttp.ClientSession,
    user_id: uuid.UUID,
    *,
    state: str | None,
    cookie_state: str | None,
    code: str | None,
    error: str | None,
    redirect_uri: str,
) -> github_connections.Connection:
    """Check the state, exchange the code, and store the connection (method ``oauth``)."""
    client_id, client_secret = client_credentials(settings)
    cipher = TokenCipher.required(settings)
    if not state or not cookie_state or not hmac.compare_digest(state, cookie_state):
        raise BadRequest(_BAD_STATE)
    if not await github_connections.consume_oauth_state(pool, user_id, state):
        raise BadRequest(_BAD_STATE)
    if error:
        raise BadRequest(f"GitHub sign-in was not completed: {error[:200]}")
    if not code:
        raise BadRequest("GitHub sent no authorization code; start again from /auth/github/login")
    answer = await GitHubClient(session, settings).exchange_code(
        client_id, client_secret, code, redirect_uri
    )
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        reason = answer.get("error_description") or answer.get("error") or "no token in the answer"
        raise BadRequest(f"GitHub refused the sign-in: {str(reason)[:200]}")
    try:
        account = await GitHubClient(session, settings, token=token).user()
    except GitHubTokenRejected:
        raise BadRequest("GitHub rejected the token it has just issued; try again") from None
    granted = answer.get("scope")
    scopes = (
        tuple(s for s in str(granted).replace(" ", ",").split(",") if s)
        if granted is not None
        else account.scopes
    )
    return await tokens.save_connection(
        pool, cipher, user_id, token=token, login=account.login,
        github_user_id=account.id, scopes=scopes, method="oauth",
    )  # fmt: skip
