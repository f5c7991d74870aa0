"""The status shows the commit the docs describe, the head, and how far behind they are.

GitHub: the compare API through the client (counted by the fake); local: git.
Status polls never ask GitHub; reading the repository or its docs starts a
throttled background check; ``POST .../docs/check`` checks at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.db import accounts
from docsgen.freshness.checker import FRESHNESS
from docsgen.settings import SettingsError, load_settings
from tests.support.api import generate, register_local, status_of, wait_for_runs
from tests.support.fake_github import FakeGitHub, connect_github
from tests.support.gitrepo import commit, git
from tests.support.on_github import run_held_at

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github
GITHUB_CHECK_ROUTES = ("repo", "commit", "compare")


async def check(client: Client, auth: dict[str, str], repo_id: str) -> Any:
    response = await client.post(f"/api/repositories/{repo_id}/docs/check", headers=auth)
    assert response.status == 200, await response.text()
    return await response.json()


def three_commits(repo: Path) -> str:
    """Three new commits on the default branch; the last one's SHA."""
    return [commit(repo, {f"notes/{n}.md": f"note {n}\n"}, f"note {n}") for n in range(3)][-1]


def three_commits_on_github(fake_github: FakeGitHub, repo: Path) -> str:
    """``three_commits``, pushed: GitHub's default branch moves to the last one, its SHA."""
    head = three_commits(repo)
    fake_github.move_head("alice-gh/sample")
    return head


def counts(fake_github: FakeGitHub) -> dict[str, int]:
    return {route: fake_github.count(route) for route in GITHUB_CHECK_ROUTES}


async def test_the_status_shows_how_many_commits_a_github_repository_moved_past_its_docs(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
) -> None:
    done = await generate(app, client, auth, on_github)
    documented = done["commit_sha"]
    assert (done["head_sha"], done["commits_behind"]) == (documented, 0)

    head = three_commits_on_github(fake_github, sample_repo)
    before = counts(fake_github)
    # Polling the status never asks GitHub.
    for _ in range(3):
        polled = await status_of(client, auth, on_github)
        assert (polled["head_sha"], polled["commits_behind"]) == (documented, 0)
    assert counts(fake_github) == before

    checked = await check(client, auth, on_github)
    assert (checked["commit_sha"], checked["head_sha"], checked["commits_behind"]) == (
        documented,
        head,
        3,
    )
    assert fake_github.count("compare") == before["compare"] + 1
    compare = [r for r in fake_github.requests if r.route == "compare"][-1]
    assert f"/compare/{documented}...{head}" in compare.url
    assert (await status_of(client, auth, on_github))["commits_behind"] == 3

    # Regenerating brings the docs to the head.
    regenerated = await generate(app, client, auth, on_github)
    assert (regenerated["commit_sha"], regenerated["commits_behind"]) == (head, 0)


async def test_reading_a_repository_checks_its_head_in_the_background_at_most_once_per_interval(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
) -> None:
    await generate(app, client, auth, on_github)
    head = three_commits_on_github(fake_github, sample_repo)
    before = counts(fake_github)

    # The run has just learned the head: reading within the interval asks nothing.
    await client.get(f"/api/repositories/{on_github}", headers=auth)
    await client.get(f"/api/repositories/{on_github}/docs", headers=auth)
    await app[FRESHNESS].join()
    assert counts(fake_github) == before

    # Once the interval has passed (here: the last check was long ago), a read checks.
    await app[FRESHNESS].deps.pool.execute(
        "UPDATE generated_docs SET head_checked_at = now() - interval '1 hour'"
    )
    shown = await (await client.get(f"/api/repositories/{on_github}", headers=auth)).json()
    await app[FRESHNESS].join()
    assert shown["docs"]["commits_behind"] == 0  # the answer does not wait for GitHub
    status = await status_of(client, auth, on_github)
    assert (status["head_sha"], status["commits_behind"]) == (head, 3)
    assert fake_github.count("compare") == before["compare"] + 1

    # ... and only once: the next reads fall within the interval again.
    for _ in range(3):
        await client.get(f"/api/repositories/{on_github}/docs", headers=auth)
    await app[FRESHNESS].join()
    assert fake_github.count("compare") == before["compare"] + 1


