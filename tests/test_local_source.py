"""Local repositories: what git tracks at HEAD, with skips, limits and clear failures."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.jobs.lifecycle import failure_message
from docsgen.settings import Settings
from tests.support.api import docs_of, register_local, wait_for_runs
from tests.support.generation import fetch
from tests.support.gitrepo import commit, git, make_repo

Client = TestClient[Any, Any]


async def run_once(
    app: web.Application, client: Client, auth: dict[str, str], path: Path
) -> dict[str, Any]:
    repo = await register_local(client, auth, path)
    r = await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    assert r.status == 202
    await wait_for_runs(app)
    docs: dict[str, Any] = await docs_of(client, auth, repo["id"])
    return docs


async def test_a_repository_without_commits_fails_as_empty(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "fresh"
    path.mkdir()
    git(path, "init", "-q")
    docs = await run_once(app, client, auth, path)
    assert docs["status"] == "failed"
    assert docs["error_message"] == "Repository appears to be empty"
    assert docs["progress"] == 20  # kept where it was


async def test_a_commit_with_no_files_fails_as_empty(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "nofiles"
    make_repo(path, {})
    docs = await run_once(app, client, auth, path)
    assert (docs["status"], docs["error_message"]) == ("failed", "Repository appears to be empty")
    assert docs["progress"] == 40


async def test_a_folder_that_is_not_a_git_repository_is_refused_at_registration(
    client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "plain"
    path.mkdir()
    (path / "a.py").write_text("x = 1\n")
    r = await client.post(
        "/api/repositories", json={"provider": "local", "path": str(path)}, headers=auth
    )
    assert r.status == 400
    assert await r.json() == {"error": f"Not a git repository: {path}"}


async def test_a_repository_that_stopped_being_one_after_registration_fails_clearly(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    shutil.rmtree(sample_repo / ".git")
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await wait_for_runs(app)
    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "failed"
    assert status["error_message"] == f"Not a git repository: {sample_repo}"


async def test_a_repository_folder_removed_after_registration_fails_clearly(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    shutil.rmtree(sample_repo)
    await client.post("/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth)
    await wait_for_runs(app)
    status = await (
        await client.get(f"/api/repositories/{repo['id']}/docs/status", headers=auth)
    ).json()
    assert status["status"] == "failed"
    assert status["error_message"] == f"Local repository folder not found: {sample_repo}"


async def test_large_and_binary_files_are_skipped_and_noted(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "mixed"
    make_repo(
        path,
        {
            "README.md": "# Mixed\n\nA repository with odd files.\n",
            "big.txt": "x" * (1024 * 1024 + 10),
            "image.bin": b"\0\1\2\3" * 100,
            "ok.py": "VALUE = 1\n",
        },
    )
    (path / "untracked.py").write_text("x = 1\n")  # on disk, but not in HEAD
    docs = await run_once(app, client, auth, path)
    assert docs["status"] == "completed"
    content = docs["content"]
    assert "⚠️ 1 file(s) not read (binary file): `image.bin`." in content
    assert "⚠️ 1 file(s) not read (larger than 1 MiB): `big.txt`." in content
    assert "ok.py" in content
    assert "untracked.py" not in content
    overview = docs["pages"]["overview"]
    assert overview["warnings"] == 2


async def test_a_repository_over_the_size_limit_fails_with_the_limit(
    settings: Settings, aiohttp_client: Any, repos_root: Path
) -> None:
    small = replace(settings, max_repository_bytes=1000)
    app = create_app(small)
    client = await aiohttp_client(app)
    from docsgen.api.keys import POOL
    from docsgen.db import accounts

    user = await accounts.create_user(app[POOL], "carol")
    auth = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], user)}"}
    path = repos_root / "big"
    make_repo(path, {"a.txt": "a" * 800, "b.txt": "b" * 800})
    docs = await run_once(app, client, auth, path)
    assert docs["status"] == "failed"
    assert docs["error_message"] == (
        "Repository is too large: 1.6 KiB of files, over the limit of 1000 bytes"
    )


async def test_symlinks_and_submodule_links_are_not_read(
    app: web.Application, client: Client, auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "links"
    make_repo(path, {"README.md": "# Links\n\nHas a link.\n"})
    (path / "passwd").symlink_to("/etc/passwd")
    commit(path, {}, "link")
    docs = await run_once(app, client, auth, path)
    assert docs["status"] == "completed"
    assert "root:" not in docs["content"]
    assert "passwd" not in docs["content"]


def test_the_catch_all_message_names_the_step_and_a_safe_reason() -> None:
    assert failure_message("Analyzing code structure") == (
        "Failed while analyzing code structure: an internal error occurred (see the service log)"
    )
    assert (
        failure_message("Generating documentation: Overview...", "the database went away")
        == "Failed while generating documentation: Overview: the database went away"
    )


async def test_a_repository_of_many_files_is_read_whole(tmp_path: Path) -> None:
    # Over a thousand blobs, streamed from one git process: every file comes back with
    # its own bytes, duplicates and binaries too.
    files: dict[str, str | bytes] = {f"pkg/m{i:04}.py": f"VALUE_{i} = {i}\n" for i in range(1500)}
    files["pkg/same_a.py"] = files["pkg/same_b.py"] = "SAME = 1\n"
    files["data/blob.bin"] = b"\0\1\2" * 50
    repo = tmp_path / "many"
    make_repo(repo, files)
    snapshot = await fetch(repo)
    read = {f.path: f for f in snapshot.files}
    assert set(read) == set(files)
    for path, content in files.items():
        if isinstance(content, str):
            assert read[path].data == content.encode(), path
    assert read["data/blob.bin"].data is None and read["data/blob.bin"].skipped == "binary file"
