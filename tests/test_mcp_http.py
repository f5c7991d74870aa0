"""The MCP tools over Streamable HTTP at ``/mcp``, driven by the SDK's own client against
the app served on 127.0.0.1: every tool on a generated repository, the caller's
repositories only, tool errors for bad arguments, the 409 rule, Bearer tokens only."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.auth import SESSION_COOKIE
from docsgen.api.keys import POOL
from docsgen.db import accounts, jobs, sessions
from docsgen.db.accounts import User
from docsgen.generator.markdown import Citation
from tests.support.api import register_local, wait_for_runs
from tests.support.citations import citation_problems, markdown_citations
from tests.support.gitrepo import git, make_repo
from tests.support.mcp import answer, documented, over_http, refusal

__all__ = ["documented"]  # the fixture, imported for its tests

Client = TestClient[Any, Any]

INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "test", "version": "1"},
    },
}
MCP_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture
def mcp_url(client: Client) -> str:
    return str(client.make_url("/mcp"))


@pytest.fixture
async def bobs(app: web.Application, client: Client, repos_root: Path) -> dict[str, Any]:
    """Another user's repository (``private``), and that user's token under ``token``."""
    bob = await accounts.create_user(app[POOL], "bob")
    token = await accounts.issue_token(app[POOL], bob)
    path = repos_root / "private"
    make_repo(path, {"secret/__init__.py": '"""Bob\'s own."""\n'})
    repository = await register_local(client, {"Authorization": f"Bearer {token}"}, path)
    return {**repository, "token": token}


async def test_the_tools_are_listed_with_their_arguments(mcp_url: str, user: Any) -> None:
    async with over_http(mcp_url, user[1]) as mcp:
        tools = {tool.name: tool for tool in (await mcp.list_tools()).tools}
    assert set(tools) == {
        "list_repositories", "search_docs", "read_page", "get_symbol", "get_status",
        "generate_docs",
    }  # fmt: skip
    assert tools["search_docs"].input_schema["required"] == ["repository", "query"]
    assert tools["get_symbol"].input_schema["required"] == ["repository", "qualified_name"]
    assert tools["read_page"].annotations is not None
    assert tools["read_page"].annotations.read_only_hint is True
    assert tools["generate_docs"].annotations is not None
    assert tools["generate_docs"].annotations.read_only_hint is False


async def test_list_repositories_names_the_callers_own_only(
    mcp_url: str, user: Any, documented: dict[str, Any], bobs: dict[str, Any], sample_repo: Path
) -> None:
    async with over_http(mcp_url, user[1]) as mcp:
        text = await answer(mcp, "list_repositories")
    assert "# Your repositories (1)" in text
    assert f"| `sample` | `{documented['id']}` | local checkout |" in text
    assert f"readable: of commit `{git(sample_repo, 'rev-parse', 'HEAD')[:12]}`" in text
    assert bobs["id"] not in text and "private" not in text
    async with over_http(mcp_url, bobs["token"]) as mcp:
        text = await answer(mcp, "list_repositories")
    assert f"| `private` | `{bobs['id']}` | local checkout | not generated yet |" in text
    assert documented["id"] not in text


async def test_get_status_by_name_and_by_id(
    mcp_url: str, user: Any, documented: dict[str, Any], sample_repo: Path
) -> None:
    head = git(sample_repo, "rev-parse", "HEAD")
    async with over_http(mcp_url, user[1]) as mcp:
        by_name = await answer(mcp, "get_status", repository="sample")
        by_id = await answer(mcp, "get_status", repository=documented["id"])
    assert by_name == by_id
    assert "- status: **completed**, 100 %" in by_name
    assert "- current step: `Completed`" in by_name
    assert f"- the readable documentation describes commit `{head}`" in by_name
    assert 'read_page(repository="sample")' in by_name


async def test_another_users_repository_answers_exactly_as_a_missing_one(
    app: web.Application, mcp_url: str, user: Any, documented: dict[str, Any], bobs: dict[str, Any]
) -> None:
    missing_id = str(uuid.uuid4())
    calls: list[tuple[str, dict[str, Any]]] = [
        ("get_status", {}),
        ("generate_docs", {}),
        ("read_page", {}),
        ("read_page", {"slug": "overview"}),
        ("search_docs", {"query": "secret"}),
        ("get_symbol", {"qualified_name": "secret"}),
    ]
    async with over_http(mcp_url, user[1]) as mcp:
        for tool, arguments in calls:
            for theirs, nobodys in ((bobs["id"], missing_id), ("private", "no-such-name")):
                seen = await refusal(mcp, tool, repository=theirs, **arguments)
                missing = await refusal(mcp, tool, repository=nobodys, **arguments)
                assert seen.replace(theirs, "<repository>") == missing.replace(
                    nobodys, "<repository>"
                ), (tool, seen, missing)
                assert "Repository not found" in seen
    # Nothing was started on Bob's repository.
    row = await app[POOL].fetchrow(
        "SELECT status FROM generated_docs WHERE repository_id = $1", uuid.UUID(bobs["id"])
    )
    assert row is None


