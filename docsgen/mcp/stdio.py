"""``docsgen mcp``: the MCP tools over stdin/stdout, for an assistant on this machine.

The process acts for one user, named by ``--user LOGIN`` or by an API token in
``DOCSGEN_API_TOKEN`` (the same token ``/mcp`` takes), and reads the database the
other commands use.  A run ``generate_docs`` starts is a task of this process, as
a run the HTTP API starts is one of the server's: when the assistant closes the
connection, the process finishes or fails its runs (within the shutdown grace)
before it exits, so none stays ``generating``.  Logs go to stderr; stdout carries
the protocol alone.
"""

from __future__ import annotations

import asyncpg

from docsgen.db import accounts
from docsgen.db.accounts import User
from docsgen.db.migrations import apply_migrations
from docsgen.db.pool import create_pool
from docsgen.errors import Unauthorized
from docsgen.jobs.host import hosted_runs
from docsgen.mcp.server import build_server
from docsgen.settings import Settings

TOKEN_VARIABLE = "DOCSGEN_API_TOKEN"


async def serve_stdio(
    settings: Settings, dsn: str, *, login: str | None, token: str | None
) -> None:
    """Answer MCP requests on stdin/stdout until the client closes them."""
    pool = await create_pool(dsn, settings)
    try:
        async with pool.acquire() as conn:
            await apply_migrations(conn)
        user = await _user(pool, login, token)
        async with hosted_runs(settings, pool) as deps:
            server = build_server(lambda: deps, lambda _ctx: user.id)
            await server.run_stdio_async()
    finally:
        await pool.close()


async def _user(pool: asyncpg.Pool, login: str | None, token: str | None) -> User:
    if login is not None:
        return await accounts.find_user(pool, login)
    assert token is not None
    user = await accounts.user_for_token(pool, token.strip())
    if user is None:
        raise Unauthorized(f"Invalid API token in {TOKEN_VARIABLE}")
    return user
