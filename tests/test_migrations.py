"""Migrations: in order, each once, recorded, safe when two processes start at once."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator

import asyncpg
import pytest

from docsgen.db.migrations import migration_files, pending_migrations
from tests.support import database
from tests.support.processes import docsgen_env


@pytest.fixture
async def empty_database_url(admin_database_url: str) -> AsyncIterator[str]:
    conn = await asyncpg.connect(admin_database_url)
    name = database.unique_name("docsgen_empty")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    yield database.with_database(admin_database_url, name)
    await database.drop(admin_database_url, name)


async def test_two_processes_migrating_at_once_apply_each_file_once(
    empty_database_url: str,
) -> None:
    async def migrate() -> tuple[int, str]:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "docsgen", "migrate",
            env=docsgen_env({"DATABASE_URL": empty_database_url}),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await proc.communicate()
        assert proc.returncode is not None
        return proc.returncode, out.decode() + err.decode()

    results = await asyncio.gather(migrate(), migrate())
    assert [code for code, _ in results] == [0, 0], results
    outputs = sorted(out for _, out in results)
    names = [p.name for p in migration_files()]
    # One process applied everything, the other found nothing left to do.
    assert "applied 0 migration(s)" in outputs[0]
    assert f"applied {len(names)} migration(s)" in outputs[1]

    conn = await asyncpg.connect(empty_database_url)
    try:
        recorded = [
            r["name"] for r in await conn.fetch("SELECT name FROM schema_migrations ORDER BY name")
        ]
        assert recorded == names
        assert await pending_migrations(conn) == []
        # The contract's four columns exist with their CHECK constraints.
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO users (login) VALUES ('x');"
                "INSERT INTO repositories (user_id, provider, path, source_key) "
                "SELECT id, 'local', '/x', 'local:/x' FROM users;"
                "INSERT INTO generated_docs (repository_id, progress) SELECT id, 101 FROM repositories"
            )
        with pytest.raises(asyncpg.CheckViolationError):
            await conn.execute(
                "INSERT INTO users (login) VALUES ('y');"
                "INSERT INTO repositories (user_id, provider, path, source_key) "
                "SELECT id, 'local', '/y', 'local:/y' FROM users WHERE login = 'y';"
                "INSERT INTO generated_docs (repository_id, status) "
                "SELECT id, 'paused' FROM repositories WHERE path = '/y'"
            )
    finally:
        await conn.close()
