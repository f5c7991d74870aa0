"""Fixtures for tests against the fake GitHub: alice's account and the sample repository there.

Registered as a pytest plugin in conftest.  Each builds on the one before:
``alice_github`` (a token) → ``connected`` (the token connected to the test's
user) → ``on_github`` (the sample repository, ``sample_on_github``, registered).
Modules that use them mark themselves ``on_fake_github`` so the service talks
to the fake.  ``run_held_at`` holds a run at one of its requests to GitHub.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from tests.support.api import start_run
from tests.support.fake_github import (
    FakeGitHub,
    FakeUser,
    Gate,
    connect_github,
    register_github,
)


@pytest.fixture
def alice_github(fake_github: FakeGitHub) -> FakeUser:
    """The GitHub account ``alice-gh`` with a new token; she approves at GitHub's OAuth page."""
    user = fake_github.add_user("alice-gh")
    fake_github.oauth_login = user.login
    return user


@pytest.fixture
async def connected(
    client: TestClient[Any, Any], auth: dict[str, str], alice_github: FakeUser
) -> FakeUser:
    """``alice_github``, connected to the test's user with her token."""
    await connect_github(client, auth, alice_github.token)
    return alice_github


@pytest.fixture
def sample_on_github(fake_github: FakeGitHub, sample_repo: Path) -> str:
    """The sample repository, private on GitHub as ``alice-gh/sample``: its full name."""
    fake_github.add_repo("alice-gh", "sample", sample_repo, private=True)
    return "alice-gh/sample"


@pytest.fixture
async def on_github(
    client: TestClient[Any, Any], auth: dict[str, str], connected: FakeUser, sample_on_github: str
) -> str:
    """``sample_on_github``, registered by the connected test user: its repository id."""
    return str((await register_github(client, auth, sample_on_github))["id"])


async def run_held_at(
    route: str,
    fake_github: FakeGitHub,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    repo_id: str,
) -> Gate:
    """Start a run and wait until its request to ``route`` is held at the fake GitHub.

    The run goes on when the test releases the gate returned.
    """
    gate = fake_github.hold(route)
    await start_run(client, auth, repo_id)
    await gate.reached.wait()
    return gate
