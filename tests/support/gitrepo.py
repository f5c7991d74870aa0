"""Real git repositories on disk for tests."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path

_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.com",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.com",
    "GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **_ENV},
    ).stdout.strip()


def write_files(repo: Path, files: Mapping[str, str | bytes]) -> None:
    for rel, content in files.items():
        target = repo / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")


def make_repo(path: Path, files: Mapping[str, str | bytes], message: str = "initial") -> str:
    """Create a git repository at ``path`` holding ``files``; return the commit SHA."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    return commit(path, files, message)


def commit(path: Path, files: Mapping[str, str | bytes], message: str = "change") -> str:
    write_files(path, files)
    git(path, "add", "-A")
    git(path, "commit", "-q", "--allow-empty", "-m", message)
    return git(path, "rev-parse", "HEAD")


SAMPLE_FILES: dict[str, str | bytes] = {
    "README.md": (
        "# Sample\n\n[![build](https://ci.example/badge.svg)](https://ci.example)\n\n"
        "Sample is a tiny library that greets people.\nIt is used by the tests.\n\n"
        "## Usage\n\nRun it.\n"
    ),
    "pyproject.toml": '[project]\nname = "sample"\nversion = "1.0"\n',
    "sample/__init__.py": '"""The sample package."""\n\nfrom sample.greet import greet\n',
    "sample/greet.py": (
        '"""Greetings."""\n\n\ndef greet(name: str, *, loud: bool = False) -> str:\n'
        '    """Return a greeting for ``name``."""\n'
        '    text = f"Hello, {name}"\n    return text.upper() if loud else text\n'
    ),
    "web/app.ts": "export function start(port: number): void {\n  console.log(port);\n}\n",
    "node_modules/left-pad/index.js": "module.exports = function () {};\n",
    "logo.png": b"\x89PNG\r\n\x1a\n\0\0\0binary",
}


def big_repo(root: Path) -> Path:
    """A repository large enough that a run is still going when the test acts."""
    files: dict[str, str | bytes] = dict(SAMPLE_FILES)
    for i in range(1500):
        files[f"pkg/mod{i // 100}/m{i}.py"] = (
            f'"""Module {i}."""\n\n\ndef f{i}(x: int = {i}) -> int:\n    return x\n'
        )
    path = root / "big"
    make_repo(path, files)
    return path
