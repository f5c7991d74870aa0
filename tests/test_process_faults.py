"""Real processes: a crash mid-run, a clean shutdown mid-run, and the CLI's user commands."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from docsgen.db.jobs import SHUTDOWN_MESSAGE, STALE_MESSAGE
from tests.support.gitrepo import big_repo, commit
from tests.support.processes import Service, create_user, docsgen

LEASE = 2.0


@pytest.fixture
def service_env(database_url: str, repos_root: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DOCSGEN_LOCAL_ROOTS": str(repos_root),
        "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
        "DOCSGEN_SECRET_KEY": "process-test-secret-key-0123456789",
        "DOCSGEN_LEASE_SECONDS": str(LEASE),
        "DOCSGEN_ANALYSIS_WORKERS": "1",
    }


@pytest.fixture
def token(service_env: dict[str, str]) -> str:
    return create_user(service_env, "alice")


async def api(
    session: aiohttp.ClientSession, method: str, url: str, token: str, **kw: Any
) -> tuple[int, Any]:
    async with session.request(
        method, url, headers={"Authorization": f"Bearer {token}"}, **kw
    ) as r:
        return r.status, (
            await r.json() if r.content_type == "application/json" else await r.text()
        )


async def poll_status(
    session: aiohttp.ClientSession,
    base: str,
    token: str,
    repo_id: str,
    until: Callable[[dict[str, Any]], bool],
    timeout: float,
) -> tuple[dict[str, Any], float]:
    """Poll another process's answer until ``until`` holds; returns it and the time taken."""
    start = time.monotonic()
    while True:
        status, body = await api(
            session, "GET", f"{base}/api/repositories/{repo_id}/docs/status", token
        )
        assert status == 200, body
        if until(body):
            return body, time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"status never satisfied the condition; last: {body}")
        await asyncio.sleep(0.05)


async def test_a_killed_process_leaves_a_failed_run_that_can_be_retried(
    service_env: dict[str, str], token: str, repos_root: Path, database_url: str,
    services: Callable[[Mapping[str, str]], Service],
) -> None:  # fmt: skip
    path = big_repo(repos_root)
    first = services(service_env)
    await first.wait_ready()
    async with aiohttp.ClientSession() as s:
        code, repo = await api(s, "POST", f"{first.url}/api/repositories", token,
                               json={"provider": "local", "path": str(path)})  # fmt: skip
        assert code == 201
        code, _ = await api(
            s, "POST", f"{first.url}/api/generate-docs", token, json={"repository_id": repo["id"]}
        )
        assert code == 202
        done, _ = await poll_status(
            s, first.url, token, repo["id"], lambda b: b["status"] != "generating", 120
        )
        assert done["status"] == "completed", done
        code, old_docs = await api(
            s, "GET", f"{first.url}/api/repositories/{repo['id']}/docs.md", token
        )

        commit(path, {"README.md": "# Big\n\nThe new description.\n"})
        code, _ = await api(
            s, "POST", f"{first.url}/api/generate-docs", token, json={"repository_id": repo["id"]}
        )
        assert code == 202
        first.proc.send_signal(signal.SIGKILL)
        first.wait()
        killed_at = time.monotonic()

        conn = await asyncpg.connect(database_url)
        try:
            row = await conn.fetchrow(
                "SELECT status, content FROM generated_docs WHERE repository_id = $1::uuid",
                repo["id"],
            )
        finally:
            await conn.close()
        assert row is not None and row["status"] == "generating"  # the crash left it mid-run
        assert row["content"] == old_docs

        second = services(service_env)
        await second.wait_ready()
        failed, _ = await poll_status(
            s, second.url, token, repo["id"], lambda b: b["status"] == "failed", 30
        )
        waited = time.monotonic() - killed_at
        assert failed["error_message"] == STALE_MESSAGE
        # Within the lease plus one reaper interval (which is at most the lease / 2), plus start-up.
        assert waited < LEASE * 1.5 + 15
        code, during = await api(
            s, "GET", f"{second.url}/api/repositories/{repo['id']}/docs.md", token
        )
        assert during == old_docs

        code, _ = await api(
            s, "POST", f"{second.url}/api/generate-docs", token, json={"repository_id": repo["id"]}
        )
        assert code == 202
        code, retrying = await api(
            s, "GET", f"{second.url}/api/repositories/{repo['id']}/docs", token
        )
        if retrying["status"] == "generating":
            code, markdown = await api(
                s, "GET", f"{second.url}/api/repositories/{repo['id']}/docs.md", token
            )
            assert markdown == old_docs
        final, _ = await poll_status(
            s, second.url, token, repo["id"], lambda b: b["status"] != "generating", 120
        )
        assert final["status"] == "completed", final
        code, new_docs = await api(
            s, "GET", f"{second.url}/api/repositories/{repo['id']}/docs", token
        )
        assert "The new description." in new_docs["page"]["markdown"]


async def test_sigterm_during_a_run_leaves_no_row_generating(
    service_env: dict[str, str], token: str, repos_root: Path, database_url: str,
    services: Callable[[Mapping[str, str]], Service],
) -> None:  # fmt: skip
    path = big_repo(repos_root)
    service = services({**service_env, "DOCSGEN_SHUTDOWN_GRACE_SECONDS": "0.2"})
    await service.wait_ready()
    async with aiohttp.ClientSession() as s:
        code, repo = await api(s, "POST", f"{service.url}/api/repositories", token,
                               json={"provider": "local", "path": str(path)})  # fmt: skip
        code, _ = await api(
            s, "POST", f"{service.url}/api/generate-docs", token, json={"repository_id": repo["id"]}
        )
        assert code == 202
    service.proc.send_signal(signal.SIGTERM)
    assert service.wait(timeout=30) == 0, service.output()
    conn = await asyncpg.connect(database_url)
    try:
        row = await conn.fetchrow(
            "SELECT status, error_message FROM generated_docs WHERE repository_id = $1::uuid",
            repo["id"],
        )
    finally:
        await conn.close()
    assert row is not None
    assert row["status"] in ("completed", "failed")
    if row["status"] == "failed":
        assert row["error_message"] == SHUTDOWN_MESSAGE


def test_users_create_prints_the_token_alone_on_the_last_line(service_env: dict[str, str]) -> None:
    created = docsgen("users", "create", "dora", env=service_env)
    assert created.returncode == 0, created.stderr
    token = created.stdout.strip().splitlines()[-1]
    assert token.startswith("dg_") and " " not in token
    again = docsgen("users", "create", "dora", env=service_env)
    assert again.returncode == 1
    assert "A user named 'dora' already exists" in again.stderr
    another = docsgen("users", "token", "dora", env=service_env)
    assert another.returncode == 0
    assert another.stdout.strip().splitlines()[-1] not in ("", token)
    missing = docsgen("users", "token", "nobody", env=service_env)
    assert missing.returncode == 1
    assert "No user named 'nobody'" in missing.stderr


def test_a_malformed_setting_stops_the_service_naming_it(service_env: dict[str, str]) -> None:
    result = docsgen("serve", env={**service_env, "DOCSGEN_PORT": "eighty"})
    assert result.returncode == 2
    assert "DOCSGEN_PORT must be a whole number, got 'eighty'" in result.stderr
    result = docsgen("migrate", env={**service_env, "GITHUB_API_URL": "not a url"})
    assert result.returncode == 2
    assert "GITHUB_API_URL" in result.stderr
