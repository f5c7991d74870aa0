"""``docsgen`` as real subprocesses: one-shot commands, and ``docsgen serve`` to start and stop.

Every subprocess gets the machine's environment without docsgen's own
settings (``docsgen_env``), plus what the test gives it.  A served process's
output goes to a log file and, line by line, to ``read_until``; it is ready
when it prints ``listening on``.  Stop it gracefully (``terminate``: SIGTERM,
then SIGKILL after a deadline) or as a crash would (``kill``).  The
``services`` fixture starts any number and kills those still running after
the test.  ``Exits`` awaits the end of processes that are not the test's
children (a killed service's workers, re-parented), exactly, through pidfds.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import queue
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import psutil
import pytest

from tests.support.secrets_guard import SecretsGuard

REPO_ROOT = Path(__file__).resolve().parents[2]
# Variables of the machine that would change what a docsgen subprocess does
# (besides every DOCSGEN_* and GITHUB_* one).
_MACHINE = ("DATABASE_URL", "HOME", "XDG_DATA_HOME")
READY_LINE = "listening on"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def docsgen_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The process environment without docsgen's own settings, plus ``extra``.

    Idempotent: ``docsgen_env(docsgen_env(x)) == docsgen_env(x)``.
    """
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DOCSGEN_", "GITHUB_")) and k not in _MACHINE
    }
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(extra)
    return env


def docsgen(
    *args: str, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m docsgen ARGS`` to its end, output captured."""
    return subprocess.run(
        [sys.executable, "-m", "docsgen", *args],
        env=docsgen_env(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def create_user(env: Mapping[str, str], login: str) -> str:
    """``docsgen users create LOGIN``; the API token it prints."""
    created = docsgen("users", "create", login, env=env)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


class Service:
    """A ``docsgen serve`` subprocess on a port of its own (``DOCSGEN_PORT``, or a free one).

    ``argv`` runs another command that serves docsgen (``./scripts/dev serve`` of a
    checkout, in ``cwd``) with exactly ``env``, not the machine's environment.
    """

    def __init__(
        self,
        env: Mapping[str, str],
        log_path: Path | None = None,
        *,
        argv: Sequence[str] | None = None,
        cwd: Path | None = None,
    ) -> None:
        full = docsgen_env(env) if argv is None else dict(env)
        self.port = int(full.get("DOCSGEN_PORT") or free_port())
        self.url = f"http://127.0.0.1:{self.port}"
        if log_path is None:
            handle, name = tempfile.mkstemp(prefix="docsgen-serve-", suffix=".log")
            os.close(handle)
            log_path = Path(name)
        self.log_path = log_path
        self._lines: queue.Queue[str] = queue.Queue()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "docsgen", "serve"] if argv is None else list(argv),
            env={**full, "DOCSGEN_PORT": str(self.port)},
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self._pump = threading.Thread(target=self._copy_output, daemon=True)
        self._pump.start()

    def _copy_output(self) -> None:
        assert self.proc.stdout is not None
        with open(self.log_path, "a", encoding="utf-8") as log:
            for line in self.proc.stdout:
                log.write(line)
                log.flush()
                self._lines.put(line)

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def read_until(self, needle: str, timeout: float) -> str:
        """Wait (with a deadline) for the next output line containing ``needle``."""
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=min(left, 0.5))
            except queue.Empty:
                if self.proc.poll() is not None and self._lines.empty():
                    break
                continue
            if needle in line:
                return line
        raise TimeoutError(f"docsgen serve did not print {needle!r}:\n{self.output()}")

    def wait_started(self, timeout: float = 120) -> None:
        try:
            self.read_until(READY_LINE, timeout)
        except TimeoutError as exc:
            self.kill()
            raise AssertionError(f"docsgen serve did not start:\n{self.output()}") from exc

    async def wait_ready(self, timeout: float = 120) -> None:
        """``wait_started`` for async tests (the loop keeps running meanwhile)."""
        await asyncio.to_thread(self.wait_started, timeout)

    def wait(self, timeout: float = 30) -> int:
        code = self.proc.wait(timeout)
        self._pump.join(10)
        return code

    def terminate(self, timeout: float = 60) -> int:
        """Stop as an operator would (SIGTERM), and for sure (SIGKILL after ``timeout``)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.wait(timeout)
        except subprocess.TimeoutExpired:
            return self.kill()

    def kill(self) -> int:
        """Stop as a crash would: no chance to clean up."""
        if self.proc.poll() is None:
            self.proc.kill()
        return self.wait()


@contextmanager
def serve(
    env: Mapping[str, str], guard: SecretsGuard, *, timeout: float = 120
) -> Iterator[Service]:
    """Run ``docsgen serve`` until it is listening; stop it (SIGTERM) afterwards.

    ``guard`` searches its output for secrets at the end of the test.
    """
    service = Service(env)
    guard.read_also(service.output)
    try:
        service.wait_started(timeout)
        yield service
    finally:
        service.terminate()


@pytest.fixture
def services(
    tmp_path: Path, secrets_guard: SecretsGuard
) -> Iterator[Callable[[Mapping[str, str]], Service]]:
    """Start ``docsgen serve`` processes (logs in the test's folder); killed after the test.

    Their output is searched for secrets like the test's own logs.
    """
    started: list[Service] = []

    def start(env: Mapping[str, str]) -> Service:
        service = Service(env, tmp_path / f"serve-{len(started)}.log")
        secrets_guard.read_also(service.output)
        started.append(service)
        return service

    yield start
    for service in started:
        service.kill()


def process_tree(pid: int) -> list[psutil.Process]:
    """The process ``pid`` and every process below it, as they are now."""
    root = psutil.Process(pid)
    return [root, *root.children(recursive=True)]


class Exits:
    """The ends of some processes, awaitable whoever their parent is.

    Each process is held by a pidfd from the moment this is made, so a pid reused
    after its process ended can never be mistaken for it.  Close it (``with``).
    """

    def __init__(self, processes: list[psutil.Process]) -> None:
        self._fds: dict[int, int] = {}
        for process in processes:
            with contextlib.suppress(ProcessLookupError):  # gone already: nothing to await
                fd = os.pidfd_open(process.pid)
                if process.is_running():  # still the process listed, not a reused pid
                    self._fds[process.pid] = fd
                else:
                    os.close(fd)

    def __enter__(self) -> Exits:
        return self

    def __exit__(self, *exc: object) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    async def still_running_after(self, timeout: float) -> list[int]:
        """Wait until every process has ended, at most ``timeout`` s; the pids that have not."""
        loop = asyncio.get_running_loop()
        ended: dict[int, asyncio.Future[None]] = {}
        for pid, fd in self._fds.items():
            future: asyncio.Future[None] = loop.create_future()
            loop.add_reader(fd, _settle, future)  # a pidfd reads ready once its process ended
            ended[pid] = future
        try:
            if ended:
                await asyncio.wait(ended.values(), timeout=timeout)
        finally:
            for fd in self._fds.values():
                loop.remove_reader(fd)
        return sorted(pid for pid, future in ended.items() if not future.done())


def _settle(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
