"""What a repeated run on an unchanged head costs, against a full run, on Django's source.

Prints figures, asserts nothing.  Run from the repository root with a PostgreSQL
at ``DOCSGEN_TEST_DATABASE_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``):
``PYTHONPATH=. python bench/freshness.py``.

The repository is served by the test suite's fake GitHub (a real HTTP server on
127.0.0.1), so the full run includes the tarball download and the counts are
GitHub requests.  Three runs, one after the other: the first (full), the same
request again (up to date: no tree, no tarball), and a forced one (full again,
the baseline measured in the same run).  Then the cost of learning the head
(``POST .../docs/check``) against a status poll.
"""

from __future__ import annotations

import asyncio
import dataclasses
import tempfile
import time
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from bench.corpus import django_checkout
from docsgen.api.app import create_app
from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support import database
from tests.support.fake_github import FakeGitHub, connect_github, register_github

ROUTES = ("repo", "commit", "tree", "tarball", "codeload", "compare")


async def timed_run(
    client: TestClient[Any, Any], headers: dict[str, str], repo_id: str, **extra: Any
) -> tuple[float, dict[str, Any]]:
    started = time.perf_counter()
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo_id, **extra}, headers=headers
    )
    assert response.status == 202, await response.text()
    await client.app[RUN_DEPS].registry.join()
    elapsed = time.perf_counter() - started
    status = await client.get(f"/api/repositories/{repo_id}/docs/status", headers=headers)
    return elapsed, await status.json()


async def main() -> None:
    source = django_checkout()
    admin = database.admin_url()
    template = await database.create_template(admin)
    name = await database.create_from_template(admin, template)
    fake = FakeGitHub()
    await fake.start()
    try:
        with tempfile.TemporaryDirectory() as data:
            settings = fake.settings_for(
                Settings(
                    database_url=database.with_database(admin, name),
                    data_dir=Path(data),
                    secret_key="bench-secret-key-0123456789abcdef",
                    github_timeout_seconds=120.0,
                )
            )
            settings = dataclasses.replace(settings, max_files=200_000)
            async with TestClient(TestServer(create_app(settings))) as client:
                await bench(client, fake, source)
    finally:
        await fake.close()
        await database.drop(admin, name)
        await database.drop(admin, template)


async def bench(client: TestClient[Any, Any], fake: FakeGitHub, source: Path) -> None:
    pool = client.app[POOL]
    user = await accounts.create_user(pool, "bench")
    headers = {"Authorization": f"Bearer {await accounts.issue_token(pool, user)}"}
    account = fake.add_user("bench-gh")
    await connect_github(client, headers, account.token)
    fake.add_repo("bench-gh", "django", source)
    repo_id = str((await register_github(client, headers, "bench-gh/django"))["id"])
    files = sum(1 for e in fake.repos["bench-gh/django"].tree if e["type"] == "blob")
    tarball = len(fake.repos["bench-gh/django"].tarball)
    print(f"Django checkout: {files} files, tarball {tarball / 2**20:.1f} MiB")

    rows = []
    for label, extra in (("first run", {}), ("same head again", {}), ("forced", {"force": True})):
        before = {r: fake.count(r) for r in ROUTES}
        elapsed, status = await timed_run(client, headers, repo_id, **extra)
        asked = {r: fake.count(r) - before[r] for r in ROUTES if fake.count(r) > before[r]}
        rows.append((label, elapsed, status["current_step"], asked))
    for label, elapsed, step, asked in rows:
        requests = ", ".join(f"{r} {n}" for r, n in asked.items())
        print(f"{label:>16}: {elapsed:8.3f} s  {step!r:40}  GitHub: {requests}")
    full = rows[2][1]
    print(f"up to date / forced full run: {rows[1][1] / full:.4f}")

    polls = 50
    started = time.perf_counter()
    for _ in range(polls):
        await client.get(f"/api/repositories/{repo_id}/docs/status", headers=headers)
    poll = (time.perf_counter() - started) / polls
    checks = 10
    before_compare = fake.count("compare")
    started = time.perf_counter()
    for _ in range(checks):
        response = await client.post(f"/api/repositories/{repo_id}/docs/check", headers=headers)
        assert response.status == 200
    check = (time.perf_counter() - started) / checks
    print(
        f"status poll: {poll * 1000:.2f} ms, GitHub requests 0; docs/check (head unchanged): "
        f"{check * 1000:.2f} ms, compare requests {fake.count('compare') - before_compare}"
    )


if __name__ == "__main__":
    asyncio.run(main())
