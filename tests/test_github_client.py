"""The GitHub client against the fake: base URLs, rate limits, retries, downloads."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from docsgen.errors import GitHubApiFailed, GitHubRateLimited
from docsgen.github.client import GitHubClient, RawReader
from docsgen.settings import Settings
from docsgen.sources.base import SourceLimits
from docsgen.sources.github_tarball import TarballLimits, read_tarball
from tests.support.fake_github import FakeGitHub, FakeUser

# The client's own log lines must not carry a token either.

LIMITS = TarballLimits(SourceLimits(512 << 20, 1 << 20, 50_000), 1 << 30)
pytestmark = pytest.mark.on_fake_github


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
def github(
    session: aiohttp.ClientSession,
    settings: Settings,
    alice_github: FakeUser,
    sample_on_github: str,
) -> GitHubClient:
    """A client of the fake GitHub with alice's token; her sample repository is there."""
    return GitHubClient(session, settings, token=alice_github.token)


@pytest.fixture
def head(fake_github: FakeGitHub, sample_on_github: str) -> str:
    """The sample repository's head commit on GitHub."""
    sha = fake_github.repos[sample_on_github].commit_sha
    assert sha is not None
    return sha


def read_all(raw: RawReader) -> Any:
    return read_tarball(raw, LIMITS, {})


async def test_a_github_enterprise_base_url_keeps_its_path(
    session: aiohttp.ClientSession, settings: Settings, sample_repo: Path
) -> None:
    enterprise = FakeGitHub(api_prefix="/api/v3")
    await enterprise.start()
    try:
        assert enterprise.url.endswith("/api/v3")
        user = enterprise.add_user("alice-gh")
        enterprise.add_repo("alice-gh", "sample", sample_repo)
        client = GitHubClient(session, enterprise.settings_for(settings), token=user.token)
        assert (await client.user()).login == "alice-gh"
        repo = await client.repository("alice-gh", "sample")
        commit = await client.commit("alice-gh", "sample", repo["default_branch"])
        tree = await client.tree("alice-gh", "sample", commit["sha"])
        contents = await client.tarball("alice-gh", "sample", commit["sha"], read_all)
        assert {f.path for f in contents.files} == {
            e["path"] for e in tree["tree"] if e["type"] == "blob"
        }
        api_paths = [r.url for r in enterprise.requests if r.route != "codeload"]
        assert api_paths and all(p.startswith("/api/v3/") for p in api_paths)
    finally:
        await enterprise.close()


@pytest.mark.parametrize("github_overrides", [{"github_secondary_wait_seconds": 0.05}])
async def test_a_secondary_limit_without_retry_after_waits_the_configured_time(
    session: aiohttp.ClientSession,
    settings: Settings,
    fake_github: FakeGitHub,
    alice_github: FakeUser,
    sample_on_github: str,
) -> None:
    events: list[Any] = []

    async def waiting(until: datetime) -> None:
        events.append(("wait", until))

    async def resumed() -> None:
        events.append(("resume", None))

    client = GitHubClient(
        session, settings, token=alice_github.token, on_wait=waiting, on_resume=resumed
    )
    fake_github.fail(
        "repo", 403, "You have exceeded a secondary rate limit. Please wait a few minutes."
    )
    before = datetime.now(UTC)
    repo = await client.repository("alice-gh", "sample")
    assert repo["full_name"] == "alice-gh/sample"
    assert fake_github.count("repo") == 2
    assert [kind for kind, _ in events] == ["wait", "resume"]
    assert 0 <= (events[0][1] - before).total_seconds() < 1


async def test_a_429_with_no_quota_left_is_the_primary_limit(
    fake_github: FakeGitHub, github: GitHubClient
) -> None:
    reset = int(time.time()) + 900
    fake_github.fail(
        "repo",
        429,
        "API rate limit exceeded",
        headers={
            "x-ratelimit-limit": "5000",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": str(reset),
        },
    )
    with pytest.raises(GitHubRateLimited) as caught:
        await github.repository("alice-gh", "sample")
    clock = datetime.fromtimestamp(reset, UTC).strftime("%H:%M:%S")
    assert caught.value.message == f"GitHub API rate limit exceeded; it resets at {clock} UTC"
    assert fake_github.count("repo") == 1


async def test_a_403_that_is_no_rate_limit_fails_at_once_with_githubs_message(
    fake_github: FakeGitHub, github: GitHubClient
) -> None:
    fake_github.fail("repo", 403, "Resource not accessible by personal access token")
    with pytest.raises(GitHubApiFailed) as caught:
        await github.repository("alice-gh", "sample")
    assert caught.value.message == (
        "GitHub API request failed: 403 Forbidden: Resource not accessible by personal access token"
    )
    assert fake_github.count("repo") == 1


async def test_a_failed_download_is_retried_from_the_start(
    fake_github: FakeGitHub, github: GitHubClient, head: str
) -> None:
    fake_github.fail("codeload", 503)
    contents = await github.tarball("alice-gh", "sample", head, read_all)
    assert any(f.path == "README.md" for f in contents.files)
    assert fake_github.count("tarball") == 2
    assert fake_github.count("codeload") == 2


@pytest.mark.parametrize("github_overrides", [{"github_timeout_seconds": 0.3, "github_retries": 1}])
async def test_a_stalled_download_times_out_and_fails_after_the_retries(
    fake_github: FakeGitHub, github: GitHubClient, head: str
) -> None:
    fake_github.stall_download(100, 30, times=None)
    with pytest.raises(GitHubApiFailed) as caught:
        await github.tarball("alice-gh", "sample", head, read_all)
    assert caught.value.message == (
        "GitHub API request failed: no answer within 0.3 s (after 2 attempts)"
    )
    assert fake_github.count("codeload") == 2


async def test_cancelling_a_download_mid_stream_ends_its_worker_thread(
    fake_github: FakeGitHub, github: GitHubClient, head: str
) -> None:
    fake_github.stall_download(100, 30)
    started, ended = threading.Event(), threading.Event()

    def consume(raw: RawReader) -> None:
        try:
            assert raw.read(10)
            started.set()
            while raw.read(4096):
                pass
        finally:
            ended.set()

    download = asyncio.create_task(github.tarball("alice-gh", "sample", head, consume))
    loop = asyncio.get_running_loop()
    assert await loop.run_in_executor(None, started.wait, 10)
    download.cancel()
    with pytest.raises(asyncio.CancelledError):
        await download
    assert ended.is_set()  # the worker ended before the task did
