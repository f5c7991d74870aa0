"""Local repositories stay inside DOCSGEN_LOCAL_ROOTS, however their git data points out.

Every test runs with the root inside a git repository (``outer``) and with another
repository outside the root (``secret``): git, asked about a folder, climbs to a
parent's ``.git`` and follows ``.git`` files and symlinks anywhere.  Registration
refuses such a folder with a 400, a run on a folder changed after registration
fails with a clear message, and no answer ever holds anything of the repositories
outside the root.  Worktrees, submodules and bare repositories whose git data lies
inside the root keep working.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from tests.support.api import docs_of, generate, register_local
from tests.support.gitrepo import git, make_repo
from tests.support.processes import docsgen

Client = TestClient[Any, Any]
OUTSIDE = ("outer_only", "OUTER_MARKER", "secret_only", "SECRET_MARKER")


@pytest.fixture
def repos_root(tmp_path: Path) -> Path:
    """The root: a folder of a git repository that lies above it (``outer``)."""
    outer = tmp_path / "outer"
    make_repo(outer, {"outer_only.py": "OUTER_MARKER = 1\n"})
    root = outer / "inner"
    root.mkdir()
    return root.resolve()


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A repository outside the root."""
    path = tmp_path / "secret"
    make_repo(path, {"secret_only.py": "SECRET_MARKER = 1\n"})
    return path.resolve()


def assert_nothing_from_outside(*texts: str) -> None:
    for text in texts:
        for mark in OUTSIDE:
            assert mark not in text, text


async def refused(client: Client, auth: dict[str, str], path: Path) -> str:
    """Register ``path``: it must be refused with a 400 JSON error; its message."""
    r = await client.post(
        "/api/repositories", json={"provider": "local", "path": str(path)}, headers=auth
    )
    body = await r.text()
    assert r.status == 400, body
    assert r.content_type == "application/json"
    assert_nothing_from_outside(body)
    message: str = (await r.json())["error"]
    return message


async def every_answer(client: Client, auth: dict[str, str], repo_id: str) -> list[str]:
    """What the API answers about a repository: the repository, its status, docs and docs.md."""
    base = f"/api/repositories/{repo_id}"
    paths = (base, f"{base}/docs/status", f"{base}/docs", f"{base}/docs.md")
    return [await (await client.get(path, headers=auth)).text() for path in paths]


def outside_message(path: Path, what: str) -> str:
    return (
        f"The git repository of {path} is not inside the allowed folders: {what} lies outside them"
    )


# --- registration --------------------------------------------------------------------


async def test_the_repository_above_the_root_is_not_found_from_inside_it(
    client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    plain = repos_root / "plain"
    plain.mkdir()
    (plain / "a.py").write_text("x = 1\n")
    assert await refused(client, auth, repos_root) == f"Not a git repository: {repos_root}"
    assert await refused(client, auth, plain) == f"Not a git repository: {plain}"


async def test_a_dotgit_file_pointing_outside_the_roots_is_refused(
    client: Client, auth: dict[str, str], repos_root: Path, secret: Path
) -> None:
    pointer = repos_root / "pointer"
    pointer.mkdir()
    (pointer / ".git").write_text(f"gitdir: {secret / '.git'}\n")
    message = await refused(client, auth, pointer)
    assert message == outside_message(pointer, "its git directory")
    assert str(secret) not in message


async def test_a_dotgit_symlink_pointing_outside_the_roots_is_refused(
    client: Client, auth: dict[str, str], repos_root: Path, secret: Path
) -> None:
    linked = repos_root / "linked"
    make_repo(linked, {"a.py": "x = 1\n"})
    shutil.rmtree(linked / ".git")
    (linked / ".git").symlink_to(secret / ".git")
    message = await refused(client, auth, linked)
    assert message == outside_message(linked, "its git directory")


async def test_a_worktree_of_a_repository_outside_the_roots_is_refused(
    client: Client, auth: dict[str, str], repos_root: Path, secret: Path
) -> None:
    worktree = repos_root / "secret-worktree"
    git(secret, "worktree", "add", "-q", str(worktree))
    message = await refused(client, auth, worktree)
    assert message == outside_message(worktree, "its git directory")


async def test_object_stores_borrowed_from_outside_the_roots_are_refused(
    client: Client, auth: dict[str, str], repos_root: Path, secret: Path
) -> None:
    borrower = repos_root / "borrower"
    make_repo(borrower, {"a.py": "x = 1\n"})
    alternates = borrower / ".git" / "objects" / "info" / "alternates"
    alternates.write_text(f"{secret / '.git' / 'objects'}\n")
    (borrower / ".git" / "refs" / "heads" / "main").write_text(git(secret, "rev-parse", "HEAD"))
    message = await refused(client, auth, borrower)
    assert message == outside_message(
        borrower, "an object store it borrows from (objects/info/alternates)"
    )


async def test_a_symlink_inside_the_git_data_pointing_outside_the_roots_is_refused(
    client: Client, auth: dict[str, str], repos_root: Path, secret: Path
) -> None:
    linked = repos_root / "objects-elsewhere"
    make_repo(linked, {"a.py": "x = 1\n"})
    shutil.rmtree(linked / ".git" / "objects")
    (linked / ".git" / "objects").symlink_to(secret / ".git" / "objects")
    message = await refused(client, auth, linked)
    assert message == outside_message(linked, "the target of objects in its git data")


# --- at run time: the folder changed after it was registered ---------------------------


def remove_git(repo: Path, secret: Path) -> None:
    """git climbs to the repository above the root."""
    shutil.rmtree(repo / ".git")


def dotgit_file(repo: Path, secret: Path) -> None:
    shutil.rmtree(repo / ".git")
    (repo / ".git").write_text(f"gitdir: {secret / '.git'}\n")


def dotgit_symlink(repo: Path, secret: Path) -> None:
    shutil.rmtree(repo / ".git")
    (repo / ".git").symlink_to(secret / ".git")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (remove_git, "Not a git repository: {repo}"),
        (dotgit_file, outside_message(Path("{repo}"), "its git directory")),
        (dotgit_symlink, outside_message(Path("{repo}"), "its git directory")),
    ],
)
async def test_a_repository_pointed_outside_the_roots_after_registration_fails_its_run(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    repos_root: Path,
    secret: Path,
    change: Callable[[Path, Path], None],
    message: str,
) -> None:
    repo_path = repos_root / "changed"
    make_repo(repo_path, {"README.md": "# Changed\n\nA repository that changes.\n"})
    repo = await register_local(client, auth, repo_path)
    change(repo_path, secret)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == message.format(repo=repo_path)
    assert_nothing_from_outside(*await every_answer(client, auth, repo["id"]))


