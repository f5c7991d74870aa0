"""Live progress at scale: 10,000 SSE subscribers of one repository on one service process.

Run:  python -m bench.sse [--subscribers 10000] [--updates 20]
      (DATABASE_URL or DOCSGEN_TEST_DATABASE_URL, else the local PostgreSQL)

Starts ``docsgen serve`` as a subprocess on a fresh database; this process is
the client. It changes the repository's row with the job lifecycle's own
statements (``docsgen.db.jobs``) and records, for every subscriber, when the
resulting ``progress`` event arrives. Latency is measured from just before the
UPDATE is sent to the arrival of the event; "to all" is the time until the
last subscriber has it. The same is measured first with one subscriber as the
baseline. Memory per subscriber is the service's resident memory with every
stream open, minus before any was opened, divided by their number.
Targets: p99 to all subscribers ≤ 1 s; ≤ 30 KB per subscriber.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import resource
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import asyncpg
import psutil

from bench.service import percentile
from docsgen.db import jobs
from docsgen.db.pool import create_pool
from docsgen.settings import Settings
from tests.support import database
from tests.support.processes import Service, create_user


def raise_open_files_limit() -> int:
    """Lift this process's soft limit to the hard one; children inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@dataclass
class Arrivals:
    """When each version reached how many subscribers."""

    subscribers: int
    times: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    complete: dict[int, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))
    ended = 0
    all_ended: asyncio.Event = field(default_factory=asyncio.Event)

    def arrived(self, version: int, at: float) -> None:
        seen = self.times[version]
        seen.append(at)
        if len(seen) == self.subscribers:
            self.complete[version].set()

    def stream_ended(self) -> None:
        self.ended += 1
        if self.ended == self.subscribers:
            self.all_ended.set()


class SseClient(asyncio.Protocol):
    """A bare HTTP/1.1 SSE client: cheap enough that 10,000 fit in one process."""

    def __init__(self, request: bytes, arrivals: Arrivals) -> None:
        self.request = request
        self.arrivals = arrivals
        self.buffer = b""
        self.versions: list[int] = []
        self.first = asyncio.get_running_loop().create_future()
        self.status: int | None = None
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        self.buffer += data
        if self.status is None:
            head, sep, rest = self.buffer.partition(b"\r\n\r\n")
            if not sep:
                return
            self.status = int(head.split(b" ", 2)[1])
            self.buffer = rest
        *events, self.buffer = self.buffer.split(b"\n\n")
        for event in events:
            for line in event.split(b"\n"):
                if line.startswith(b"id: "):
                    version = int(line[4:])
                    self.versions.append(version)
                    if not self.first.done():
                        self.first.set_result(version)
                    else:
                        self.arrivals.arrived(version, now)
        if self.buffer.endswith(b"0\r\n\r\n"):  # the end of the chunked body
            self.arrivals.stream_ended()
            assert self.transport is not None
            self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.first.done():
            self.first.set_exception(ConnectionError(f"stream closed early: {exc}"))


async def subscribe(
    host: str, port: int, request: bytes, arrivals: Arrivals, count: int, batch: int = 200
) -> list[SseClient]:
    loop = asyncio.get_running_loop()
    clients: list[SseClient] = []
    for start in range(0, count, batch):
        made = [SseClient(request, arrivals) for _ in range(min(batch, count - start))]
        await asyncio.gather(*(loop.create_connection(lambda c=c: c, host, port) for c in made))
        await asyncio.gather(*(c.first for c in made))
        clients.extend(made)
    bad = [c.status for c in clients if c.status != 200]
    assert not bad, f"{len(bad)} subscriptions failed: {bad[:5]}"
    return clients


async def measure(
    pool: asyncpg.Pool, run_id: uuid.UUID, arrivals: Arrivals, updates: int, progress0: int
) -> tuple[list[float], list[float]]:
    """Change the row ``updates`` times; (every delivery's latency, each change's to-all latency)."""
    each: list[float] = []
    to_all: list[float] = []
    for i in range(updates):
        sent = time.monotonic()
        ok = await jobs.update_progress(pool, run_id, progress0 + i, f"Bench step {i}")
        assert ok
        version = await pool.fetchval(
            "SELECT version FROM generated_docs WHERE run_id = $1", run_id
        )
        await asyncio.wait_for(arrivals.complete[version].wait(), 60)
        delays = [t - sent for t in arrivals.times[version]]
        each.extend(delays)
        to_all.append(max(delays))
        await asyncio.sleep(0.3)  # let the service settle between changes
    return each, to_all


