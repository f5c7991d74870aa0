"""No process outlives the docsgen process that started it, however that one dies.

The analysis workers are forked by multiprocessing's forkserver, a child of the
service, and a resource tracker watches their shared memory.  Killed with
SIGKILL, the service can clean up nothing: every one of them must still end
within seconds by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import aiohttp
import psutil
import pytest

from tests.support.gitrepo import big_repo
from tests.support.processes import Exits, Service, create_user, docsgen_env, process_tree

WORKERS = 2
# How long the workers, the forkserver and the resource tracker may outlive the process.
EXIT_SECONDS = 10.0
START_SECONDS = 120.0


@pytest.fixture
def service_env(database_url: str, repos_root: Path, tmp_path: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "DOCSGEN_LOCAL_ROOTS": str(repos_root),
        "DOCSGEN_DATA_DIR": str(tmp_path / "data"),
        "DOCSGEN_SECRET_KEY": "process-tree-secret-key-0123456789",
        "DOCSGEN_ANALYSIS_WORKERS": str(WORKERS),
    }


def is_forkserver(process: psutil.Process) -> bool:
    try:
        return any("multiprocessing.forkserver" in part for part in process.cmdline())
    except psutil.Error:
        return False


async def tree_with_workers(pid: int) -> list[psutil.Process]:
    """The tree below ``pid`` once its forkserver has forked all its workers."""
    deadline = time.monotonic() + START_SECONDS
    while True:
        tree = process_tree(pid)
        forkservers = [p for p in tree if is_forkserver(p) and p.ppid() == pid]
        if forkservers and len(forkservers[0].children()) == WORKERS:
            return tree
        if time.monotonic() > deadline:
            raise AssertionError(f"the workers did not start: {describe(tree)}")
        await asyncio.sleep(0.05)  # polling another process's children, with a deadline


def describe(processes: list[psutil.Process]) -> str:
    lines = []
    for process in processes:
        try:
            lines.append(f"{process.pid} (parent {process.ppid()}): {' '.join(process.cmdline())}")
        except psutil.Error:
            lines.append(f"{process.pid}: ended")
    return "\n".join(lines)


async def assert_all_end(tree: list[psutil.Process], kill: Callable[[], object]) -> None:
    """Kill the tree's root; every other process of it must end within EXIT_SECONDS."""
    below = tree[1:]
    # The forkserver, the resource tracker and the workers.
    assert len(below) >= WORKERS + 2, describe(tree)
    with Exits(below) as exits:
        kill()
        left = await exits.still_running_after(EXIT_SECONDS)
    outlived = [p for p in below if p.pid in left]
    report = describe(outlived)
    for process in outlived:  # a failing test leaves nothing running either
        with contextlib.suppress(psutil.Error):
            process.kill()
    assert outlived == [], "outlived the killed process:\n" + report


async def test_a_killed_service_leaves_no_process_behind(
    service_env: dict[str, str], repos_root: Path,
    services: Callable[[Mapping[str, str]], Service],
) -> None:  # fmt: skip
    token = create_user(service_env, "alice")
    path = big_repo(repos_root)
    service = services(service_env)
    await service.wait_ready()
    tree = await tree_with_workers(service.pid)
    headers = {"Authorization": f"Bearer {token}"}
    async with aiohttp.ClientSession(service.url, headers=headers) as http:
        async with http.post(
            "/api/repositories", json={"provider": "local", "path": str(path)}
        ) as created:
            assert created.status == 201
            repository_id = (await created.json())["id"]
        async with http.post("/api/generate-docs", json={"repository_id": repository_id}) as r:
            assert r.status == 202
        # Killed while its workers are busy with the run's analysis.
        deadline = time.monotonic() + START_SECONDS
        while True:
            async with http.get(f"/api/repositories/{repository_id}/docs/status") as r:
                status = await r.json()
            assert status["status"] == "generating", status
            if status["progress"] >= 50:
                break
            assert time.monotonic() < deadline, status
            await asyncio.sleep(0.05)  # polling another process's row, with a deadline
    await assert_all_end(tree, service.kill)


async def test_a_killed_generate_command_leaves_no_process_behind(repos_root: Path) -> None:
    path = big_repo(repos_root)
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "docsgen", "generate", str(path), "--out", str(repos_root / "out.md"),
        env=docsgen_env({"DOCSGEN_ANALYSIS_WORKERS": str(WORKERS)}),
        stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stderr is not None
        async with asyncio.timeout(START_SECONDS):
            while b"Analyzing code structure" not in await proc.stderr.readline():
                assert proc.returncode is None
        tree = await tree_with_workers(proc.pid)
        await assert_all_end(tree, lambda: proc.send_signal(signal.SIGKILL))
    finally:
        if proc.returncode is None:
            proc.kill()
        await proc.wait()
