"""GitHub repositories generate end to end, and every GitHub row of CONTRACT §6 fails right.

Each failure test checks the exact ``error_message`` and then that the
repository accepts a retry (and, where the cause can be removed, completes).
"""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import RUN_DEPS
from docsgen.jobs.lifecycle import Run
from tests.support.api import (
    Steps,
    docs_of,
    generate,
    register_local,
    run_to_end,
    status_of,
    wait_for_runs,
)
from tests.support.fake_github import FakeGitHub, FakeUser, connect_github, register_github
from tests.support.gitrepo import make_repo
from tests.support.on_github import run_held_at

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github

CONTRACT_FETCH_STEPS = [
    (20, "Fetching repository metadata"),
    (30, "Fetching GitHub authentication"),
    (40, "Fetching repository file tree"),
    (50, "Analyzing code structure"),
]


def without_link_form(markdown: str) -> str:
    """Citations as plain labels: ``[`a.py:3`](https://…)`` → ``a.py:3`` in code."""
    return re.sub(r"\[(`[^`\n]+`)\]\([^)\s]+\)", r"\1", markdown)


# --- end to end -------------------------------------------------------------------


async def test_a_github_repository_generates_like_the_same_files_registered_locally(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    sample_repo: Path,
    fake_github: FakeGitHub,
    connected: FakeUser,
    sample_on_github: str,
) -> None:
    steps = Steps()
    app[RUN_DEPS].on_progress.append(steps)
    github = await register_github(client, auth, sample_on_github)
    status = await generate(app, client, auth, github["id"])
    assert status["status"] == "completed", status
    assert status["progress"] == 100
    assert steps.seen[:4] == CONTRACT_FETCH_STEPS
    assert fake_github.count("tarball") == 1
    assert fake_github.count("codeload") == 1
    # The token goes to the API only, never to the download's other origin.
    codeload = [r for r in fake_github.requests if r.route == "codeload"]
    assert "Authorization" not in codeload[0].headers
    tarball = [r for r in fake_github.requests if r.route == "tarball"]
    assert tarball[0].headers["Authorization"] == f"token {connected.token}"

    local = await register_local(client, auth, sample_repo)
    assert (await generate(app, client, auth, local["id"]))["status"] == "completed"

    on_github = await docs_of(client, auth, github["id"])
    on_disk = await docs_of(client, auth, local["id"])
    sha = on_disk["commit_sha"]
    assert on_github["commit_sha"] == sha
    assert list(on_github["pages"]) == list(on_disk["pages"])
    for got, want in zip(on_github["pages"].values(), on_disk["pages"].values(), strict=True):
        if got["title"] == "Overview":
            # What only GitHub knows: the owner/name and the default branch.
            assert "- **Repository:** alice-gh/sample" in got["markdown"]
            assert "- **Default branch:** `main`" in got["markdown"]
            got_md = got["markdown"].replace("alice-gh/sample", "sample")
            got_md = got_md.replace("- **Default branch:** `main`\n", "")
        else:
            got_md = got["markdown"]
        assert without_link_form(got_md) == without_link_form(want["markdown"])
        assert got["warnings"] == want["warnings"]
    # Citations point at the exact commit the docs describe.
    web_url = fake_github.web_url
    assert f"({web_url}/alice-gh/sample/blob/{sha}/README.md#L5)" in on_github["content"]
    assert "](http" not in on_disk["content"]
    download = await client.get(f"/api/repositories/{github['id']}/docs.md", headers=auth)
    assert (
        download.headers["Content-Disposition"] == 'attachment; filename="alice-gh-sample-docs.md"'
    )