def report(name: str, each: list[float], to_all: list[float]) -> tuple[float, float]:
    ms = 1000
    print(f"{name}: {len(to_all)} changes, {len(each)} deliveries")
    print(f"   each delivery     p50 {percentile(each, 50) * ms:7.1f} ms   "
          f"p99 {percentile(each, 99) * ms:7.1f} ms")  # fmt: skip
    print(f"   to all subscribers p50 {percentile(to_all, 50) * ms:7.1f} ms   "
          f"p99 {percentile(to_all, 99) * ms:7.1f} ms   max {max(to_all) * ms:7.1f} ms")  # fmt: skip
    return percentile(to_all, 50), percentile(to_all, 99)


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=20)
    args = parser.parse_args()
    limit = raise_open_files_limit()
    if limit < args.subscribers + 200:
        print(f"open-files limit {limit} is too low for {args.subscribers} subscribers")
        return 2

    admin = os.environ.get("DATABASE_URL") or database.admin_url()
    template = await database.create_template(admin)
    name = await database.create_from_template(admin, template)
    dsn = database.with_database(admin, name)
    with tempfile.TemporaryDirectory() as tmp:
        repo_path = Path(tmp) / "repos" / "project"
        repo_path.mkdir(parents=True)
        env = {
            "DATABASE_URL": dsn,
            "DOCSGEN_LOCAL_ROOTS": str(repo_path.parent),
            "DOCSGEN_DATA_DIR": str(Path(tmp) / "data"),
            "DOCSGEN_SECRET_KEY": "bench-secret-key-0123456789abcdef",
            "DOCSGEN_ANALYSIS_WORKERS": "1",
            "DOCSGEN_LEASE_SECONDS": "3600",  # nobody heartbeats the bench's run
            "DOCSGEN_MAX_STREAMS_PER_USER": str(args.subscribers + 1),  # all one user's
        }
        token = create_user(env, "bench")
        service = Service(env, Path(tmp) / "serve.log")
        pool = await create_pool(dsn, Settings(pool_min_size=1, pool_max_size=2))
        try:
            await service.wait_ready()
            headers = {"Authorization": f"Bearer {token}"}
            async with aiohttp.ClientSession() as s:
                async with s.post(f"{service.url}/api/repositories", headers=headers,
                                  json={"provider": "local", "path": str(repo_path)}) as r:  # fmt: skip
                    assert r.status == 201, await r.text()
                    repository_id = uuid.UUID((await r.json())["id"])
            run_id = await jobs.claim_run(pool, repository_id, 3600)
            assert run_id is not None
            request = (
                f"GET /api/repositories/{repository_id}/docs/events HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{service.port}\r\nAuthorization: Bearer {token}\r\n"
                "Accept: text/event-stream\r\n\r\n"
            ).encode()
            serving = psutil.Process(service.proc.pid)

            # Baseline: one subscriber.
            one = Arrivals(1)
            single = await subscribe("127.0.0.1", service.port, request, one, 1)
            base = report("1 subscriber", *await measure(pool, run_id, one, args.updates, 1))
            for c in single:
                assert c.transport is not None
                c.transport.close()

            gc.collect()
            rss_before = serving.memory_info().rss
            many = Arrivals(args.subscribers)
            started = time.monotonic()
            clients = await subscribe("127.0.0.1", service.port, request, many, args.subscribers)
            print(f"{args.subscribers} subscribers connected in {time.monotonic() - started:.1f} s")
            rss_open = serving.memory_info().rss
            cpu_service, cpu_client = sum(serving.cpu_times()[:2]), time.process_time()
            scaled = report(
                f"{args.subscribers} subscribers",
                *await measure(pool, run_id, many, args.updates, 30),
            )
            print(f"   CPU per change: service {(sum(serving.cpu_times()[:2]) - cpu_service) / args.updates * 1000:.0f} ms, "
                  f"client {(time.process_time() - cpu_client) / args.updates * 1000:.0f} ms")  # fmt: skip
            rss_after = serving.memory_info().rss

            assert await jobs.complete_run(
                pool, run_id, commit_sha="0" * 40, content="# bench\n", sections=[], html=""
            )
            await asyncio.wait_for(many.all_ended.wait(), 60)
            ordered = all(c.versions == sorted(set(c.versions)) for c in clients)
            counts = {len(c.versions) for c in clients}
            print(f"streams ended after the terminal event: {many.ended}/{args.subscribers}; "
                  f"events per subscriber {sorted(counts)}; in version order: {'yes' if ordered else 'NO'}")  # fmt: skip

            per = (rss_open - rss_before) / args.subscribers
            per_after = (rss_after - rss_before) / args.subscribers
            print(f"service RSS: {rss_before / 2**20:.1f} MiB before, {rss_open / 2**20:.1f} MiB "
                  f"with {args.subscribers} streams open, {rss_after / 2**20:.1f} MiB after the changes")  # fmt: skip
            print(f"memory per subscriber: {per / 1024:.1f} KB open, {per_after / 1024:.1f} KB "
                  f"after the changes (target ≤ 30 KB: {'met' if max(per, per_after) <= 30 * 1024 else 'NOT met'})")  # fmt: skip
            print(f"to-all latency vs 1 subscriber: p50 ×{scaled[0] / base[0]:.1f}  "
                  f"p99 ×{scaled[1] / base[1]:.1f}  (target p99 ≤ 1 s: "
                  f"{'met' if scaled[1] <= 1.0 else 'NOT met'})")  # fmt: skip
        finally:
            await pool.close()
            service.terminate()
            await database.drop(admin, name)
            await database.drop(admin, template)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
