"""The asyncpg connection pool: one per process, created by the app factory."""

from __future__ import annotations

import json

import asyncpg

from docsgen.settings import Settings


async def _init_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec("jsonb", encoder=json.dumps, decoder=json.loads, schema="pg_catalog")


async def create_pool(dsn: str, settings: Settings) -> asyncpg.Pool:
    pool = await asyncpg.create_pool(
        dsn,
        min_size=min(settings.pool_min_size, settings.pool_max_size),
        max_size=settings.pool_max_size,
        init=_init_connection,
        # Fail fast instead of hanging when the server is down or unreachable.
        timeout=settings.database_timeout_seconds,
        command_timeout=30,
        statement_cache_size=settings.statement_cache_size,
    )
    assert pool is not None
    return pool