async def test_the_row_shows_the_file_tree_step_while_the_tarball_is_held(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    gate = await run_held_at("codeload", fake_github, client, auth, on_github)
    during = await status_of(client, auth, on_github)
    assert (during["status"], during["progress"], during["current_step"]) == (
        "generating",
        40,
        "Fetching repository file tree",
    )
    again = await client.post("/api/generate-docs", json={"repository_id": on_github}, headers=auth)
    assert again.status == 409
    gate.release()
    await wait_for_runs(app)
    after = await status_of(client, auth, on_github)
    assert after["status"] == "completed"
    assert fake_github.count("codeload") == 1


# --- CONTRACT §6, one test per GitHub row -----------------------------------------


async def retry_completes(
    app: web.Application, client: Client, auth: dict[str, str], repo_id: str
) -> None:
    status = await generate(app, client, auth, repo_id)
    assert status["status"] == "completed", status
    assert status["error_message"] is None


async def test_a_revoked_token_fails_with_the_reconnect_message(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    connected: FakeUser,
    on_github: str,
) -> None:
    fake_github.revoke(connected.token)  # revoked on GitHub
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "failed"
    assert status["error_message"] == (
        "GitHub rejected the stored token. Please reconnect your GitHub account"
    )
    assert status["progress"] == 20
    fresh = fake_github.add_user("alice-gh")
    await connect_github(client, auth, fresh.token)
    await retry_completes(app, client, auth, on_github)


async def test_no_stored_token_fails_at_the_authentication_step(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    alice_github: FakeUser,
    sample_on_github: str,
) -> None:
    steps = Steps()
    app[RUN_DEPS].on_progress.append(steps)
    repo = await register_github(client, auth, sample_on_github)
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == "GitHub token missing. Please reconnect your GitHub account"
    assert status["progress"] == 30
    assert steps.seen == CONTRACT_FETCH_STEPS[:2]
    assert sum(fake_github.counts.values()) == 0  # GitHub was not asked anything
    await connect_github(client, auth, alice_github.token)
    await retry_completes(app, client, auth, repo["id"])


async def test_an_unknown_repository_fails_as_not_found(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    connected: FakeUser,
    sample_repo: Path,
) -> None:
    repo = await register_github(client, auth, "alice-gh/sample")
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == "Repository not found: alice-gh/sample"
    fake_github.add_repo("alice-gh", "sample", sample_repo)
    await retry_completes(app, client, auth, repo["id"])


async def test_a_private_repository_of_someone_else_reads_as_not_found(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    connected: FakeUser,
    sample_repo: Path,
) -> None:
    fake_github.add_user("bob-gh")
    fake_github.add_repo("bob-gh", "secret", sample_repo, private=True)
    repo = await register_github(client, auth, "https://github.com/bob-gh/secret")
    status = await generate(app, client, auth, repo["id"])
    assert status["error_message"] == "Repository not found: bob-gh/secret"
    fake_github.repos["bob-gh/secret"].collaborators.add(connected.login)
    await retry_completes(app, client, auth, repo["id"])


async def test_an_empty_repository_fails_as_empty(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    connected: FakeUser,
    repos_root: Path,
) -> None:
    fake_github.add_empty_repo("alice-gh", "fresh")
    repo = await register_github(client, auth, "alice-gh/fresh")
    status = await generate(app, client, auth, repo["id"])
    assert status["status"] == "failed"
    assert status["error_message"] == "Repository appears to be empty"
    assert fake_github.count("commit") == 1  # answered 409 "Git Repository is empty."
    assert fake_github.count("tarball") == 0
    make_repo(repos_root / "fresh", {"main.py": "print('hi')\n"})
    fake_github.add_repo("alice-gh", "fresh", repos_root / "fresh")
    await retry_completes(app, client, auth, repo["id"])


async def test_an_empty_tree_fails_as_empty(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    connected: FakeUser,
) -> None:
    fake_github.add_repo_with_tarball("alice-gh", "hollow", b"", tree=[], truncated=False)
    repo = await register_github(client, auth, "alice-gh/hollow")
    status = await generate(app, client, auth, repo["id"])
    assert status["error_message"] == "Repository appears to be empty"
    assert fake_github.count("tarball") == 0
    await run_to_end(app, client, auth, repo["id"])  # a retry is accepted


async def test_the_primary_rate_limit_fails_with_the_reset_time(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    reset = fake_github.rate_limit("tree", reset_in=1800)
    status = await generate(app, client, auth, on_github)
    clock = datetime.fromtimestamp(reset, UTC).strftime("%H:%M:%S")
    assert status["status"] == "failed"
    assert status["error_message"] == f"GitHub API rate limit exceeded; it resets at {clock} UTC"
    assert status["progress"] == 40
    assert fake_github.count("tree") == 1  # not retried: the reset is far away
    await retry_completes(app, client, auth, on_github)


async def test_a_secondary_rate_limit_is_waited_out_and_shown_as_the_current_step(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    shown: list[Any] = []

    async def read_row_while_waiting(run: Run, progress: int, step: str) -> None:
        if step.startswith("Waiting"):
            answer = await client.get(f"/api/repositories/{on_github}/docs/status", headers=auth)
            shown.append(await answer.json())

    steps = Steps()
    app[RUN_DEPS].on_progress += [steps, read_row_while_waiting]
    fake_github.secondary_rate_limit("tree", retry_after=1)
    before = datetime.now(UTC)
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "completed", status
    assert fake_github.count("tree") == 2

    [row] = shown
    assert row["status"] == "generating"
    assert row["progress"] == 40
    match = re.fullmatch(
        r"Waiting for GitHub rate limit \(until (\d\d:\d\d:\d\d) UTC\)", row["current_step"]
    )
    assert match, row["current_step"]
    until = datetime.combine(before.date(), datetime.strptime(match[1], "%H:%M:%S").time(), UTC)
    assert timedelta(0) <= until - before.replace(microsecond=0) <= timedelta(seconds=3)
    waiting = steps.seen.index((40, row["current_step"]))
    assert steps.seen[waiting + 1] == (40, "Fetching repository file tree")  # back after the wait
    await retry_completes(app, client, auth, on_github)


@pytest.mark.parametrize("github_overrides", [{"github_rate_limit_max_wait_seconds": 5.0}])
async def test_a_long_secondary_rate_limit_fails_with_the_time_to_retry(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    fake_github.secondary_rate_limit("repo", retry_after=3600, status=429)
    started = time.time()
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "failed"
    match = re.fullmatch(
        r"GitHub secondary rate limit exceeded; try again after (\d\d:\d\d:\d\d) UTC",
        status["error_message"],
    )
    assert match, status["error_message"]
    expected = {
        datetime.fromtimestamp(started + 3600 + d, UTC).strftime("%H:%M:%S") for d in range(3)
    }
    assert match[1] in expected
    await retry_completes(app, client, auth, on_github)


async def test_two_server_errors_then_success_completes(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    fake_github.fail("repo", 500, times=2)
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "completed", status
    assert fake_github.count("repo") == 3
    await retry_completes(app, client, auth, on_github)
    assert fake_github.count("repo") == 4


async def test_persistent_server_errors_fail_with_githubs_status_and_message(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    fake_github.fail("commit", 502, "Server Error", times=None)
    status = await generate(app, client, auth, on_github)
    assert status["error_message"] == (
        "GitHub API request failed: 502 Bad Gateway: Server Error (after 4 attempts)"
    )
    assert fake_github.count("commit") == 4  # the first try and three retries
    fake_github.clear_faults()
    await retry_completes(app, client, auth, on_github)


@pytest.mark.parametrize("github_overrides", [{"github_timeout_seconds": 0.2, "github_retries": 2}])
async def test_a_persistent_timeout_fails_after_the_retries(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    fake_github.slow("commit", 30, times=None)
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "failed"
    assert status["error_message"] == (
        "GitHub API request failed: no answer within 0.2 s (after 3 attempts)"
    )
    assert fake_github.count("commit") == 3
    fake_github.clear_faults()
    await retry_completes(app, client, auth, on_github)


@pytest.mark.parametrize("github_overrides", [{"max_repository_bytes": 200}])
async def test_a_repository_over_the_size_limit_fails_with_the_limit(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "failed"
    tree = fake_github.repos["alice-gh/sample"].tree
    total = sum(e["size"] for e in tree if e["type"] == "blob")
    assert status["error_message"] == (
        f"Repository is too large: {total} bytes of files, over the limit of 200 bytes"
    )
    assert fake_github.count("tarball") == 0  # known from the tree: nothing downloaded
    await run_to_end(app, client, auth, on_github)  # a retry is accepted


@pytest.mark.parametrize("github_overrides", [{"max_tarball_bytes": 300}])
async def test_a_tarball_over_the_download_limit_fails_with_the_limit(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    status = await generate(app, client, auth, on_github)
    assert status["status"] == "failed"
    assert status["error_message"] == (
        "Repository is too large: its tarball is over the download limit of 300 bytes"
    )
    assert fake_github.count("tarball") == 1
    await run_to_end(app, client, auth, on_github)  # a retry is accepted
