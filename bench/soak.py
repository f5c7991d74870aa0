"""Soak: two service processes on one database under a steady mixed load, for minutes.

Run:  python -m bench.soak [--minutes 5] [--browsers 200] [--subscribers 20] [--generations 20]
      (DATABASE_URL or DOCSGEN_TEST_DATABASE_URL, else the local PostgreSQL)

Starts two ``docsgen serve`` processes on a fresh database and, in this
process, the fake GitHub (tests/support/fake_github.py) as a real server; the
services' GITHUB_API_URL points at it and the user's GitHub token is connected
through ``PUT /api/github/connection``.  Then, for ``--minutes``:

- ``--browsers`` simulated browsers poll a repository's status every 5 s (with
  ``If-None-Match``, as the page does), alternating between the processes;
- ``--subscribers`` follow a repository's ``/docs/events`` stream and open a
  new one when a stream ends (skipped, and said so, if the service has no
  such route);
- ``--generations`` repositories (half local, half on the fake GitHub) are
  regenerated one run after another (``"force": true``), each run started at
  one process or the other.

All traffic stays on 127.0.0.1 and every loop ends at the deadline.  Then the
load stops, runs in flight are given time to end, and the report says: errors
(any answer that is not the intended one, any exception), the status latency
(p50/p99/max), runs completed and failed, rows left ``generating`` (after the
load, and after both processes got SIGTERM), and each process's resident
memory at the start (idle), after a warm-up (the first fifth of the run, at
most a minute) and at the end.  Targets: zero errors, zero rows left
``generating``, p99 status latency under 100 ms, memory growth under 10 %
(from warm to end).  How busy the machine was is printed too: on a
saturated machine the latency tail is the scheduler's.  The per-user run cap, request rate limit and
stream cap are raised: one user drives every generation.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import psutil

from bench.service import percentile
from tests.support import database
from tests.support.fake_github import FakeGitHub
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.processes import Service, create_user

EVENTS_PATH = "/api/repositories/{id}/docs/events"
POLL_SECONDS = 5.0
REQUEST_TIMEOUT = aiohttp.ClientTimeout(total=60)
DRAIN_SECONDS = 120.0  # how long runs in flight may take to end after the load


@dataclass
class Tally:
    """What the load saw; errors are kept with a sample of their causes."""

    latencies: list[float] = field(default_factory=list)
    polls: int = 0
    not_modified: int = 0
    events: int = 0
    streams: int = 0
    runs_started: int = 0
    runs_completed: int = 0
    runs_failed: int = 0
    failures: collections.Counter[str] = field(default_factory=collections.Counter)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)

    def error(self, kind: str, detail: Any) -> None:
        self.errors[f"{kind}: {str(detail)[:160]}"] += 1

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def project_files(i: int, modules: int) -> dict[str, str | bytes]:
    """A project of its own for each repository: with 200 modules a run takes seconds."""
    files: dict[str, str | bytes] = dict(SAMPLE_FILES)
    for m in range(modules):
        files[f"pkg{i}/mod{m}.py"] = (
            f'"""Module {m} of project {i}."""\n\nimport os\n\n\n'
            f"def handler_{m}(value: int = {m}) -> int:\n"
            f'    """Return the value plus the setting."""\n'
            f'    return value + int(os.environ.get("SETTING_{m}", "0"))\n'
        )
    return files


async def api(
    session: aiohttp.ClientSession, method: str, url: str, token: str, **kw: Any
) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {token}", **kw.pop("headers", {})}
    async with session.request(method, url, headers=headers, **kw) as r:
        body = await r.json() if r.content_type == "application/json" else await r.read()
        return r.status, body


async def browser(
    session: aiohttp.ClientSession, bases: list[str], token: str, repo_id: str,
    tally: Tally, deadline: float, offset: int,
) -> None:  # fmt: skip
    """Polls one repository's status every 5 s, as the page does, at alternating processes."""
    await asyncio.sleep(random.uniform(0, POLL_SECONDS))
    etag: str | None = None
    turn = offset
    while time.monotonic() < deadline:
        url = f"{bases[turn % len(bases)]}/api/repositories/{repo_id}/docs/status"
        turn += 1
        headers = {"Authorization": f"Bearer {token}"}
        if etag:
            headers["If-None-Match"] = etag
        started = time.perf_counter()
        try:
            async with session.get(url, headers=headers, timeout=REQUEST_TIMEOUT) as r:
                await r.read()
                tally.latencies.append(time.perf_counter() - started)
                tally.polls += 1
                if r.status == 304:
                    tally.not_modified += 1
                elif r.status == 200:
                    etag = r.headers.get("ETag")
                else:
                    tally.error("status poll", f"{r.status}")
        except (aiohttp.ClientError, TimeoutError) as exc:
            tally.error("status poll", repr(exc))
        await asyncio.sleep(max(0.0, POLL_SECONDS - (time.perf_counter() - started)))


