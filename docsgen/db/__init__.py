"""Database access: every SQL statement of the service lives in this package."""

from __future__ import annotations

from typing import TypeAlias

import asyncpg
from asyncpg.pool import PoolConnectionProxy

# Anything a statement can run on: a pool, a connection, or a pooled connection.
Queryable: TypeAlias = "asyncpg.Connection | asyncpg.Pool | PoolConnectionProxy"
