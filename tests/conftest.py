"""Shared fixtures: a real PostgreSQL database per test, the app, a user, repositories."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.api.keys import POOL
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support import database
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.secrets_guard import SecretsGuard

if TYPE_CHECKING:  # imported by pytest as a plugin (below), so its asserts are rewritten
    from tests.support.fake_github import FakeGitHub

TEST_SECRET_KEY = "test-secret-key-0123456789abcdef"

# Shared fakes of external parties, as fixtures for every test module.
pytest_plugins = [
    "tests.support.fake_github",
    "tests.support.fake_llm",
    "tests.support.on_github",
    "tests.support.processes",
    # Groups of tests that need chromium, nginx or the vendored diagram library.
    "tests.support.groups",
]

ON_FAKE_GITHUB = "on_fake_github"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{ON_FAKE_GITHUB}(**overrides): the test's settings point at the fake GitHub "
        "(started for the test), with these settings changed",
    )


@pytest.fixture(scope="session")
def admin_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with database.admin_server(tmp_path_factory.mktemp("embedded-postgres")) as url:
        yield url


@pytest.fixture(scope="session")
def template_database(admin_database_url: str) -> Iterator[str]:
    name = asyncio.run(database.create_template(admin_database_url))
    yield name
    asyncio.run(database.drop(admin_database_url, name))


@pytest.fixture
async def database_url(admin_database_url: str, template_database: str) -> AsyncIterator[str]:
    name = await database.create_from_template(admin_database_url, template_database)
    yield database.with_database(admin_database_url, name)
    await database.drop(admin_database_url, name)


@pytest.fixture
def repos_root(tmp_path: Path) -> Path:
    root = tmp_path / "repos"
    root.mkdir()
    return root.resolve()


@pytest.fixture
def settings(
    request: pytest.FixtureRequest,
    database_url: str,
    repos_root: Path,
    tmp_path: Path,
    github_overrides: dict[str, Any],
) -> Settings:
    """The service's settings for a test.

    A module or test marked ``on_fake_github`` (``pytestmark =
    pytest.mark.on_fake_github(...)``) gets them pointed at the ``fake_github``
    fixture's server, with the marker's overrides and then ``github_overrides``
    (parametrize it to change a setting for one test).
    """
    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET_KEY,
        local_roots=(repos_root,),
        analysis_workers=1,
        pool_min_size=1,
        pool_max_size=10,
        shutdown_grace_seconds=5.0,
    )
    marker = request.node.get_closest_marker(ON_FAKE_GITHUB)
    if marker is None:
        assert not github_overrides, f"github_overrides needs the {ON_FAKE_GITHUB} marker"
        return settings
    fake: FakeGitHub = request.getfixturevalue("fake_github")
    return fake.settings_for(settings, **{**marker.kwargs, **github_overrides})


@pytest.fixture
def app(settings: Settings, secrets_guard: SecretsGuard) -> web.Application:
    app = create_app(settings)
    secrets_guard.attach(app)
    return app


@pytest.fixture(autouse=True)
def secrets_guard(caplog: pytest.LogCaptureFixture) -> Iterator[SecretsGuard]:
    """Fail any test whose logs or HTTP answers contain a token or a secret.

    Tokens are found by their shape; the secret key, and the fake GitHub's
    tokens and secrets when a test uses it, literally.
    """
    caplog.set_level(logging.DEBUG)
    guard = SecretsGuard(caplog, [TEST_SECRET_KEY])
    yield guard
    leaks = guard.leaks()
    if leaks:
        pytest.fail("secrets leaked into logs or HTTP answers:\n" + "\n".join(leaks))


AiohttpClient = Callable[..., Awaitable[TestClient[Any, Any]]]


@pytest.fixture
async def client(app: web.Application, aiohttp_client: AiohttpClient) -> TestClient[Any, Any]:
    return await aiohttp_client(app)


@pytest.fixture
async def user(app: web.Application, client: TestClient[Any, Any]) -> tuple[accounts.User, str]:
    """A user and one of their API tokens."""
    pool = app[POOL]
    created = await accounts.create_user(pool, "alice")
    return created, await accounts.issue_token(pool, created)


@pytest.fixture
def auth(user: tuple[accounts.User, str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {user[1]}"}


@pytest.fixture
def sample_repo(repos_root: Path) -> Path:
    path = repos_root / "sample"
    make_repo(path, SAMPLE_FILES)
    return path
