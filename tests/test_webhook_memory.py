"""Unsigned webhook bodies cannot make the service hold much memory (issue 14, item 4).

A real ``docsgen serve`` gets 16 deliveries at once, each as large as
``DOCSGEN_MAX_WEBHOOK_BYTES`` allows and signed with the wrong secret, and 4
over the limit.  Bodies are read and verified ``UNVERIFIED_AT_ONCE`` at a time,
so the process's peak resident memory (``VmHWM``, reset before the attack) grows
by a bounded amount, whatever the number of deliveries.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path

import aiohttp

from docsgen.api.routes.webhooks import UNVERIFIED_AT_ONCE
from tests.support.fake_github import github_signature
from tests.support.processes import Service

MiB = 1024 * 1024
LIMIT = 4 * MiB
DELIVERIES = 16
# Each delivery being read holds its chunks and their joined copy (2 × the limit);
# the rest is the allocator's slack.  Reading all 16 at once would take 128 MiB.
BOUND = UNVERIFIED_AT_ONCE * 3 * LIMIT + 8 * MiB


def memory_kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for process {pid}")


def forget_peak(pid: int) -> None:
    """Reset the process's peak resident memory (``VmHWM``) to what it holds now."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


async def deliver(session: aiohttp.ClientSession, url: str, body: bytes) -> int:
    headers = {
        "Content-Type": "application/json",
        "X-GitHub-Event": "push",
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": github_signature(body, "not-the-secret"),
    }
    async with session.post(f"{url}/webhooks/github", data=body, headers=headers) as response:
        await response.read()
        return response.status


async def test_parallel_unsigned_webhook_bodies_keep_memory_bounded(
    services: Callable[[Mapping[str, str]], Service], database_url: str, tmp_path: Path
) -> None:
    service = services(
        {
            "DATABASE_URL": database_url,
            "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
            "DOCSGEN_SECRET_KEY": "webhook-memory-secret-key-0123456",
            "DOCSGEN_ANALYSIS_WORKERS": "1",
            "GITHUB_WEBHOOK_SECRET": "the-secret",
            "DOCSGEN_MAX_WEBHOOK_BYTES": str(LIMIT),
        }
    )
    await service.wait_ready()
    body = b'{"zeroes": "' + b"0" * (LIMIT - 14) + b'"}'
    assert len(body) == LIMIT
    too_big = body + b" "
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        assert await deliver(session, service.url, body) == 401  # warm: every path loaded
        forget_peak(service.pid)
        before = memory_kib(service.pid, "VmRSS")
        statuses = await asyncio.gather(
            *[deliver(session, service.url, body) for _ in range(DELIVERIES)],
            *[deliver(session, service.url, too_big) for _ in range(4)],
        )
        peak = memory_kib(service.pid, "VmHWM")
    assert statuses == [401] * DELIVERIES + [413] * 4
    growth = (peak - before) * 1024
    assert growth < BOUND, f"peak memory grew by {growth / MiB:.1f} MiB (bound {BOUND / MiB} MiB)"
