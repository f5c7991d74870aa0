"""What the benchmarks that measure a running service share: the service itself, started
on a fresh database with a user and its token, and the percentile they report."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from tests.support import database
from tests.support.processes import Service, create_user


@dataclass(frozen=True)
class RunningService:
    service: Service
    token: str  # the API token of its user, "bench"
    env: dict[str, str]  # the environment it runs with
    folder: Path  # its data folder, a temporary one


@contextlib.asynccontextmanager
async def running_service(local_root: Path) -> AsyncIterator[RunningService]:
    """``docsgen serve`` on a database made for the run (on ``DATABASE_URL``'s server or
    the local PostgreSQL), allowed to read local repositories under ``local_root``;
    stopped and its databases dropped after."""
    admin = os.environ.get("DATABASE_URL") or database.admin_url()
    template = await database.create_template(admin)
    name = await database.create_from_template(admin, template)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {
                "DATABASE_URL": database.with_database(admin, name),
                "DOCSGEN_LOCAL_ROOTS": str(local_root),
                "DOCSGEN_DATA_DIR": tmp,
                "DOCSGEN_SECRET_KEY": "bench-secret-key-0123456789abcdef",
            }
            token = create_user(env, "bench")
            service = Service(env, Path(tmp) / "serve.log")
            try:
                await service.wait_ready()
                yield RunningService(service, token, env, Path(tmp))
            finally:
                service.terminate()
    finally:
        await database.drop(admin, name)
        await database.drop(admin, template)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]
