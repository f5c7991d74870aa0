"""Real projects' sources from PyPI, pinned by version and hash, downloaded once and kept."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(__file__).resolve().parents[1] / ".cache"


def sdist(name: str, version: str, sha256: str | None, cache: Path = CACHE) -> Path:
    """The unpacked source distribution ``name==version`` (``pip download --no-binary``).

    With ``sha256`` the archive must have that digest, or it is deleted and this fails.
    """
    unpacked = cache / f"{name}-{version}"
    if unpacked.is_dir():
        return unpacked
    cache.mkdir(parents=True, exist_ok=True)
    archive = cache / f"{name}-{version}.tar.gz"
    if not archive.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", f"{name}=={version}", "-d", str(cache)],
            check=True,
        )  # fmt: skip
    if sha256 is not None:
        digest = hashlib.sha256(archive.read_bytes()).hexdigest()
        if digest != sha256:
            archive.unlink()
            raise RuntimeError(f"{archive.name} has SHA-256 {digest}, expected {sha256}")
    with tarfile.open(archive) as tar:
        tar.extractall(cache, filter="data")
    return unpacked