async def test_a_push_shows_the_new_head_at_once_and_the_count_after_a_check(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
) -> None:
    await generate(app, client, auth, on_github)
    head = three_commits_on_github(fake_github, sample_repo)
    # The run the push starts fails (the token is gone), so the docs stay behind.
    await client.delete("/api/github/connection", headers=auth)
    pushed = await fake_github.deliver(client, "push", fake_github.push_payload("alice-gh/sample"))
    assert pushed.status == 202
    await wait_for_runs(app)
    status = await status_of(client, auth, on_github)
    assert status["status"] == "failed"
    assert (status["head_sha"], status["commits_behind"]) == (head, None)

    answer = await client.post(f"/api/repositories/{on_github}/docs/check", headers=auth)
    assert answer.status == 409
    assert await answer.json() == {
        "error": "GitHub token missing. Please reconnect your GitHub account"
    }
    account = fake_github.add_user("alice-gh")
    await connect_github(client, auth, account.token)
    checked = await check(client, auth, on_github)
    assert (checked["head_sha"], checked["commits_behind"]) == (head, 3)


async def test_a_github_history_rewrite_shows_the_head_without_a_count(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
) -> None:
    await generate(app, client, auth, on_github)
    fake_github.fail("compare", 404, "Not Found")  # the documented commit is gone
    head = three_commits_on_github(fake_github, sample_repo)
    checked = await check(client, auth, on_github)
    assert (checked["head_sha"], checked["commits_behind"]) == (head, None)


async def test_the_status_shows_how_many_commits_a_local_repository_moved_past_its_docs(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = (await register_local(client, auth, sample_repo))["id"]
    done = await generate(app, client, auth, repo)
    documented = done["commit_sha"]
    assert (done["head_sha"], done["commits_behind"]) == (documented, 0)

    head = three_commits(sample_repo)
    assert (await status_of(client, auth, repo))["commits_behind"] == 0  # polls run no git
    checked = await check(client, auth, repo)
    assert (checked["commit_sha"], checked["head_sha"], checked["commits_behind"]) == (
        documented,
        head,
        3,
    )

    # History rewritten: the documented commit is gone from the branch.
    git(sample_repo, "checkout", "-q", "--orphan", "rewritten")
    rewritten = commit(sample_repo, {"README.md": "# Rewritten\n"}, "rewrite")
    git(sample_repo, "branch", "-D", "main")
    git(sample_repo, "reflog", "expire", "--expire=now", "--all")
    git(sample_repo, "gc", "-q", "--prune=now")
    checked = await check(client, auth, repo)
    assert (checked["head_sha"], checked["commits_behind"]) == (rewritten, None)


async def test_checking_before_any_docs_or_during_a_run_changes_nothing(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    idle = await check(client, auth, on_github)
    assert (idle["status"], idle["head_sha"], idle["commits_behind"]) == ("idle", None, None)
    gate = await run_held_at("codeload", fake_github, client, auth, on_github)
    before = counts(fake_github)
    during = await check(client, auth, on_github)
    assert during["status"] == "generating"
    assert counts(fake_github) == before
    gate.release()
    await wait_for_runs(app)


async def test_checking_someone_elses_repository_is_404(
    client: Client, auth: dict[str, str], on_github: str
) -> None:
    pool = client.app[POOL]
    bob = await accounts.create_user(pool, "bob")
    bob_auth = {"Authorization": f"Bearer {await accounts.issue_token(pool, bob)}"}
    response = await client.post(f"/api/repositories/{on_github}/docs/check", headers=bob_auth)
    assert response.status == 404
    assert await response.json() == {"error": "Repository not found"}


def test_the_check_interval_and_webhook_secret_are_settings() -> None:
    loaded = load_settings(
        {"DOCSGEN_FRESHNESS_CHECK_SECONDS": "60", "GITHUB_WEBHOOK_SECRET": "s3cret"}
    )
    assert (loaded.freshness_check_seconds, loaded.github_webhook_secret) == (60.0, "s3cret")
    assert load_settings({}).freshness_check_seconds == 300.0
    with pytest.raises(SettingsError, match="DOCSGEN_FRESHNESS_CHECK_SECONDS"):
        load_settings({"DOCSGEN_FRESHNESS_CHECK_SECONDS": "often"})
