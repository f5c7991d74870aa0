"""The analysis cache in PostgreSQL: every statement on ``analysis_cache``, in one place.

It is a cache, so it never fails a run: if the database cannot be read the
files are analysed anew, and if it cannot be written the next run analyses
them again; both are logged.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence

import asyncpg

log = logging.getLogger(__name__)

BATCH = 500  # keys or rows per statement, so no single statement gets huge
_ERRORS = (OSError, TimeoutError, asyncpg.PostgresError, asyncpg.InterfaceError)


# The tables with this layout: per-file analyses, and the sections and citation checks
# derived from them (sql/004_analysis_cache.sql, sql/008_section_cache.sql).
TABLES = frozenset({"analysis_cache", "section_cache"})


class PostgresAnalysisCache:
    """The engine's ``Store`` over the ``analysis_cache`` table, or another of ``TABLES``."""

    def __init__(self, pool: asyncpg.Pool, table: str = "analysis_cache", *, version: str) -> None:
        if table not in TABLES:
            raise ValueError(f"not a cache table: {table}")
        self.pool = pool
        self.table = table  # one of TABLES, never user input: safe to write into SQL
        self.version = version  # of the values written, as the generator names it

    async def get_many(self, keys: Sequence[str]) -> Mapping[str, bytes]:
        found: dict[str, bytes] = {}
        try:
            for start in range(0, len(keys), BATCH):
                rows = await self.pool.fetch(
                    f"SELECT key, value FROM {self.table} WHERE key = ANY($1::text[])",
                    list(keys[start : start + BATCH]),
                )
                found.update((r["key"], bytes(r["value"])) for r in rows)
        except _ERRORS as exc:
            log.warning("analysis cache unreadable, analysing every file anew: %s", exc)
            return {}
        return found

    async def held(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        try:
            for start in range(0, len(keys), BATCH):
                rows = await self.pool.fetch(
                    f"SELECT key FROM {self.table} WHERE key = ANY($1::text[])",
                    list(keys[start : start + BATCH]),
                )
                found.update(r["key"] for r in rows)
        except _ERRORS as exc:  # every entry is then sent; the store keeps what it has
            log.warning("cache unreadable, storing every entry: %s", exc)
            return set()
        return found

    async def put_many(self, items: Mapping[str, bytes]) -> None:
        pairs = sorted(items.items())
        try:
            for start in range(0, len(pairs), BATCH):
                batch = pairs[start : start + BATCH]
                await self.pool.execute(
                    f"""
                    INSERT INTO {self.table} (key, version, value)
                    SELECT k, $3, v FROM unnest($1::text[], $2::bytea[]) AS t(k, v)
                    ON CONFLICT (key) DO NOTHING
                    """,
                    [k for k, _ in batch],
                    [v for _, v in batch],
                    self.version,
                )
        except _ERRORS as exc:
            log.warning("could not store %d analyses in the cache: %s", len(pairs), exc)
