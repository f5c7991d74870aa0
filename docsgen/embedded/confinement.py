"""How the PostgreSQL programs run without being root.

PostgreSQL refuses to run as root.  docsgen never creates a system user and
never changes a permission outside its data folder, so:

- as an ordinary user, the programs run as that user (``direct``);
- as root, they run in a new user namespace where root's uid appears as an
  unprivileged one (``userns``): the server holds no capability outside the
  namespace and its files stay root's own, in a folder only root can reach;
- as root where user namespaces are forbidden (a container's default seccomp
  profile), they run as the existing ``nobody`` account (``drop``); the data
  folder must then be reachable by ``nobody`` (see docs/embedded-database.md).
"""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from docsgen.errors import EmbeddedDatabaseError

LAUNCHER = Path(__file__).resolve().with_name("launch.py")


def launcher_command(mode: str, log: str, cwd: Path, program: Sequence[str]) -> list[str]:
    """The command that runs ``program`` confined by ``mode`` (see ``launch.py``)."""
    return [sys.executable, "-I", "-S", str(LAUNCHER), mode, log, str(cwd), "--", *program]


def _userns_works(probe: Path) -> bool:
    result = subprocess.run(
        launcher_command("userns", "-", Path("/"), [str(probe), "--version"]),
        capture_output=True,
        check=False,
        timeout=30,
    )
    return result.returncode == 0


def choose_mode(postgres: Path) -> str:
    """The confinement for this process: ``direct``, ``userns`` or ``drop:UID:GID``."""
    if os.name != "posix":
        raise EmbeddedDatabaseError(
            "The embedded database needs Linux or macOS; set DATABASE_URL on this system"
        )
    if os.geteuid() != 0:
        return "direct"
    if sys.platform.startswith("linux") and _userns_works(postgres):
        return "userns"
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        raise EmbeddedDatabaseError(
            "Running as root, the embedded database needs user namespaces or a 'nobody' "
            "account; run docsgen as an ordinary user or set DATABASE_URL"
        ) from None
    return f"drop:{nobody.pw_uid}:{nobody.pw_gid}"


def owner_for(mode: str) -> tuple[int, int]:
    """The uid/gid that must own the cluster's files under ``mode``."""
    if mode.startswith("drop:"):
        _, uid, gid = mode.split(":")
        return int(uid), int(gid)
    return os.geteuid(), os.getegid()


def check_reachable(mode: str, folder: Path) -> None:
    """Under ``drop``, every folder above ``folder`` must let others pass through."""
    if not mode.startswith("drop:"):
        return
    uid, _ = owner_for(mode)
    for parent in [folder, *folder.parents]:
        info = parent.stat()
        if info.st_uid == uid or info.st_mode & stat.S_IXOTH:
            continue
        raise EmbeddedDatabaseError(
            f"Running as root without user namespaces, the embedded database runs as "
            f"'nobody', which cannot reach {folder} ({parent} is closed to others). "
            "Set DOCSGEN_DATA_DIR to a folder under an open path (e.g. /var/lib/docsgen), "
            "run docsgen as an ordinary user, or set DATABASE_URL"
        )


def chown_tree(root: Path, uid: int, gid: int) -> None:
    """Give ``root`` and everything below it to ``uid``/``gid`` (inside our data folder only)."""
    if root.stat().st_uid == uid:
        return
    os.chown(root, uid, gid)
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            os.chown(os.path.join(dirpath, name), uid, gid, follow_symlinks=False)
