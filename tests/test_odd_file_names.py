"""File names that are not UTF-8, and errors nobody foresaw, never fail a run with internals.

A committed ``b"caf\\xe9.py"`` used to fail the run at 50 % with Python's encoding
error; now such a file is listed (its bytes shown as ``\\xNN``) with a ⚠️ and not
read, by the local source, the GitHub tarball source and ``docsgen generate``
alike.  A failure nobody foresaw stores CONTRACT §6's catch-all with a reason that
holds nothing of the error itself; the error goes to the log.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.support.api import docs_of, generate, register_local
from tests.support.fake_github import FakeGitHub, FakeUser, register_github
from tests.support.gitrepo import git, make_repo
from tests.support.processes import docsgen

Client = TestClient[Any, Any]

# Names as Python reads undecodable bytes from the file system (surrogateescape).
ODD_FILES: dict[str, str | bytes] = {
    "README.md": "# Odd\n\nA repository with names that are not UTF-8.\n",
    "caf\udce9.py": "CAFE = 1\n",
    "d\udce9j\udce0/vu.py": "SEEN = 2\n",
    "plain.py": '"""A plain module."""\n\nVALUE = 3\n',
}
WARNING = (
    "⚠️ 2 file(s) not read (file name is not valid UTF-8): `caf\\xe9.py`, `d\\xe9j\\xe0/vu.py`."
)
INTERNAL = "an internal error occurred (see the service log)"


@pytest.fixture
def odd_repo(repos_root: Path) -> Path:
    path = repos_root / "odd"
    make_repo(path, ODD_FILES)
    assert b"caf\\351.py" in os.fsencode(git(path, "ls-files"))  # git quotes the byte
    return path


def assert_documented_with_a_warning(content: str) -> None:
    assert WARNING in content
    assert "plain.py" in content and "VALUE" in content  # the rest is documented
    assert "CAFE" not in content and "SEEN" not in content  # the odd files are not read
    assert "caf\\xe9.py" in content.split("## Project Structure")[1]  # but listed


async def test_a_local_repository_with_names_that_are_not_utf8_completes_with_a_warning(
    app: web.Application, client: Client, auth: dict[str, str], odd_repo: Path
) -> None:
    repo = await register_local(client, auth, odd_repo)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "completed", status
    assert_documented_with_a_warning((await docs_of(client, auth, repo["id"]))["content"])


@pytest.mark.on_fake_github
async def test_a_github_repository_with_names_that_are_not_utf8_completes_with_a_warning(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    odd_repo: Path,
    fake_github: FakeGitHub,
    connected: FakeUser,
) -> None:
    fake_github.add_repo("alice-gh", "odd", odd_repo)
    repo = await register_github(client, auth, "alice-gh/odd")
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "completed", status
    assert_documented_with_a_warning((await docs_of(client, auth, repo["id"]))["content"])


def test_the_command_line_documents_names_that_are_not_utf8_with_a_warning(
    odd_repo: Path,
) -> None:
    result = docsgen("generate", str(odd_repo), env={"DOCSGEN_ANALYSIS_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    assert_documented_with_a_warning(result.stdout)


# --- an error nobody foresaw -----------------------------------------------------------


def corrupt_a_blob(repo: Path) -> None:
    """Overwrite the stored object of ``plain.py``: reading the tree fails on it."""
    sha = git(repo, "rev-parse", "HEAD:plain.py")
    stored = repo / ".git" / "objects" / sha[:2] / sha[2:]
    stored.chmod(0o644)
    stored.write_bytes(b"not a zlib stream at all")


async def test_an_unforeseen_failure_stores_the_generic_reason_and_logs_the_details(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    odd_repo: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    repo = await register_local(client, auth, odd_repo)
    corrupt_a_blob(odd_repo)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == f"Failed while fetching repository file tree: {INTERNAL}"
    logged = [r.exc_info[1] for r in caplog.records if r.levelno >= logging.ERROR and r.exc_info]
    assert len(logged) == 1, "the error and its details go to the log"
    assert str(logged[0]) and str(logged[0]) not in status["error_message"]


def test_an_unforeseen_failure_of_the_command_line_ends_with_the_generic_reason(
    odd_repo: Path,
) -> None:
    corrupt_a_blob(odd_repo)
    result = docsgen("generate", str(odd_repo), env={"DOCSGEN_ANALYSIS_WORKERS": "1"})
    assert result.returncode == 1
    *details, last = result.stderr.splitlines()
    assert last == (
        "docsgen: Failed while fetching repository file tree: an internal error occurred "
        "(the details are above)"
    )
    # The log indents a traceback's lines, so none of them can pass for a log line.
    assert "Traceback (most recent call last):" in [line.strip() for line in details]
    assert result.stdout == ""
