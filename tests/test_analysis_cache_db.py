"""The PostgreSQL analysis cache: round trip, first value wins, and never failing a run."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import asyncpg
import pytest

from docsgen.db.analysis_cache import PostgresAnalysisCache
from docsgen.generator.version import CACHE_VERSION


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Pool]:
    pool = await asyncpg.create_pool(database_url, min_size=1, max_size=2)
    assert pool is not None
    yield pool
    await pool.close()


async def test_stored_values_come_back_and_unknown_keys_are_absent(db: asyncpg.Pool) -> None:
    cache = PostgresAnalysisCache(db, version=CACHE_VERSION)
    assert await cache.get_many(["a", "b"]) == {}
    await cache.put_many({"a": b"first", "b": b"\x00binary\xff"})
    assert await cache.get_many(["a", "b", "c"]) == {"a": b"first", "b": b"\x00binary\xff"}
    versions = await db.fetch("SELECT DISTINCT version FROM analysis_cache")
    assert [r["version"] for r in versions] == [CACHE_VERSION]


async def test_a_key_keeps_its_first_value(db: asyncpg.Pool) -> None:
    cache = PostgresAnalysisCache(db, version=CACHE_VERSION)
    await cache.put_many({"k": b"one"})
    await cache.put_many({"k": b"two", "other": b"x"})
    assert await cache.get_many(["k", "other"]) == {"k": b"one", "other": b"x"}


async def test_many_keys_are_read_and_written_in_batches(db: asyncpg.Pool) -> None:
    cache = PostgresAnalysisCache(db, version=CACHE_VERSION)
    items = {f"key-{i}": f"value-{i}".encode() for i in range(1234)}
    await cache.put_many(items)
    assert await cache.get_many(sorted(items)) == items
    assert await cache.held([*sorted(items), "absent"]) == set(items)


async def test_which_keys_are_held_is_told_without_their_values(db: asyncpg.Pool) -> None:
    cache = PostgresAnalysisCache(db, "section_cache", version=CACHE_VERSION)
    await cache.put_many({"piece": b"x" * 100_000})
    assert await cache.held(["piece", "other"]) == {"piece"}
    assert await cache.held([]) == set()


async def test_an_unusable_cache_reads_as_empty_and_loses_writes_with_a_warning(
    db: asyncpg.Pool, caplog: pytest.LogCaptureFixture
) -> None:
    cache = PostgresAnalysisCache(db, version=CACHE_VERSION)
    await cache.put_many({"k": b"v"})
    await db.execute("DROP TABLE analysis_cache")
    with caplog.at_level(logging.WARNING, logger="docsgen.db.analysis_cache"):
        assert await cache.get_many(["k"]) == {}
        assert await cache.held(["k"]) == set()  # so everything is sent: nothing is lost
        await cache.put_many({"k": b"v"})
    messages = [r.getMessage() for r in caplog.records]
    assert any("analysis cache unreadable" in m for m in messages)
    assert any("could not store 1 analyses" in m for m in messages)