# --- what lies inside the roots keeps working ------------------------------------------


async def generated(app: web.Application, client: Client, auth: dict[str, str], path: Path) -> str:
    """Register ``path``, generate its docs (they must complete) and return their Markdown."""
    repo = await register_local(client, auth, path)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "completed", status
    assert_nothing_from_outside(*await every_answer(client, auth, repo["id"]))
    content: str = (await docs_of(client, auth, repo["id"]))["content"]
    return content


async def test_a_worktree_inside_the_roots_generates(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    main = repos_root / "main"
    make_repo(main, {"main_module.py": '"""The main module."""\n\nVALUE = 1\n'})
    worktree = repos_root / "feature"
    git(main, "worktree", "add", "-q", "-b", "feature", str(worktree))
    content = await generated(app, client, auth, worktree)
    assert "main_module.py" in content


async def test_a_submodule_inside_the_roots_generates(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path, tmp_path: Path
) -> None:
    library = tmp_path / "library-source"  # cloned into the superproject's git data
    make_repo(library, {"library_module.py": '"""A library."""\n\nLIMIT = 3\n'})
    superproject = repos_root / "super"
    make_repo(superproject, {"app_module.py": '"""The app."""\n\nNAME = "app"\n'})
    git(superproject, "-c", "protocol.file.allow=always", "submodule", "add", "-q",
        str(library), "library")  # fmt: skip
    git(superproject, "commit", "-q", "-m", "add the library")
    assert (superproject / "library" / ".git").is_file()  # gitdir: ../.git/modules/library
    assert "library_module.py" in await generated(app, client, auth, superproject / "library")
    assert "app_module.py" in await generated(app, client, auth, superproject)


async def test_a_bare_repository_inside_the_roots_generates(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    make_repo(work, {"bare_module.py": '"""Kept bare."""\n\nSIZE = 2\n'})
    bare = repos_root / "bare.git"
    git(tmp_path, "clone", "-q", "--bare", str(work), str(bare))
    assert "bare_module.py" in await generated(app, client, auth, bare)


def test_the_command_line_documents_a_worktree_whose_git_data_lies_beside_it(
    tmp_path: Path,
) -> None:
    main = tmp_path / "main"
    make_repo(main, {"main_module.py": '"""The main module."""\n\nVALUE = 1\n'})
    worktree = tmp_path / "feature"
    git(main, "worktree", "add", "-q", "-b", "feature", str(worktree))
    result = docsgen("generate", str(worktree), env={"DOCSGEN_ANALYSIS_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    assert "main_module.py" in result.stdout