async def subscriber(
    session: aiohttp.ClientSession, bases: list[str], token: str, repo_id: str,
    tally: Tally, deadline: float, offset: int,
) -> None:  # fmt: skip
    """Follows a repository's event stream; a new stream when one ends (a new page view)."""
    turn = offset
    while time.monotonic() < deadline:
        url = f"{bases[turn % len(bases)]}{EVENTS_PATH.replace('{id}', repo_id)}"
        turn += 1
        headers = {"Authorization": f"Bearer {token}", "Accept": "text/event-stream"}
        try:
            left = max(1.0, deadline - time.monotonic())
            timeout = aiohttp.ClientTimeout(total=left + 30, sock_read=60)
            async with session.get(url, headers=headers, timeout=timeout) as r:
                if r.status != 200 or r.content_type != "text/event-stream":
                    tally.error("events", f"{r.status} {r.content_type}")
                    await asyncio.sleep(1)
                    continue
                tally.streams += 1
                async for line in r.content:
                    if line.startswith(b"event: progress"):
                        tally.events += 1
                    if time.monotonic() >= deadline:
                        break
        except (aiohttp.ClientError, TimeoutError) as exc:
            if time.monotonic() < deadline:
                tally.error("events", repr(exc))
        await asyncio.sleep(1)  # the stream ended after a terminal state: look again soon


async def generations(
    session: aiohttp.ClientSession, bases: list[str], token: str, repo_id: str,
    tally: Tally, deadline: float, offset: int,
) -> None:  # fmt: skip
    """Regenerates one repository, run after run, each started at the next process."""
    turn = offset
    while time.monotonic() < deadline:
        base = bases[turn % len(bases)]
        turn += 1
        try:
            status, body = await api(
                session, "POST", f"{base}/api/generate-docs", token,
                json={"repository_id": repo_id, "force": True}, timeout=REQUEST_TIMEOUT,
            )  # fmt: skip
            if status != 202:
                tally.error("generate", f"{status} {body}")
                await asyncio.sleep(2)
                continue
            tally.runs_started += 1
            final = await until_terminal(session, base, token, repo_id, deadline + DRAIN_SECONDS)
            if final is None:
                return  # still going at the drain deadline: counted among rows left
            if final["status"] == "completed":
                tally.runs_completed += 1
            else:
                tally.runs_failed += 1
                tally.failures[str(final["error_message"])[:120]] += 1
        except (aiohttp.ClientError, TimeoutError) as exc:
            tally.error("generate", repr(exc))
            await asyncio.sleep(2)


async def until_terminal(
    session: aiohttp.ClientSession, base: str, token: str, repo_id: str, deadline: float
) -> dict[str, Any] | None:
    """The run's final status (polled each second: a driver, not a measured browser)."""
    while time.monotonic() < deadline:
        status, body = await api(
            session, "GET", f"{base}/api/repositories/{repo_id}/docs/status", token,
            timeout=REQUEST_TIMEOUT,
        )  # fmt: skip
        if status == 200 and body["status"] in ("completed", "failed"):
            return dict(body)
        await asyncio.sleep(1)
    return None


def rss_mib(process: psutil.Process) -> float:
    return float(process.memory_info().rss) / 2**20


