"""Real ``docsgen serve`` processes sharing one database: any process serves any subscriber."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.live import events_path, subscribe_many, wide_session
from tests.support.processes import Service, create_user
from tests.support.sse import open_stream

# CONTRACT §3, in order; the sections in between depend on the repository.
BEFORE_SECTIONS = [
    (0, "Initializing..."),
    (20, "Fetching repository metadata"),
    (30, "Fetching GitHub authentication"),
    (40, "Fetching repository file tree"),
    (50, "Analyzing code structure"),
]
AFTER_SECTIONS = [(90, "Saving documentation"), (100, "Completed")]


def schedule_rank(state: tuple[int, str]) -> int:
    """Where a state stands in the contract's schedule; fails on a state it does not have."""
    progress, step = state
    if state in BEFORE_SECTIONS:
        return BEFORE_SECTIONS.index(state)
    if state in AFTER_SECTIONS:
        return len(BEFORE_SECTIONS) + 1 + AFTER_SECTIONS.index(state)
    assert 50 < progress <= 80, state
    assert step.startswith("Generating documentation: ") and step.endswith("..."), state
    return len(BEFORE_SECTIONS)


@pytest.fixture
def service_env(database_url: str, repos_root: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DOCSGEN_LOCAL_ROOTS": str(repos_root),
        "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
        "DOCSGEN_SECRET_KEY": "live-test-secret-key-0123456789ab",
        "DOCSGEN_ANALYSIS_WORKERS": "1",
    }


@pytest.fixture
def token(service_env: dict[str, str]) -> str:
    return create_user(service_env, "alice")


async def register(
    session: aiohttp.ClientSession, base: str, auth: dict[str, str], path: Path
) -> str:
    async with session.post(
        f"{base}/api/repositories", json={"provider": "local", "path": str(path)}, headers=auth
    ) as r:
        assert r.status == 201, await r.text()
        repository_id: str = (await r.json())["id"]
        return repository_id


async def test_a_run_started_through_one_process_streams_to_a_subscriber_of_another(
    services: Callable[[Mapping[str, str]], Service],
    service_env: dict[str, str],
    token: str,
    sample_repo: Path,
) -> None:
    a, b = services(service_env), services(service_env)
    await asyncio.gather(a.wait_ready(), b.wait_ready())
    auth = {"Authorization": f"Bearer {token}"}
    async with wide_session() as session:
        repository_id = await register(session, a.url, auth, sample_repo)
        stream = await open_stream(session, b.url + events_path(repository_id), auth)
        assert stream.response.status == 200
        first = await stream.next_event()
        assert first is not None and first.state == (0, "idle", 0, None)

        async with session.post(
            f"{a.url}/api/generate-docs", json={"repository_id": repository_id}, headers=auth
        ) as r:
            assert r.status == 202, await r.text()
        events = await asyncio.wait_for(stream.read_to_end(), 60)

        ids = [e.id for e in events]
        assert ids == sorted(set(ids)), ids
        states = [(e.data["progress"], e.data["current_step"]) for e in events[1:]]
        # In the contract's order; a state that lived shorter than one row read
        # may be superseded by the next, but the end is always there.
        ranks = [schedule_rank(s) for s in states]
        assert ranks == sorted(ranks), states
        assert [p for p, _ in states] == sorted(p for p, _ in states), states
        assert len(states) >= 3, states
        assert events[-1].data["status"] == "completed"
        assert all(e.data["status"] == "generating" for e in events[1:-1])
        async with session.get(
            f"{a.url}/api/repositories/{repository_id}/docs/status", headers=auth
        ) as r:
            assert events[-1].data == await r.json()

        # EventSource reconnects to B after the end: 204, it stops.
        again = await open_stream(
            session, b.url + events_path(repository_id), auth, last_event_id=events[-1].id
        )
        assert again.response.status == 204
        again.close()
        # Process A, which never had a subscriber, serves the same final state.
        late = await open_stream(session, a.url + events_path(repository_id), auth)
        assert [e.data for e in await late.read_to_end()] == [events[-1].data]


async def test_shutdown_with_500_open_streams_ends_them_all_within_2_seconds(
    services: Callable[[Mapping[str, str]], Service],
    service_env: dict[str, str],
    token: str,
    sample_repo: Path,
) -> None:
    service = services({**service_env, "DOCSGEN_MAX_STREAMS_PER_USER": "500"})
    await service.wait_ready()
    auth = {"Authorization": f"Bearer {token}"}
    async with wide_session() as session:
        repository_id = await register(session, service.url, auth, sample_repo)
        # An idle repository: these streams would stay open for ever.
        streams = await subscribe_many(session, service.url + events_path(repository_id), auth, 500)
        started = time.monotonic()
        service.proc.send_signal(signal.SIGTERM)

        async def all_ended() -> list[Any]:
            return await asyncio.gather(*(s.read_to_end() for s in streams))

        await asyncio.wait_for(asyncio.gather(all_ended(), asyncio.to_thread(service.proc.wait)), 2)
        elapsed = time.monotonic() - started
    assert service.proc.returncode == 0, service.output()
    assert all(len(s.events) == 1 for s in streams)  # ended cleanly, nothing more sent
    assert elapsed < 2
