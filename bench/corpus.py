"""Real codebases for benchmarks, fetched from PyPI once and kept in a cache folder."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.pypi import sdist

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
    sdist("django", version, None, cache).rename(repo)
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", f"Django {version}")
    return repo
