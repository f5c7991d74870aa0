"""A private PostgreSQL cluster in the data folder, shared by the docsgen processes using it.

Layout of the data folder (created with mode 0700)::

    postgres/           the cluster (PGDATA)
    postgres.password   the superuser's password (0600)
    postgres.log        the server's log
    postgres.lock       held while a process starts or stops the server
    postgres.users      held (shared) by every process using the server

Any docsgen process (``serve``, ``migrate``, ``users``) *acquires* the
server: it attaches to the one running, or starts it.  On *release*, the last
process using it stops it.  The locks are ``flock`` locks, so a process that
dies releases them; a server left running by a killed process is attached to
by the next one.  The server listens on 127.0.0.1 only, on a free port chosen
at each start, with password authentication.
"""

from __future__ import annotations

import fcntl
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO
from urllib.parse import quote

from docsgen.embedded.binaries import find_bin_dir, major_version
from docsgen.embedded.confinement import (
    check_reachable,
    choose_mode,
    chown_tree,
    launcher_command,
    owner_for,
)
from docsgen.errors import EmbeddedDatabaseError

SUPERUSER = "docsgen"
DATABASE = "docsgen"
_HOST = "127.0.0.1"


@dataclass(frozen=True)
class Running:
    """What ``postmaster.pid`` says about a live server."""

    pid: int
    port: int


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie left to an init that does not reap does not count)."""
    if Path("/proc/self/stat").exists():  # Linux: tell zombies from live processes
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            return False
        return state not in ("Z", "X")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(port: int) -> bool:
    try:
        with socket.create_connection((_HOST, port), timeout=1.0):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((_HOST, 0))
        port: int = s.getsockname()[1]
        return port


def _lock(path: Path, kind: int) -> IO[bytes]:
    handle = os.fdopen(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), "r+b")
    try:
        fcntl.flock(handle, kind)
    except BaseException:
        handle.close()
        raise
    return handle


class EmbeddedPostgres:
    """The cluster of one data folder.  Use as a context manager: it yields the URL."""

    def __init__(
        self,
        data_dir: Path,
        *,
        bin_dir: Path | None = None,
        mode: str | None = None,
        durable: bool = True,
        start_timeout: float = 60.0,
    ) -> None:
        self.data_dir = data_dir.expanduser().absolute()
        self._bin_dir = bin_dir
        self._mode = mode
        self.durable = durable
        self.start_timeout = start_timeout
        self._using: IO[bytes] | None = None

    # --- paths and settings ---------------------------------------------------

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "postgres"

    @property
    def password_file(self) -> Path:
        return self.data_dir / "postgres.password"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "postgres.log"

    @property
    def bin_dir(self) -> Path:
        if self._bin_dir is None:
            self._bin_dir = find_bin_dir()
        return self._bin_dir

    @property
    def mode(self) -> str:
        if self._mode is None:
            self._mode = choose_mode(self.bin_dir / "postgres")
        return self._mode

    def url(self, port: int, database: str = DATABASE) -> str:
        password = quote(self.password_file.read_text().strip(), safe="")
        return f"postgresql://{SUPERUSER}:{password}@{_HOST}:{port}/{database}"

    # --- sharing between processes ------------------------------------------------

    def __enter__(self) -> str:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()

    def acquire(self) -> str:
        """Attach to the running server or start it; return its URL.  Pair with ``release``."""
        if self._using is not None:
            raise RuntimeError("this EmbeddedPostgres is already acquired")
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _lock(self.data_dir / "postgres.lock", fcntl.LOCK_EX):
            self._ensure_password()
            info = self.running()
            if info is None:
                info = self._start()
            self._using = _lock(self.data_dir / "postgres.users", fcntl.LOCK_SH)
        return self.url(info.port)

    def release(self) -> None:
        """Stop using the server; the last process to release it stops it."""
        if self._using is None:
            return
        with _lock(self.data_dir / "postgres.lock", fcntl.LOCK_EX):
            self._using.close()
            self._using = None
            try:
                last = _lock(self.data_dir / "postgres.users", fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # another process still uses the server
            try:
                info = self.running()
                if info is not None:
                    self._stop(info)
            finally:
                last.close()

    def running(self) -> Running | None:
        """The live server of this cluster, if one answers."""
        try:
            lines = (self.pgdata / "postmaster.pid").read_text().splitlines()
        except FileNotFoundError:
            return None
        try:
            pid, port, status = int(lines[0]), int(lines[3]), lines[7].strip()
        except (IndexError, ValueError):
            return None  # being written, or a server not listening on TCP
        if status != "ready" or not _alive(pid) or not _answers(port):
            return None
        return Running(pid, port)

    # --- creating, starting, stopping -------------------------------------------

    def _ensure_password(self) -> None:
        if not self.password_file.exists():
            fd = os.open(self.password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_urlsafe(32) + "\n")

    def _run(self, program: list[str], stdin: str | None = None) -> str:
        """Run a PostgreSQL program in the foreground, confined; its output, or an error."""
        result = subprocess.run(
            launcher_command(self.mode, "-", self.data_dir, program),
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip()
            raise EmbeddedDatabaseError(
                f"{Path(program[0]).name} failed for the embedded database in "
                f"{self.pgdata}: {output[-2000:]}"
            )
        return result.stdout + result.stderr

    def _initdb(self) -> None:
        """Create the cluster (unless initdb already ran) and docsgen's database in it.

        Nothing is ever deleted: an interrupted first start resumes where it stopped.
        """
        if not (self.pgdata / "PG_VERSION").exists():
            self._make_cluster()
        chown_tree(self.pgdata, *owner_for(self.mode))
        self._check_version()
        output = self._run(
            [str(self.bin_dir / "postgres"), "--single", "-D", str(self.pgdata), "postgres"],
            stdin=f'CREATE DATABASE "{DATABASE}";\n',
        )
        if "ERROR" in output and "already exists" not in output:
            raise EmbeddedDatabaseError(f"Could not create the database in {self.pgdata}: {output}")
        (self.pgdata / "docsgen.ready").write_text("initialised by docsgen\n")

    def _make_cluster(self) -> None:
        if self.pgdata.exists() and any(self.pgdata.iterdir()):
            raise EmbeddedDatabaseError(
                f"{self.pgdata} is not empty but holds no PostgreSQL cluster: "
                "move it away, or set DOCSGEN_DATA_DIR to another folder"
            )
        self.pgdata.mkdir(mode=0o700, exist_ok=True)
        chown_tree(self.pgdata, *owner_for(self.mode))
        # initdb reads the password from a file its (possibly dropped) user can open.
        pwfile = self.data_dir / "postgres.initpw"
        fd = os.open(pwfile, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(self.password_file.read_text().strip() + "\n")
        os.chown(pwfile, *owner_for(self.mode))
        initdb = [
            str(self.bin_dir / "initdb"),
            "-D", str(self.pgdata),
            "-U", SUPERUSER,
            f"--pwfile={pwfile}",
            "--auth=scram-sha-256",
            "--encoding=UTF8",
            "--no-locale",
        ]  # fmt: skip
        if not self.durable:
            initdb.append("--no-sync")
        try:
            self._run(initdb)
        finally:
            pwfile.unlink()

    def _check_version(self) -> None:
        made_by = int((self.pgdata / "PG_VERSION").read_text().strip())
        have = major_version(self.bin_dir)
        if made_by != have:
            raise EmbeddedDatabaseError(
                f"The embedded database in {self.pgdata} was made by PostgreSQL {made_by}, "
                f"but the PostgreSQL programs found are version {have}: dump it with the "
                f"PostgreSQL {made_by} pg_dump and restore it, or set DATABASE_URL"
            )

    def _start(self) -> Running:
        if self.mode.startswith("drop:"):
            check_reachable(self.mode, self.data_dir.parent)
            self.data_dir.chmod(0o711)  # let 'nobody' pass through, not list
        if not (self.pgdata / "docsgen.ready").exists():
            self._initdb()
        self._check_version()
        chown_tree(self.pgdata, *owner_for(self.mode))
        stale = self.pgdata / "postmaster.pid"
        if stale.exists():
            try:
                stale_pid = int(stale.read_text().split()[0])
            except (IndexError, ValueError):
                stale_pid = 0
            if not stale_pid or not _alive(stale_pid):
                stale.unlink()
        last_error = ""
        for _ in range(3):  # a chosen port can be taken before the server binds it
            started = self._launch(_free_port())
            if isinstance(started, Running):
                return started
            last_error = started
        raise EmbeddedDatabaseError(
            f"The embedded database in {self.pgdata} did not start: {last_error}"
        )

    def _launch(self, port: int) -> Running | str:
        options = [
            "-c", f"listen_addresses={_HOST}",
            "-c", "unix_socket_directories=",
            "-c", "logging_collector=off",
            "-c", "dynamic_shared_memory_type=mmap",
        ]  # fmt: skip
        if not self.durable:
            options += ["-c", "fsync=off", "-c", "synchronous_commit=off"]
            options += ["-c", "full_page_writes=off"]
        program = [str(self.bin_dir / "postgres"), "-D", str(self.pgdata), "-p", str(port)]
        log_size = self.log_file.stat().st_size if self.log_file.exists() else 0
        launched = subprocess.run(
            launcher_command(self.mode, str(self.log_file), self.data_dir, program + options),
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
        if launched.returncode != 0 or not launched.stdout.strip().isdigit():
            return (launched.stderr or launched.stdout).strip()
        pid = int(launched.stdout.strip())
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            info = self.running()
            if info is not None and info.pid == pid:
                return info
            if not _alive(pid):
                break
            time.sleep(0.05)  # polling an external process, with a deadline
        else:
            os.kill(pid, signal.SIGQUIT)
        with open(self.log_file, "rb") as log:
            log.seek(log_size)
            return log.read().decode(errors="replace").strip()[-2000:] or "no output"

    def _stop(self, info: Running, timeout: float = 60.0) -> None:
        """Fast shutdown (SIGINT); immediate (SIGQUIT) if it takes longer than ``timeout``."""
        os.kill(info.pid, signal.SIGINT)
        pid_file = self.pgdata / "postmaster.pid"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_file.exists() or not _alive(info.pid):
                return
            time.sleep(0.05)  # polling an external process, with a deadline
        os.kill(info.pid, signal.SIGQUIT)
