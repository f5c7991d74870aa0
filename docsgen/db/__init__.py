"""Database access: every SQL statement of the service lives in this package."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# Anything a statement can run on: a pool, a connection, or a pooled connection.
Queryable: TypeAlias = "asyncpg.Connection | asyncpg.Pool | PoolConnectionProxy"
# One connection, for what runs in a transaction of its own.
Connection: TypeAlias = "asyncpg.Connection | PoolConnectionProxy"


class DatabaseUnreachable(ConnectionError):
    """Connecting to PostgreSQL failed with an ``OSError`` that is no ``ConnectionError``
    (an unknown host, no route, a missing socket file); raised by the pool's connect."""


# What a lost or unreachable database raises: the server went away, a network
# fault, a connect, pool or statement timeout.  Not any ``OSError``: a file name
# too long or a symbolic-link loop in a request is the caller's error, not the
# database's.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,  # DatabaseUnreachable among them
    TimeoutError,
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.OperatorInterventionError,
)
