"""Database access: every SQL statement of the service lives in this package."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# Anything a statement can run on: a pool, a connection, or a pooled connection.
Queryable: TypeAlias = "asyncpg.Connection | asyncpg.Pool | PoolConnectionProxy"

# What a lost or unreachable database raises: the server went away, a network
# fault, a connect, pool or statement timeout.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
)
