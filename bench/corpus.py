"""Real codebases for benchmarks, fetched from PyPI once and kept in a cache folder."""

from __future__ import annotations

import subprocess
import sys
import tarfile
from pathlib import Path

CACHE = Path(__file__).resolve().parent / ".cache"


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "bench",
            "GIT_AUTHOR_EMAIL": "bench@example.com",
            "GIT_COMMITTER_NAME": "bench",
            "GIT_COMMITTER_EMAIL": "bench@example.com",
            "PATH": "/usr/bin:/bin:/usr/local/bin",
        },
    )


def django_checkout(version: str = "5.2.8", cache: Path = CACHE) -> Path:
    """Django's source as a git repository (``pip download --no-binary :all:``)."""
    repo = cache / f"django-{version}-repo"
    if (repo / ".git").is_dir():
        return repo
    cache.mkdir(parents=True, exist_ok=True)
    sdist = cache / f"django-{version}.tar.gz"
    if not sdist.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", f"django=={version}", "-d", str(cache)],
            check=True,
        )  # fmt: skip
    unpacked = cache / f"django-{version}"
    if not unpacked.exists():
        with tarfile.open(sdist) as tar:
            tar.extractall(cache, filter="data")
    unpacked.rename(repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", f"Django {version}")
    return repo
