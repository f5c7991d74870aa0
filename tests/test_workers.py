"""Analysis workers yield the CPU to the process that serves requests."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import RUN_DEPS
from docsgen.generator.engine.pool import WORKER_NICENESS


def niceness() -> int:
    return os.nice(0)


async def test_workers_run_at_a_lower_priority_than_the_service(
    app: web.Application, client: TestClient[Any, Any]
) -> None:
    loop = asyncio.get_running_loop()
    worker = await loop.run_in_executor(app[RUN_DEPS].engine.executor, niceness)
    assert worker == min(19, niceness() + WORKER_NICENESS)
