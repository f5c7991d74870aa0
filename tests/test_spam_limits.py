"""Spam prevention beyond one repository: per-user and per-process caps, a request rate limit.

The per-user limits are exact across processes: two real ``docsgen serve``
processes on one database allow together what one would.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from aiohttp import web

from docsgen.api.app import create_app
from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support.api import register_local, wait_for_runs
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.live import events_path, wide_session
from tests.support.processes import Service, create_user
from tests.support.sse import EventStream, open_stream
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


async def test_a_live_process_taken_for_dead_counts_its_open_streams_again(
    settings: Settings, aiohttp_client: Any, repos_root: Path
) -> None:
    app, client = await started_app(
        settings, aiohttp_client, heartbeat_seconds=0.1, sse_keepalive_seconds=0.2
    )
    auth = await bearer(app, "alice")
    make_repo(repos_root / "a", SAMPLE_FILES)
    repo = await register_local(client, auth, repos_root / "a")
    pool = app[POOL]

    async def rows_become(count: int) -> None:
        deadline = time.monotonic() + 10
        while True:
            rows = await pool.fetchval("SELECT count(*) FROM event_streams")
            if rows == count:
                return
            assert time.monotonic() < deadline, f"{rows} stream rows, not {count}"
            await asyncio.sleep(0.05)  # the process's heartbeat, with a deadline

    stream = await client.get(f"/api/repositories/{repo['id']}/docs/events", headers=auth)
    assert stream.status == 200
    await rows_become(1)
    # Another process found this one's heartbeat too old (the database was away for
    # a lease, say) and deleted it with its streams: the next heartbeat writes it back.
    assert await pool.execute("DELETE FROM service_processes") == "DELETE 1"
    await rows_become(1)
    stream.close()  # noticed at the next keep-alive: the stream is uncounted
    await rows_become(0)


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


STREAM_CAP = 3
LEASE = 2.0


async def register_at(service: Service, token: str, path: Path) -> str:
    async with (
        aiohttp.ClientSession() as http,
        http.post(
            f"{service.url}/api/repositories",
            json={"provider": "local", "path": str(path)},
            headers={"Authorization": f"Bearer {token}"},
        ) as response,
    ):
        assert response.status == 201, await response.text()
        repository_id: str = (await response.json())["id"]
        return repository_id


async def test_open_streams_are_capped_per_user_exactly_across_two_processes(
    service_env: dict[str, str],
    repos_root: Path,
    database_url: str,
    services: Callable[[Mapping[str, str]], Service],
) -> None:
    env = {
        **service_env,
        "DOCSGEN_MAX_STREAMS_PER_USER": str(STREAM_CAP),
        "DOCSGEN_SSE_KEEPALIVE_SECONDS": "0.5",
        "DOCSGEN_LEASE_SECONDS": str(LEASE),
    }
    alice, bob = create_user(env, "alice"), create_user(env, "bob")
    first, second = await two_services(env, services)
    make_repo(repos_root / "a", SAMPLE_FILES)
    make_repo(repos_root / "b", SAMPLE_FILES)
    # Idle repositories: their streams stay open until the client or the process goes.
    alices = await register_at(first, alice, repos_root / "a")
    bobs = await register_at(second, bob, repos_root / "b")
    as_alice = {"Authorization": f"Bearer {alice}"}
    opened: list[tuple[Service, EventStream]] = []

    async with wide_session() as session:

        async def attempt(service: Service) -> EventStream:
            stream = await open_stream(session, service.url + events_path(alices), as_alice)
            if stream.response.status == 200:
                opened.append((service, stream))
            else:
                assert stream.response.status == 429, await stream.response.text()
                assert stream.response.headers["Retry-After"] == "1"  # a keep-alive interval
                assert (await stream.response.json())["error"] == (
                    "You already have 3 progress streams open (the limit is 3); "
                    "close one, or poll the status instead"
                )
            return stream

        async def until_one_opens(service: Service, deadline: float) -> None:
            while (await attempt(service)).response.status != 200:
                assert time.monotonic() < deadline, "no stream slot freed"
                await asyncio.sleep(0.1)  # asking another process, with a deadline

        # Six at once, three to each process: three open, as one process would allow.
        burst = await asyncio.gather(*(attempt(s) for s in (first, second) * 3))
        assert sorted(s.response.status for s in burst) == [200] * 3 + [429] * 3
        # Bob's streams are his own.
        bobs_stream = await open_stream(
            session, second.url + events_path(bobs), {"Authorization": f"Bearer {bob}"}
        )
        assert bobs_stream.response.status == 200

        # A stream that ends frees its slot for either process.
        closed_at, stream = opened.pop(0)
        stream.close()
        other = second if closed_at is first else first
        await until_one_opens(other, time.monotonic() + 10)
        assert (await attempt(first)).response.status == 429

        # A process that dies stops counting its streams one lease later, and they go.
        other.kill()
        survivor = first if other is second else second
        still_open = sum(1 for service, _ in opened if service is survivor)
        assert still_open < STREAM_CAP
        await until_one_opens(survivor, time.monotonic() + LEASE + 10)
        while len([s for s, _ in opened if s is survivor]) < STREAM_CAP:
            assert (await attempt(survivor)).response.status == 200
        assert (await attempt(survivor)).response.status == 429
        conn = await asyncpg.connect(database_url)
        try:
            deadline = time.monotonic() + LEASE + 10
            while await conn.fetchval("SELECT count(*) FROM service_processes") != 1:
                assert time.monotonic() < deadline, "the dead process's rows stayed"
                await asyncio.sleep(0.1)  # another process's heartbeat, with a deadline
            # The survivor's three of Alice's and Bob's one, if Bob's was on the survivor.
            rows = await conn.fetchval("SELECT count(*) FROM event_streams")
            assert rows == STREAM_CAP + (1 if survivor is second else 0)
        finally:
            await conn.close()
        for _, stream in opened:
            stream.close()
        bobs_stream.close()