async def generating_rows(dsn: str) -> int:
    conn = await asyncpg.connect(dsn)
    try:
        count: int = await conn.fetchval(
            "SELECT count(*) FROM generated_docs WHERE status = 'generating'"
        )
        return count
    finally:
        await conn.close()


async def soak(args: argparse.Namespace, dsn: str, tmp: Path) -> int:
    fake = FakeGitHub()
    await fake.start()
    services: list[Service] = []
    try:
        roots = tmp / "repos"
        local_count = args.generations // 2
        local_paths = []
        for i in range(args.generations):
            path = roots / f"project{i}"
            make_repo(path, project_files(i, args.modules))
            if i < local_count:
                local_paths.append(path)
            else:
                fake.add_repo("soak", f"project{i}", path)
        env = {
            "DATABASE_URL": dsn,
            "DOCSGEN_LOCAL_ROOTS": str(roots),
            "DOCSGEN_SECRET_KEY": "soak-secret-key-0123456789abcdef",
            "DOCSGEN_ANALYSIS_WORKERS": "1",
            "DOCSGEN_MAX_RUNS_PER_USER": str(args.generations * 2),
            "DOCSGEN_STATE_CHANGES_PER_MINUTE": "100000",
            # A subscriber reconnects as its stream ends, maybe before the slot is freed.
            "DOCSGEN_MAX_STREAMS_PER_USER": str(args.subscribers * 2),
            "GITHUB_API_URL": fake.url,
            "GITHUB_WEB_URL": fake.web_url,
        }
        token = create_user({**env, "DOCSGEN_DATA_DIR": str(tmp / "data-cli")}, "soak")
        for n in range(2):
            services.append(
                Service({**env, "DOCSGEN_DATA_DIR": str(tmp / f"data{n}")}, tmp / f"serve{n}.log")
            )
        await asyncio.gather(*(s.wait_ready() for s in services))
        bases = [s.url for s in services]
        processes = [psutil.Process(s.pid) for s in services]
        memory: dict[str, list[float]] = {"start": [rss_mib(p) for p in processes]}
        cpu_start = [sum(p.cpu_times()[:2]) for p in processes]
        psutil.cpu_percent()  # the machine's busy share is measured from here

        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as session:
            status, body = await api(
                session, "PUT", f"{bases[0]}/api/github/connection", token,
                json={"token": fake.add_user("soak").token},
            )  # fmt: skip
            assert status == 200, body
            repo_ids = []
            for i in range(args.generations):
                payload: dict[str, str] = (
                    {"provider": "local", "path": str(local_paths[i])}
                    if i < local_count
                    else {"provider": "github", "full_name": f"soak/project{i}"}
                )
                status, body = await api(
                    session, "POST", f"{bases[i % 2]}/api/repositories", token, json=payload
                )
                assert status == 201, body
                repo_ids.append(body["id"])
            status, document = await api(session, "GET", f"{bases[0]}/api/openapi.json", token)
            has_events = EVENTS_PATH in document.get("paths", {})

            tally = Tally()
            started = time.monotonic()
            deadline = started + args.minutes * 60
            warm_at = started + min(60.0, args.minutes * 60 / 5)
            print(f"soak: 2 processes, {args.browsers} browsers (every {POLL_SECONDS:g} s), "
                  f"{args.subscribers if has_events else 0} SSE subscribers, {args.generations} "
                  f"generations ({local_count} local, {args.generations - local_count} on the fake "
                  f"GitHub), {args.minutes:g} min", flush=True)  # fmt: skip
            if not has_events:
                print(f"SSE: the service has no {EVENTS_PATH} route: subscribers skipped")

            async def warm_memory() -> None:
                await asyncio.sleep(max(0.0, warm_at - time.monotonic()))
                memory["warm"] = [rss_mib(p) for p in processes]

            async def progress() -> None:
                while (left := deadline - time.monotonic()) > 0:
                    await asyncio.sleep(min(30.0, left))
                    print(f"  {time.monotonic() - started:5.0f} s: {tally.polls} polls, "
                          f"{tally.runs_completed} runs completed, {tally.events} events, "
                          f"{tally.error_count} errors", flush=True)  # fmt: skip

            tasks = [
                *(browser(session, bases, token, repo_ids[b % len(repo_ids)], tally, deadline, b)
                  for b in range(args.browsers)),
                *(subscriber(session, bases, token, repo_ids[s % len(repo_ids)], tally, deadline, s)
                  for s in range(args.subscribers if has_events else 0)),
                *(generations(session, bases, token, repo_ids[g], tally, deadline, g)
                  for g in range(args.generations)),
                warm_memory(),
                progress(),
            ]  # fmt: skip
            await asyncio.gather(*tasks)
            memory["end"] = [rss_mib(p) for p in processes]
            machine_cpu = psutil.cpu_percent()
            service_cpu = [
                sum(p.cpu_times()[:2]) - c for p, c in zip(processes, cpu_start, strict=True)
            ]
            seconds = time.monotonic() - started
            left_after_load = await generating_rows(dsn)

        exits = [s.terminate(timeout=60) for s in services]
        left_after_stop = await generating_rows(dsn)
    finally:
        for service in services:
            service.kill()
        await fake.close()

    lat = tally.latencies
    p50, p99 = (percentile(lat, 50) * 1000, percentile(lat, 99) * 1000) if lat else (0.0, 0.0)
    print()
    print(f"status polls: {tally.polls} ({tally.not_modified} answered 304); latency p50 "
          f"{p50:.1f} ms, p99 {p99:.1f} ms, max {max(lat, default=0) * 1000:.0f} ms "
          f"(target p99 < 100 ms: {'met' if p99 < 100 else 'NOT met'})")  # fmt: skip
    print(f"SSE: {tally.streams} streams opened, {tally.events} progress events received")
    print(f"runs: {tally.runs_started} started, {tally.runs_completed} completed, "
          f"{tally.runs_failed} failed")  # fmt: skip
    for message, count in tally.failures.most_common(5):
        print(f"   failed ×{count}: {message}")
    print(f"rows left generating: {left_after_load} after the load and its drain, "
          f"{left_after_stop} after SIGTERM (exit codes {exits}) (target 0: "
          f"{'met' if left_after_load == left_after_stop == 0 else 'NOT met'})")  # fmt: skip
    for n in range(len(processes)):
        start, warm, end = (
            memory["start"][n],
            memory.get("warm", memory["end"])[n],
            memory["end"][n],
        )
        growth = (end - warm) / warm * 100
        print(f"process {n + 1} RSS: {start:.1f} MiB at start, {warm:.1f} MiB warm, "
              f"{end:.1f} MiB at the end: {growth:+.1f} % since warm, "
              f"{(end - start) / start * 100:+.1f} % since start (target < 10 % since warm: "
              f"{'met' if growth < 10 else 'NOT met'})")  # fmt: skip
    print(f"CPU: the machine's {psutil.cpu_count()} cores {machine_cpu:.0f} % busy during the load; "
          f"service main processes {', '.join(f'{c / seconds * 100:.0f} %' for c in service_cpu)} "
          f"of one core (their analysis workers and PostgreSQL not counted)")  # fmt: skip
    print(
        f"errors: {tally.error_count} (target 0: {'met' if not tally.error_count else 'NOT met'})"
    )
    for error, count in tally.errors.most_common(10):
        print(f"   ×{count}: {error}")
    return 0 if not tally.error_count and left_after_load == left_after_stop == 0 else 1


async def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--browsers", type=int, default=200)
    parser.add_argument("--subscribers", type=int, default=20)
    parser.add_argument("--generations", type=int, default=20)
    parser.add_argument("--modules", type=int, default=200, help="Python modules per project")
    args = parser.parse_args()
    if args.minutes <= 0 or args.generations < 2:
        parser.error("--minutes must be positive and --generations at least 2")
    admin = os.environ.get("DATABASE_URL") or database.admin_url()
    template = await database.create_template(admin)
    name = await database.create_from_template(admin, template)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            return await soak(args, database.with_database(admin, name), Path(tmp))
    finally:
        await database.drop(admin, name)
        await database.drop(admin, template)


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
