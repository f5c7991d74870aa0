"""Shared fixtures: a real PostgreSQL database per test, the app, a user, repositories."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.app import create_app
from docsgen.api.keys import POOL
from docsgen.db import accounts
from docsgen.settings import Settings
from tests.support import database
from tests.support.gitrepo import SAMPLE_FILES, make_repo
from tests.support.secrets_guard import find_secrets

TEST_SECRET_KEY = "test-secret-key-0123456789abcdef"

# Shared fakes of external parties, as fixtures for every test module.
pytest_plugins = ["tests.support.fake_github", "tests.support.leaks"]


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
def settings(database_url: str, repos_root: Path, tmp_path: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        secret_key=TEST_SECRET_KEY,
        local_roots=(repos_root,),
        analysis_workers=1,
        pool_min_size=1,
        pool_max_size=10,
        shutdown_grace_seconds=5.0,
    )


@pytest.fixture
def app(settings: Settings, http_answers: list[str]) -> web.Application:
    app = create_app(settings)
    app.middlewares.insert(0, record_answers(http_answers))
    return app


def record_answers(into: list[str]) -> Any:
    """Keep every answer's headers (but Set-Cookie) and body for the secrets guard."""

    @web.middleware
    async def recorder(request: web.Request, handler: Any) -> web.StreamResponse:
        response: web.StreamResponse = await handler(request)
        headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items() if k != "Set-Cookie")
        body = response.body if isinstance(response, web.Response) else None
        text = body.decode(errors="replace") if isinstance(body, bytes) else ""
        into.append(f"{response.status}\n{headers}\n{text}")
        return response

    return recorder


@pytest.fixture
def http_answers() -> list[str]:
    return []


@pytest.fixture(autouse=True)
def secrets_guard(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture, http_answers: list[str]
) -> Iterator[None]:
    """Fail any test whose logs or HTTP answers contain a token or the secret key."""
    caplog.set_level(logging.DEBUG)
    yield
    literals = [TEST_SECRET_KEY]
    # caplog.text would only hold the teardown phase here: read each phase's records.
    logged = "\n".join(
        caplog.handler.format(r) for when in ("setup", "call") for r in caplog.get_records(when)
    )
    leaks = find_secrets(logged, literals)
    leaks += [s for answer in http_answers for s in find_secrets(answer, literals)]
    if leaks:
        pytest.fail(f"secrets leaked into logs or HTTP answers: {sorted(set(leaks))}")


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