async def test_bad_arguments_are_tool_errors_with_a_clear_message(
    mcp_url: str, user: Any, documented: dict[str, Any]
) -> None:
    async with over_http(mcp_url, user[1]) as mcp:
        assert "repository must not be empty" in await refusal(mcp, "get_status", repository=" ")
        assert "query must not be empty" in await refusal(
            mcp, "search_docs", repository="sample", query="  "
        )
        assert "Page not found: 'no-such-page'" in await refusal(
            mcp, "read_page", repository="sample", slug="no-such-page"
        )
        assert "Symbol not found: 'sample.nothing'" in await refusal(
            mcp, "get_symbol", repository="sample", qualified_name="sample.nothing"
        )
        assert "page 9 does not exist: this answer has 1 part" in await refusal(
            mcp, "read_page", repository="sample", slug="overview", page=9
        )
        below = await refusal(mcp, "read_page", repository="sample", slug="overview", page=0)
        assert "page" in below and "greater than or equal to 1" in below
        missing = await refusal(mcp, "get_status")
        assert "repository" in missing and "required" in missing.lower()


async def test_generate_docs_starts_a_run_and_follows_the_409_rule(
    app: web.Application, mcp_url: str, user: Any, client: Client, auth: dict[str, str],
    repos_root: Path,
) -> None:  # fmt: skip
    path = repos_root / "fresh"
    head = make_repo(
        path, {"fresh/__init__.py": '"""Fresh."""\n\n\ndef hello() -> str:\n    return "hi"\n'}
    )
    repository = await register_local(client, auth, path)
    async with over_http(mcp_url, user[1]) as mcp:
        started = await answer(mcp, "generate_docs", repository="fresh")
        assert f"Documentation generation started for `fresh` (`{repository['id']}`)" in started
        assert "status **generating**" in started
        await wait_for_runs(app)
        status = await answer(mcp, "get_status", repository="fresh")
        assert "- status: **completed**, 100 %" in status
        assert f"describes commit `{head}`" in status

        # A live run of the repository, claimed by another process: the 409 rule.
        run_id = await jobs.claim_run(app[POOL], uuid.UUID(repository["id"]), 60)
        assert run_id is not None
        refused = await refusal(mcp, "generate_docs", repository="fresh")
        refused_forced = await refusal(mcp, "generate_docs", repository="fresh", force=True)
    assert "Documentation generation is already in progress" in refused
    assert f"repository `{repository['id']}`, status generating" in refused
    assert refused_forced == refused
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repository["id"]}, headers=auth
    )
    assert response.status == 409
    assert (await response.json())["error"] == "Documentation generation is already in progress"
    row = await app[POOL].fetchrow(
        "SELECT run_id, status FROM generated_docs WHERE repository_id = $1",
        uuid.UUID(repository["id"]),
    )
    assert (row["run_id"], row["status"]) == (run_id, "generating")  # the MCP call changed nothing


async def test_generate_docs_keeps_the_per_user_cap(
    app: web.Application, settings: Any, mcp_url: str, user: tuple[User, str],
    client: Client, auth: dict[str, str], repos_root: Path,
) -> None:  # fmt: skip
    ids = []
    for name in ("one", "two"):
        make_repo(repos_root / name, {f"{name}.py": "x = 1\n"})
        ids.append((await register_local(client, auth, repos_root / name))["id"])
    # The user's cap of live runs, all held (by runs of other processes).
    for _ in range(settings.max_runs_per_user):
        extra = repos_root / f"held{_}"
        make_repo(extra, {"a.py": "a = 1\n"})
        held = await register_local(client, auth, extra)
        assert await jobs.claim_run(app[POOL], uuid.UUID(held["id"]), 60) is not None
    async with over_http(mcp_url, user[1]) as mcp:
        text = await refusal(mcp, "generate_docs", repository="one")
    assert f"(the limit is {settings.max_runs_per_user}); wait for one to finish" in text
    assert "retry after 10 s" in text


async def test_mcp_takes_a_bearer_token_and_nothing_else(
    app: web.Application, client: Client, user: tuple[User, str]
) -> None:
    body = json.dumps(INITIALIZE)
    nobody = await client.post("/mcp", data=body, headers=MCP_HEADERS)
    assert nobody.status == 401
    assert nobody.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Authorization: Bearer" in (await nobody.json())["error"]

    session_id, _ = await sessions.create_session(app[POOL], user[0], 3600)
    cookie = await client.post(
        "/mcp", data=body, headers={**MCP_HEADERS, "Cookie": f"{SESSION_COOKIE}={session_id}"}
    )
    assert cookie.status == 401  # a browser's session is ambient: never enough here

    wrong = await client.post(
        "/mcp", data=body, headers={**MCP_HEADERS, "Authorization": "Bearer dg_not-a-token"}
    )
    assert wrong.status == 401
    assert (await wrong.json())["error"] == "Invalid API token"

    bearer = {**MCP_HEADERS, "Authorization": f"Bearer {user[1]}"}
    accepted = await client.post("/mcp", data=body, headers=bearer)
    assert accepted.status == 200
    assert (await accepted.json())["result"]["serverInfo"]["name"] == "docsgen"

    huge = json.dumps({**INITIALIZE, "padding": "x" * (64 * 1024)})
    too_large = await client.post("/mcp", data=huge, headers=bearer)
    assert too_large.status == 413

    # Stateless: no stream to open, no session to end.
    for method in ("GET", "DELETE"):
        other = await client.request(method, "/mcp", headers=bearer)
        assert other.status == 405, method
        assert other.headers["Allow"] == "POST"


