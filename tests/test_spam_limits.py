"""Spam prevention beyond one repository: per-user and per-process caps, a request rate limit.

The per-user limits are exact across processes: two real ``docsgen serve``
processes on one database allow together what one would.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from docsgen.api.app import create_app
from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support.api import register_local, wait_for_runs
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.processes import Service, create_user
from tests.test_lifecycle import Gate


async def started_app(
    settings: Settings, aiohttp_client: Any, **overrides: Any
) -> tuple[web.Application, Any]:
    app = create_app(replace(settings, **overrides))
    return app, await aiohttp_client(app)


async def bearer(app: web.Application, login: str) -> dict[str, str]:
    user = await accounts.create_user(app[POOL], login)
    return {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], user)}"}


async def test_a_user_over_their_run_cap_gets_429_and_the_409_is_unchanged(
    settings: Settings, aiohttp_client: Any, repos_root: Path
) -> None:
    app, client = await started_app(settings, aiohttp_client, max_runs_per_user=2)
    auth = await bearer(app, "alice")
    repos = []
    for i in range(3):
        make_repo(repos_root / f"r{i}", SAMPLE_FILES)
        repos.append(await register_local(client, auth, repos_root / f"r{i}"))
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)

    for repo in repos[:2]:
        r = await client.post(
            "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
        )
        assert r.status == 202
    third = await client.post(
        "/api/generate-docs", json={"repository_id": repos[2]["id"]}, headers=auth
    )
    assert third.status == 429
    assert third.headers["Retry-After"] == "10"
    assert await third.json() == {
        "error": "You already have 2 generations running (the limit is 2); wait for one to finish"
    }
    again = await client.post(
        "/api/generate-docs", json={"repository_id": repos[0]["id"]}, headers=auth
    )
    assert again.status == 409
    assert (await again.json())["error"] == "Documentation generation is already in progress"

    # Another user is not held back by Alice's runs.
    bob = await bearer(app, "bob")
    make_repo(repos_root / "bobs", SAMPLE_FILES)
    bobs = await register_local(client, bob, repos_root / "bobs")
    r = await client.post("/api/generate-docs", json={"repository_id": bobs["id"]}, headers=bob)
    assert r.status == 202

    gate.release.set()
    await wait_for_runs(app)
    r = await client.post(
        "/api/generate-docs", json={"repository_id": repos[2]["id"]}, headers=auth
    )
    assert r.status == 202
    await wait_for_runs(app)


async def test_a_process_at_its_run_cap_answers_429(
    settings: Settings, aiohttp_client: Any, repos_root: Path
) -> None:
    app, client = await started_app(settings, aiohttp_client, max_runs_per_process=1)
    alice, bob = await bearer(app, "alice"), await bearer(app, "bob")
    make_repo(repos_root / "a", SAMPLE_FILES)
    make_repo(repos_root / "b", SAMPLE_FILES)
    a = await register_local(client, alice, repos_root / "a")
    b = await register_local(client, bob, repos_root / "b")
    gate = Gate(hold_at="Fetching repository metadata")
    app[RUN_DEPS].on_progress.append(gate)
    assert (
        await client.post("/api/generate-docs", json={"repository_id": a["id"]}, headers=alice)
    ).status == 202
    r = await client.post("/api/generate-docs", json={"repository_id": b["id"]}, headers=bob)
    assert r.status == 429
    assert r.headers["Retry-After"] == "10"
    assert await r.json() == {
        "error": "This server is running its maximum of 1 generations; try again shortly"
    }
    gate.release.set()
    await wait_for_runs(app)


async def test_state_changing_requests_are_rate_limited_per_user(
    settings: Settings, aiohttp_client: Any
) -> None:
    app, client = await started_app(settings, aiohttp_client, state_changes_per_minute=3)
    alice, bob = await bearer(app, "alice"), await bearer(app, "bob")
    for _ in range(3):
        r = await client.post("/api/repositories", json={"provider": "svn"}, headers=alice)
        assert r.status == 400
    r = await client.post("/api/repositories", json={"provider": "svn"}, headers=alice)
    assert r.status == 429
    assert r.headers["Retry-After"] == "20"  # one request's worth of a minute
    assert await r.json() == {"error": "Too many requests: slow down and try again shortly"}
    # Reads are not limited, and other users have their own allowance.
    assert (await client.get("/api/repositories", headers=alice)).status == 200
    assert (
        await client.post("/api/repositories", json={"provider": "svn"}, headers=bob)
    ).status == 400
    # Unauthenticated requests still get 401, not 429.
    assert (await client.post("/api/repositories", json={})).status == 401


# --- across processes ---------------------------------------------------------------


@pytest.fixture
def service_env(database_url: str, repos_root: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DOCSGEN_LOCAL_ROOTS": str(repos_root),
        "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
        "DOCSGEN_SECRET_KEY": "spam-limits-secret-key-0123456789",
        "DOCSGEN_ANALYSIS_WORKERS": "1",
    }


async def two_services(
    env: Mapping[str, str], services: Callable[[Mapping[str, str]], Service]
) -> tuple[Service, Service]:
    first, second = services(env), services(env)
    await asyncio.gather(first.wait_ready(), second.wait_ready())
    return first, second


async def test_the_request_rate_is_counted_once_across_two_processes(
    service_env: dict[str, str], services: Callable[[Mapping[str, str]], Service]
) -> None:
    env = {**service_env, "DOCSGEN_STATE_CHANGES_PER_MINUTE": "4"}
    alice, bob = create_user(env, "alice"), create_user(env, "bob")
    first, second = await two_services(env, services)

    async def post(http: aiohttp.ClientSession, service: Service, token: str) -> int:
        async with http.post(
            f"{service.url}/api/repositories",
            json={"provider": "svn"},
            headers={"Authorization": f"Bearer {token}"},
        ) as response:
            if response.status == 429:
                assert int(response.headers["Retry-After"]) >= 1
            return response.status

    async with aiohttp.ClientSession() as http:
        # Twelve at once, six to each process: four pass in all, as one process would allow.
        statuses = await asyncio.gather(
            *(post(http, service, alice) for service in (first, second) * 6)
        )
        assert sorted(statuses) == [400] * 4 + [429] * 8
        assert await post(http, first, alice) == 429
        assert await post(http, second, alice) == 429
        # Bob's allowance is his own.
        assert await post(http, second, bob) == 400
