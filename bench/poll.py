"""Status polling latency and throughput while the service documents Django, vs. idle.

Run:  python -m bench.poll            (DATABASE_URL or the local PostgreSQL)

Starts ``docsgen serve`` as a subprocess on a fresh database, then hammers
``GET /api/repositories/{id}/docs/status`` from this process with concurrent
clients: first while the service is idle, then while it generates the
documentation of Django's source. Prints p50/p99 latency and requests per
second for both, and their ratio. Target: p99 under 50 ms while busy.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time

import aiohttp

from bench.corpus import django_checkout
from bench.service import percentile, running_service


async def hammer(
    url: str, token: str, clients: int, stop: asyncio.Event, max_seconds: float
) -> list[float]:
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {token}"}
    deadline = time.monotonic() + max_seconds

    async def one(session: aiohttp.ClientSession) -> None:
        while not stop.is_set() and time.monotonic() < deadline:
            start = time.perf_counter()
            async with session.get(url, headers=headers) as r:
                await r.read()
                assert r.status == 200, r.status
            latencies.append(time.perf_counter() - start)

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(one(session) for _ in range(clients)))
    return latencies


def report(name: str, latencies: list[float], seconds: float) -> tuple[float, float, float]:
    p50 = percentile(latencies, 50) * 1000
    p99 = percentile(latencies, 99) * 1000
    rps = len(latencies) / seconds
    print(f"{name:>6}: {len(latencies):6d} requests  p50 {p50:6.1f} ms  p99 {p99:6.1f} ms  "
          f"{rps:7.0f} req/s  (mean {statistics.mean(latencies) * 1000:.1f} ms)")  # fmt: skip
    return p50, p99, rps


async def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--idle-seconds", type=float, default=10)
    args = parser.parse_args()

    repo_path = django_checkout()
    async with running_service(repo_path.parent) as running:
        service, token = running.service, running.token
        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession() as s:
            async with s.post(f"{service.url}/api/repositories", headers=headers,
                              json={"provider": "local", "path": str(repo_path)}) as r:  # fmt: skip
                repo = await r.json()
        status_url = f"{service.url}/api/repositories/{repo['id']}/docs/status"

        never = asyncio.Event()
        start = time.monotonic()
        idle = await hammer(status_url, token, args.clients, never, args.idle_seconds)
        idle_stats = report("idle", idle, time.monotonic() - start)

        done = asyncio.Event()

        async def watch() -> None:
            async with aiohttp.ClientSession() as s:
                async with s.post(f"{service.url}/api/generate-docs", headers=headers,
                                  json={"repository_id": repo["id"]}) as r:  # fmt: skip
                    assert r.status == 202, await r.text()
                while True:
                    async with s.get(status_url, headers=headers) as r:
                        body = await r.json()
                    if body["status"] != "generating":
                        print(f"run ended: {body['status']} {body['error_message'] or ''}")
                        done.set()
                        return
                    await asyncio.sleep(0.2)

        start = time.monotonic()
        watcher = asyncio.create_task(watch())
        busy = await hammer(status_url, token, args.clients, done, 600)
        busy_seconds = time.monotonic() - start
        await watcher
        busy_stats = report("busy", busy, busy_seconds)
        print(f"generation took {busy_seconds:.1f} s")
        print(f"busy/idle: p50 ×{busy_stats[0] / idle_stats[0]:.2f}  "
              f"p99 ×{busy_stats[1] / idle_stats[1]:.2f}  throughput ×{busy_stats[2] / idle_stats[2]:.2f}")  # fmt: skip
        print(f"target p99 < 50 ms while busy: {'met' if busy_stats[1] < 50 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
