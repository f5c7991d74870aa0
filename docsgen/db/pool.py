"""The asyncpg connection pool: one per process, created by the app factory.

Nothing waits on the database for longer than ``database_timeout_seconds``: not
a connect, not a statement, not a turn for a pooled connection.  A database
that is down, unreachable or silently partitioned becomes a ``TimeoutError``
(or a connection error) that the HTTP layer answers with 503, and the pool
replaces the connections that failed by itself.
"""

from __future__ import annotations

import json
from typing import Any

import asyncpg
from asyncpg.pool import PoolAcquireContext

from docsgen.db import DatabaseUnreachable
from docsgen.settings import Settings


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def _connect(*args: Any, **kwargs: Any) -> asyncpg.Connection:
    """asyncpg's connect, where every failure to reach the server is a ``ConnectionError``.

    So ``DATABASE_ERRORS`` need not count every ``OSError`` (a file name too long
    is not a database failure), yet an unknown host or a missing socket is one.
    """
    try:
        return await asyncpg.connect(*args, **kwargs)
    except (ConnectionError, TimeoutError):
        raise
    except OSError as exc:
        raise DatabaseUnreachable(f"cannot reach the database: {exc}") from exc


class TimedPool(asyncpg.Pool):
    """A pool whose ``acquire`` waits ``acquire_timeout`` seconds unless told otherwise.

    ``pool.fetch`` and the other shortcuts acquire through it, so they are
    bounded too (asyncpg's own default is to wait for ever).
    """

    def __init__(self, *args: Any, acquire_timeout: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.acquire_timeout = acquire_timeout

    def acquire(self, *, timeout: float | None = None) -> PoolAcquireContext:
        return super().acquire(timeout=self.acquire_timeout if timeout is None else timeout)


async def create_pool(dsn: str, settings: Settings) -> asyncpg.Pool:
    timeout = settings.database_timeout_seconds
    pool = TimedPool(
        dsn,
        acquire_timeout=timeout,
        min_size=min(settings.pool_min_size, settings.pool_max_size),
        max_size=settings.pool_max_size,
        max_queries=50_000,
        max_inactive_connection_lifetime=300.0,
        init=_init_connection,
        connect=_connect,
        loop=None,
        connection_class=asyncpg.Connection,
        record_class=asyncpg.Record,
        # connect and statement timeouts
        timeout=timeout,
        command_timeout=timeout,
        statement_cache_size=settings.statement_cache_size,
    )
    await pool
    return pool
