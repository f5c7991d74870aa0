"""``docsgen`` subprocesses for tests: started with a clean environment, stopped for sure."""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
# Variables of the machine that would change what a docsgen subprocess does.
_OURS = ("DATABASE_URL", "GITHUB_TOKEN", "HOME", "XDG_DATA_HOME")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def docsgen_env(extra: Mapping[str, str]) -> dict[str, str]:
    """The process environment without docsgen's own settings, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DOCSGEN_") and k not in _OURS}
    env["PYTHONPATH"] = str(REPO_ROOT)
    env.update(extra)
    return env


def docsgen(
    *args: str, env: Mapping[str, str], timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "docsgen", *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


class Served:
    """A running ``docsgen serve`` and the lines it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str) -> None:
        self.proc = proc
        self.url = url
        self.lines: queue.Queue[str] = queue.Queue()

    def read_until(self, needle: str, timeout: float) -> str:
        """Wait (with a deadline) for an output line containing ``needle``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"docsgen serve did not print {needle!r} in {timeout} s")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            if needle in line:
                return line

    def stop(self, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            return self.proc.wait(10)


@contextmanager
def serve(env: Mapping[str, str], *, timeout: float = 120) -> Iterator[Served]:
    """Run ``docsgen serve`` until it prints its address; stop it (SIGTERM) afterwards."""
    port = env.get("DOCSGEN_PORT") or str(free_port())
    proc = subprocess.Popen(
        [sys.executable, "-m", "docsgen", "serve"],
        env={**env, "DOCSGEN_PORT": port},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    served = Served(proc, f"http://127.0.0.1:{port}")
    output: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            output.append(line)
            served.lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        try:
            served.read_until("listening on", timeout)
        except TimeoutError:
            served.stop()
            reader.join(10)
            raise AssertionError("docsgen serve did not start:\n" + "".join(output)) from None
        yield served
    finally:
        served.stop()
        reader.join(10)
