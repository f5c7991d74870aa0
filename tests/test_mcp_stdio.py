"""``docsgen mcp`` over stdio: a real subprocess against the test database, driven by
the SDK's own client, acting for the user named by ``--user`` or by the API token in
``DOCSGEN_API_TOKEN``."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.db import accounts, jobs
from docsgen.db.accounts import User
from tests.conftest import TEST_SECRET_KEY
from tests.support.api import register_local
from tests.support.gitrepo import git, make_repo
from tests.support.mcp import answer, documented, over_stdio, refusal
from tests.support.processes import docsgen, docsgen_env

__all__ = ["documented"]  # the fixture, imported for its tests

Client = TestClient[Any, Any]


@pytest.fixture
def env(database_url: str, repos_root: Path, tmp_path: Path) -> dict[str, str]:
    """What ``docsgen mcp`` runs with: the test's database and settings."""
    return docsgen_env(
        {
            "DATABASE_URL": database_url,
            "DOCSGEN_LOCAL_ROOTS": str(repos_root),
            "DOCSGEN_SECRET_KEY": TEST_SECRET_KEY,
            "DOCSGEN_DATA_DIR": str(tmp_path / "mcp-data"),
            "DOCSGEN_ANALYSIS_WORKERS": "1",
            "DOCSGEN_SHUTDOWN_GRACE_SECONDS": "60",
        }
    )


def mcp_args(*extra: str) -> tuple[str, list[str]]:
    return sys.executable, ["-m", "docsgen", "mcp", *extra]


async def test_every_tool_answers_over_stdio(
    env: dict[str, str], user: tuple[User, str], documented: dict[str, Any], sample_repo: Path
) -> None:
    head = git(sample_repo, "rev-parse", "HEAD")
    command, args = mcp_args("--user", "alice")
    async with over_stdio(command, args, env) as mcp:
        assert mcp.server_info is not None and mcp.server_info.name == "docsgen"
        listed = await answer(mcp, "list_repositories")
        status = await answer(mcp, "get_status", repository=documented["id"])
        contents = await answer(mcp, "read_page", repository="sample")
        overview = await answer(mcp, "read_page", repository="sample", slug="overview")
        found = await answer(mcp, "search_docs", repository="sample", query="greet")
        symbol = await answer(mcp, "get_symbol", repository="sample", qualified_name="sample.greet")
        missing = await refusal(mcp, "get_status", repository="nothing")
    assert f"| `sample` | `{documented['id']}` | local checkout |" in listed
    assert "- status: **completed**, 100 %" in status and head in status
    assert "- `overview`: `Overview`" in contents
    assert overview.startswith("# Overview\n")
    assert "**symbol** `sample.greet`" in found
    assert symbol.startswith("# `sample.greet` (function)\n")
    # Its citation names the line of the checkout that declares it.
    assert f"- declared at `sample/greet.py:4` (the file `{sample_repo}/sample/greet.py`)" in symbol
    assert (sample_repo / "sample/greet.py").read_text().splitlines()[3].startswith("def greet(")
    assert "Repository not found: 'nothing'" in missing


async def test_generate_docs_runs_in_the_process_and_ends_before_it_exits(
    app: web.Application,
    env: dict[str, str],
    user: tuple[User, str],
    client: Client,
    auth: dict[str, str],
    repos_root: Path,
) -> None:
    path = repos_root / "fresh"
    head = make_repo(path, {"fresh/__init__.py": '"""Fresh."""\n'})
    repository = await register_local(client, auth, path)
    repository_id = uuid.UUID(repository["id"])
    make_repo(repos_root / "held", {"held.py": "x = 1\n"})
    held = await register_local(client, auth, repos_root / "held")
    # A live run of "held", claimed by another process.
    assert await jobs.claim_run(app[POOL], uuid.UUID(held["id"]), 60) is not None
    command, args = mcp_args("--user", "alice")
    async with over_stdio(command, args, env) as mcp:
        started = await answer(mcp, "generate_docs", repository="fresh")
        refused = await refusal(mcp, "generate_docs", repository="held")
    assert "status **generating**" in started
    assert "Documentation generation is already in progress" in refused
    assert f"repository `{held['id']}`, status generating" in refused
    # The client closed stdin: the process finished its run before exiting.
    status = await jobs.read_status(app[POOL], repository_id, 60)
    assert (status.status, status.commit_sha) == ("completed", head)


async def test_the_api_token_names_the_user_and_others_repositories_stay_invisible(
    app: web.Application, env: dict[str, str], documented: dict[str, Any]
) -> None:
    bob = await accounts.create_user(app[POOL], "bob")
    token = await accounts.issue_token(app[POOL], bob)
    command, args = mcp_args()
    async with over_stdio(command, args, {**env, "DOCSGEN_API_TOKEN": token}) as mcp:
        listed = await answer(mcp, "list_repositories")
        theirs = await refusal(mcp, "read_page", repository=documented["id"])
        nobodys = await refusal(mcp, "read_page", repository="00000000-0000-4000-8000-000000000000")
        by_name = await refusal(mcp, "get_symbol", repository="sample", qualified_name="sample")
    assert "You have no repositories yet" in listed
    assert theirs.replace(documented["id"], "<id>") == nobodys.replace(
        "00000000-0000-4000-8000-000000000000", "<id>"
    )
    assert "Repository not found: 'sample'" in by_name


async def test_docsgen_mcp_needs_a_user(
    app: web.Application, env: dict[str, str], user: tuple[User, str]
) -> None:
    nobody = docsgen("mcp", env=env)
    assert nobody.returncode == 2
    assert "docsgen mcp needs --user LOGIN or an API token in DOCSGEN_API_TOKEN" in nobody.stderr
    unknown = docsgen("mcp", "--user", "mallory", env=env)
    assert unknown.returncode == 1
    assert "No user named 'mallory'" in unknown.stderr
    wrong = docsgen("mcp", env={**env, "DOCSGEN_API_TOKEN": "dg_wrong"})
    assert wrong.returncode == 1
    assert "Invalid API token in DOCSGEN_API_TOKEN" in wrong.stderr
    assert nobody.stdout == unknown.stdout == wrong.stdout == ""  # stdout is the protocol's
