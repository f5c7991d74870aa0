"""A run on the commit the docs describe, by the same generator, completes at once.

GitHub: after resolving the head (40 %), before the tree and the tarball (the
fake counts both); local: after ``git rev-parse``.  ``force`` regenerates.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL, RUN_DEPS
from docsgen.generator import GENERATOR_VERSION
from tests.support.api import Steps, db_row, docs_of, register_local, run_to_end
from tests.support.fake_github import FakeGitHub
from tests.support.gitrepo import commit

Client = TestClient[Any, Any]
pytestmark = pytest.mark.on_fake_github
UP_TO_DATE = "Documentation is already up to date"


async def generate(
    app: web.Application, client: Client, auth: dict[str, str], repo_id: str, **extra: Any
) -> Any:
    """Start a run, await it, and return the docs as the API shows them."""
    await run_to_end(app, client, auth, repo_id, **extra)
    return await docs_of(client, auth, repo_id)


async def test_a_repeated_github_run_on_an_unchanged_head_completes_without_downloading(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    first = await generate(app, client, auth, on_github)
    assert (first["status"], first["current_step"]) == ("completed", "Completed")
    stored = await db_row(app, on_github)
    assert stored is not None and stored["generator_version"] == GENERATOR_VERSION
    counts = {route: fake_github.count(route) for route in ("commit", "tree", "codeload")}
    assert counts == {"commit": 1, "tree": 1, "codeload": 1}

    steps = Steps()
    app[RUN_DEPS].on_progress.append(steps)
    again = await generate(app, client, auth, on_github)
    assert (again["status"], again["progress"], again["current_step"]) == (
        "completed",
        100,
        UP_TO_DATE,
    )
    assert again["error_message"] is None
    # The head was resolved (40 %), and nothing more was fetched.
    assert steps.seen == [
        (20, "Fetching repository metadata"),
        (30, "Fetching GitHub authentication"),
        (40, "Fetching repository file tree"),
    ]
    assert fake_github.count("commit") == 2
    assert (fake_github.count("tree"), fake_github.count("tarball")) == (1, 1)
    assert fake_github.count("codeload") == 1
    # The stored docs are served as they were, dated when they were produced.
    for key in ("content", "pages", "commit_sha", "completed_at"):
        assert again[key] == first[key], key
    assert (again["head_sha"], again["commits_behind"]) == (first["commit_sha"], 0)


async def test_force_regenerates_an_up_to_date_repository(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    first = await generate(app, client, auth, on_github)
    forced = await generate(app, client, auth, on_github, force=True)
    assert (forced["status"], forced["current_step"]) == ("completed", "Completed")
    assert fake_github.count("codeload") == 2
    assert forced["completed_at"] > first["completed_at"]
    assert forced["content"] == first["content"]


async def test_a_moved_head_or_another_generator_version_regenerates(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    sample_repo: Path,
    on_github: str,
) -> None:
    await generate(app, client, auth, on_github)
    new_head = commit(sample_repo, {"CHANGES.md": "# Changes\n"})
    fake_github.move_head("alice-gh/sample")
    moved = await generate(app, client, auth, on_github)
    assert (moved["current_step"], moved["commit_sha"]) == ("Completed", new_head)
    assert fake_github.count("codeload") == 2

    # Docs written by another generator version are not reused.
    await app[POOL].execute(
        "UPDATE generated_docs SET generator_version = '0.0.1+analysis.0' "
        "WHERE repository_id = $1::uuid",
        on_github,
    )
    older = await generate(app, client, auth, on_github)
    assert older["current_step"] == "Completed"
    assert fake_github.count("codeload") == 3
    row = await db_row(app, on_github)
    assert row is not None and row["generator_version"] == GENERATOR_VERSION


async def test_a_repeated_local_run_on_an_unchanged_head_stops_after_rev_parse(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    first = await generate(app, client, auth, repo["id"])
    assert first["current_step"] == "Completed"

    steps = Steps()
    app[RUN_DEPS].on_progress.append(steps)
    again = await generate(app, client, auth, repo["id"])
    assert (again["status"], again["progress"], again["current_step"]) == (
        "completed",
        100,
        UP_TO_DATE,
    )
    assert steps.seen == [(20, "Fetching repository metadata")]
    assert again["content"] == first["content"]

    steps.seen.clear()
    forced = await generate(app, client, auth, repo["id"], force=True)
    assert forced["current_step"] == "Completed"
    assert (90, "Saving documentation") in steps.seen

    new_head = commit(sample_repo, {"sample/extra.py": "X = 1\n"})
    moved = await generate(app, client, auth, repo["id"])
    assert (moved["current_step"], moved["commit_sha"]) == ("Completed", new_head)


async def test_a_failed_regeneration_is_not_up_to_date_until_one_succeeds(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    fake_github: FakeGitHub,
    on_github: str,
) -> None:
    await generate(app, client, auth, on_github)
    fake_github.fail("commit", 502, times=None)
    failed = await generate(app, client, auth, on_github)
    assert failed["status"] == "failed"
    fake_github.clear_faults()
    # The docs of the last success still describe the head: up to date again.
    again = await generate(app, client, auth, on_github)
    assert (again["status"], again["current_step"]) == ("completed", UP_TO_DATE)
    assert again["error_message"] is None


@pytest.mark.parametrize("force", ["yes", 1, None])
async def test_force_must_be_a_boolean(
    client: Client, auth: dict[str, str], on_github: str, force: Any
) -> None:
    response = await client.post(
        "/api/generate-docs", json={"repository_id": on_github, "force": force}, headers=auth
    )
    assert response.status == 400
    assert await response.json() == {"error": "force must be true or false"}
