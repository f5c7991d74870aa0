"""The embedded PostgreSQL: private, shared by docsgen processes, kept, stopped by the last user."""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest

from docsgen.embedded import EmbeddedPostgres
from docsgen.errors import EmbeddedDatabaseError
from tests.support.processes import REPO_ROOT

as_root = pytest.mark.skipif(os.geteuid() != 0, reason="what happens when docsgen runs as root")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _status(pid: int) -> dict[str, str]:
    lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    return dict(line.split(":\t", 1) for line in lines if ":\t" in line)


@pytest.fixture
def data_dir(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "data"
    yield path
    leftover = EmbeddedPostgres(path).running() if path.exists() else None
    if leftover is not None:  # a failed test must not leave a server behind
        os.kill(leftover.pid, signal.SIGQUIT)


async def test_first_use_creates_a_private_cluster_and_the_last_release_stops_it(
    data_dir: Path,
) -> None:
    first = EmbeddedPostgres(data_dir, durable=False)
    url = first.acquire()
    conn = await asyncpg.connect(url)
    assert await conn.fetchval("SELECT current_database()") == "docsgen"
    await conn.close()
    without_password = url.split(":", 2)[0] + "://docsgen@" + url.split("@", 1)[1]
    with pytest.raises(asyncpg.InvalidPasswordError):
        await asyncpg.connect(without_password)
    assert _mode(data_dir) == 0o700
    assert _mode(first.password_file) == 0o600
    running = first.running()
    assert running is not None
    assert url.startswith("postgresql://docsgen:") and f"@127.0.0.1:{running.port}/" in url

    second = EmbeddedPostgres(data_dir, durable=False)
    assert second.acquire() == url  # attached to the same server, not a second one

    first.release()
    assert second.running() == running  # still used by the second
    second.release()
    assert first.running() is None
    assert not (first.pgdata / "postmaster.pid").exists()
    assert not _port_open(running.port)


async def test_data_is_kept_across_restarts(data_dir: Path) -> None:
    with EmbeddedPostgres(data_dir, durable=False) as url:
        conn = await asyncpg.connect(url)
        await conn.execute("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('hello')")
        await conn.close()
    # As if the first start had been interrupted after initdb: it resumes, deleting nothing.
    (data_dir / "postgres" / "docsgen.ready").unlink()
    with EmbeddedPostgres(data_dir, durable=False) as url:
        conn = await asyncpg.connect(url)
        assert await conn.fetchval("SELECT note FROM kept") == "hello"
        await conn.close()


def test_a_server_left_by_a_killed_process_is_reused_and_then_stopped(data_dir: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from docsgen.embedded import EmbeddedPostgres; "
            "print(EmbeddedPostgres(Path(sys.argv[1]), durable=False).acquire(), flush=True); "
            "time.sleep(600)",
            str(data_dir),
        ],
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    url = holder.stdout.readline().strip()
    holder.kill()
    holder.wait(10)

    embedded = EmbeddedPostgres(data_dir, durable=False)
    left = embedded.running()
    assert left is not None, "the server outlives the process that started it"
    assert embedded.acquire() == url
    embedded.release()
    assert embedded.running() is None
    assert not _port_open(left.port)


def test_a_data_folder_holding_something_else_is_left_alone(data_dir: Path) -> None:
    (data_dir / "postgres").mkdir(parents=True)
    (data_dir / "postgres" / "notes.txt").write_text("mine")
    with pytest.raises(EmbeddedDatabaseError, match="is not empty but holds no PostgreSQL"):
        EmbeddedPostgres(data_dir, durable=False).acquire()
    assert (data_dir / "postgres" / "notes.txt").read_text() == "mine"


def test_a_cluster_of_another_postgresql_version_is_refused_with_advice(data_dir: Path) -> None:
    with EmbeddedPostgres(data_dir, durable=False):
        pass
    version_file = data_dir / "postgres" / "PG_VERSION"
    version_file.write_text("9\n")
    with pytest.raises(EmbeddedDatabaseError, match=r"made by PostgreSQL 9.*pg_dump"):
        EmbeddedPostgres(data_dir, durable=False).acquire()


@as_root
def test_as_root_the_server_is_unprivileged_and_changes_nothing_outside(data_dir: Path) -> None:
    passwd = hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest()
    parent_mode = data_dir.parent.stat().st_mode
    embedded = EmbeddedPostgres(data_dir, durable=False)
    if embedded.mode != "userns":
        pytest.skip("this kernel or container forbids user namespaces (see the nobody test)")
    with embedded:
        running = embedded.running()
        assert running is not None
        status = _status(running.pid)
        assert int(status["CapEff"], 16) == 0, "no capability at all"
        assert int(status["CapPrm"], 16) == 0
        own_ns = os.readlink("/proc/self/ns/user")
        assert os.readlink(f"/proc/{running.pid}/ns/user") != own_ns
        owners = {p.stat().st_uid for p in [embedded.pgdata, *embedded.pgdata.rglob("*")]}
        assert owners == {0}, "its files stay root's, in root's own folder"
    assert hashlib.sha256(Path("/etc/passwd").read_bytes()).hexdigest() == passwd
    assert data_dir.parent.stat().st_mode == parent_mode


@as_root
def test_as_root_without_user_namespaces_it_runs_as_nobody_inside_an_open_path() -> None:
    import pwd

    nobody = pwd.getpwnam("nobody")
    mode = f"drop:{nobody.pw_uid}:{nobody.pw_gid}"
    closed = Path(tempfile.mkdtemp(prefix="docsgen-closed-"))  # 0700: nobody cannot pass
    with pytest.raises(EmbeddedDatabaseError, match=r"cannot reach .*DOCSGEN_DATA_DIR"):
        EmbeddedPostgres(closed / "data", mode=mode, durable=False).acquire()

    open_parent = Path(tempfile.mkdtemp(prefix="docsgen-open-"))
    open_parent.chmod(0o755)
    embedded = EmbeddedPostgres(open_parent / "data", mode=mode, durable=False)
    try:
        with embedded:
            running = embedded.running()
            assert running is not None
            assert _status(running.pid)["Uid"].split()[0] == str(nobody.pw_uid)
            assert embedded.pgdata.stat().st_uid == nobody.pw_uid
            assert embedded.password_file.stat().st_uid == 0  # secrets stay root's
        assert stat.S_IMODE(open_parent.stat().st_mode) == 0o755
    finally:
        import shutil

        shutil.rmtree(closed)
        shutil.rmtree(open_parent)


_AS_USER = """
import os, sys
from pathlib import Path
from docsgen.embedded import EmbeddedPostgres
embedded = EmbeddedPostgres(Path(sys.argv[1]), durable=False)
with embedded:
    running = embedded.running()
    uid = Path(f"/proc/{running.pid}/status").read_text().split("Uid:")[1].split()[0]
    print(embedded.mode, uid, os.getuid())
print("stopped" if embedded.running() is None else "left running")
"""


def _runnable(command: list[str]) -> bool:
    """Whether ``command`` runs a Python that can also start itself again (the launcher)."""
    again = "import subprocess, sys; subprocess.run([sys.executable, '-c', ''], check=True)"
    return subprocess.run([*command, "-c", again], capture_output=True).returncode == 0


def test_an_ordinary_user_runs_the_server_as_itself() -> None:
    """As root, the check runs in a child that is the ordinary user ``nobody``.

    That child gets its own copy of the package, in a folder it may read.
    """
    import pwd
    import shutil

    parent = Path(tempfile.mkdtemp(prefix="docsgen-user-"))
    try:
        shutil.copytree(REPO_ROOT / "docsgen", parent / "src" / "docsgen")
        as_user: list[str] = []
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            parent.chmod(0o755)
            for path in [parent, *parent.rglob("*")]:
                os.chown(path, nobody.pw_uid, nobody.pw_gid)
            as_user = ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}"]
            as_user.append("--clear-groups")
        python = next(
            (p for p in (sys.executable, "/usr/bin/python3") if _runnable([*as_user, p])), None
        )
        if python is None:
            pytest.skip("no Python interpreter that the user nobody may run")
        result = subprocess.run(
            [*as_user, python, "-c", _AS_USER, str(parent / "data")],
            env={**os.environ, "PYTHONPATH": str(parent / "src"), "HOME": str(parent)},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        mode, server_uid, own_uid = result.stdout.splitlines()[0].split()
        assert mode == "direct"
        assert server_uid == own_uid != "0"
        assert result.stdout.splitlines()[1] == "stopped"
    finally:
        shutil.rmtree(parent)