async def test_read_page_gives_the_contents_and_every_page_as_the_api_does(
    mcp_url: str, client: Client, auth: dict[str, str], user: Any, documented: dict[str, Any],
    sample_repo: Path,
) -> None:  # fmt: skip
    api = await (
        await client.get(f"/api/repositories/{documented['id']}/docs", headers=auth)
    ).json()
    slugs = [page["slug"] for page in api["pages"]]
    async with over_http(mcp_url, user[1]) as mcp:
        contents = await answer(mcp, "read_page", repository="sample")
        listed = re.findall(r"^ *- `([^`]+)`: ", contents, re.M)
        assert listed == slugs
        for number, slug in enumerate(slugs):
            text = await answer(mcp, "read_page", repository="sample", slug=slug)
            page = await (
                await client.get(
                    f"/api/repositories/{documented['id']}/docs/pages/{slug}", headers=auth
                )
            ).json()
            assert text.startswith(page["markdown"].rstrip("\n") + "\n"), slug
            if number + 1 < len(slugs):
                assert (
                    f'next page: `read_page(repository="sample", slug="{slugs[number + 1]}")`'
                    in text
                )
            if number:
                assert (
                    f'previous page: `read_page(repository="sample", slug="{slugs[number - 1]}")`'
                    in text
                )
            problems = citation_problems(
                [Citation(path, line) for path, line in markdown_citations(text)],
                lambda path: _read(sample_repo / path),
            )
            assert problems == [], (slug, problems)


async def test_search_docs_answers_the_api_search_best_first(
    mcp_url: str, client: Client, auth: dict[str, str], user: Any, documented: dict[str, Any]
) -> None:
    for query in ("greet", "sample.greet", "greets people"):
        response = await client.get(
            f"/api/repositories/{documented['id']}/docs/search", params={"q": query}, headers=auth
        )
        expected = (await response.json())["results"]
        async with over_http(mcp_url, user[1]) as mcp:
            text = await answer(mcp, "search_docs", repository="sample", query=query)
        titles = re.findall(r"^\d+\. \*\*(\w+)\*\* `([^`]+)`: page `([^`]+)`", text, re.M)
        assert titles == [(r["kind"], r["title"], r["slug"]) for r in expected], query


async def test_get_symbol_cites_its_declaration_and_shows_its_documentation(
    app: web.Application, mcp_url: str, user: Any, documented: dict[str, Any], sample_repo: Path
) -> None:
    symbols = await app[POOL].fetch(
        "SELECT qualname, kind FROM doc_symbols WHERE repository_id = $1::uuid ORDER BY qualname",
        documented["id"],
    )
    assert {s["qualname"] for s in symbols} >= {"sample", "sample.greet", "web/app.start"}
    async with over_http(mcp_url, user[1]) as mcp:
        for symbol in symbols:
            qualname = symbol["qualname"]
            text = await answer(mcp, "get_symbol", repository="sample", qualified_name=qualname)
            assert text.startswith(f"# `{qualname}`"), text
            declared = re.search(
                r"^- declared at `([^`]+):(\d+)` \(the file `([^`]+)`\)$", text, re.M
            )
            if declared is None:
                assert "- declared at: ⚠️ no citation" in text, text
                continue
            path, line = declared.group(1), int(declared.group(2))
            assert declared.group(3) == str(sample_repo / path)
            name = re.split(r"[./]", qualname)[-1] if symbol["kind"] != "module" else None
            assert (
                citation_problems([Citation(path, line, name)], lambda p: _read(sample_repo / p))
                == []
            )
        greet = await answer(mcp, "get_symbol", repository="sample", qualified_name="sample.greet")
    assert (
        "## Signature\n\n```python\ndef greet(name: str, *, loud: bool = False) -> str\n```\n\n"
        "## Documentation\n\n*function* · `sample/greet.py:4`\n\nReturn a greeting for `name`.\n"
    ) in greet
    mentions = greet.split("## Where the documentation mentions it\n\n", 1)[1]
    assert (
        "- **symbol** `sample.greet.greet` on page `api-sample.greet` at `sample.greet.greet`"
        in mentions
    )
    assert "Overview" not in mentions  # "greets" in the README is not the symbol


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
