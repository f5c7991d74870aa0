"""The MCP tools on a real project (Flask, registered as a local checkout and generated
by the service), as an assistant would use them over HTTP: find a symbol, read it,
follow its citation into the code, and read a long page part by part."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.generator.markdown import Citation
from docsgen.mcp.paging import PART_CHARS
from docsgen.settings import Settings
from tests.support import projects
from tests.support.api import register_local, run_to_end
from tests.support.citations import citation_problems, markdown_citations
from tests.support.mcp import answer, over_http, refusal

Client = TestClient[Any, Any]
FLASK = "flask-3.0.3"


@pytest.fixture
def flask_checkout() -> Path:
    return projects.checkout("flask")


@pytest.fixture
def settings(settings: Settings, flask_checkout: Path) -> Settings:
    return dataclasses.replace(settings, local_roots=(*settings.local_roots, flask_checkout.parent))


def read(root: Path) -> Any:
    def file(path: str) -> str | None:
        target = root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    return file


async def test_an_assistant_finds_reads_and_cites_flask(
    app: web.Application,
    client: Client,
    auth: dict[str, str],
    user: Any,
    flask_checkout: Path,
) -> None:
    repository = await register_local(client, auth, flask_checkout)
    await run_to_end(app, client, auth, repository["id"])
    async with over_http(str(client.make_url("/mcp")), user[1]) as mcp:
        # Flask's route() is Scaffold's: a guess at its name is told how to find it.
        guess = await refusal(
            mcp, "get_symbol", repository=FLASK, qualified_name="flask.Flask.route"
        )
        assert "Symbol not found: 'flask.Flask.route'" in guess
        assert 'search_docs(repository="flask-3.0.3", query="route")' in guess
        found = await answer(mcp, "search_docs", repository=FLASK, query="route")
        # An exact symbol name ranks first, with the call that reads it.
        route_name = "flask.sansio.scaffold.Scaffold.route"
        assert re.search(
            rf"^1\. \*\*symbol\*\* `{re.escape(route_name)}`: page `[^`]+`", found, re.M
        )
        assert f'get_symbol(repository="flask-3.0.3", qualified_name="{route_name}")' in found

        route = await answer(mcp, "get_symbol", repository=FLASK, qualified_name=route_name)
        assert route.startswith(f"# `{route_name}` (method)\n")
        declared = re.search(r"^- declared at `([^`]+):(\d+)`", route, re.M)
        assert declared is not None, route
        path, line = declared.group(1), int(declared.group(2))
        assert citation_problems([Citation(path, line, "route")], read(flask_checkout)) == []
        signature = route.split("## Signature\n\n", 1)[1].split("\n\n", 1)[0]
        assert "def route(self, rule: str, **options: t.Any)" in signature
        assert "## Documentation\n\n" in route
        assert "Decorate a view function to register it" in route
        mentions = route.split("## Where the documentation mentions it\n\n", 1)[1]
        assert mentions.count("\n- ") >= 2

        # The longest page, read part by part as the answers say.
        longest = await app[POOL].fetchval(
            "SELECT slug FROM doc_pages WHERE repository_id = $1::uuid "
            "ORDER BY length(markdown) DESC LIMIT 1",
            repository["id"],
        )
        markdown = await app[POOL].fetchval(
            "SELECT markdown FROM doc_pages WHERE repository_id = $1::uuid AND slug = $2",
            repository["id"],
            longest,
        )
        assert len(markdown) > 2 * PART_CHARS
        parts = [await answer(mcp, "read_page", repository=FLASK, slug=longest)]
        while next_call := re.search(r"The next part: `read_page\(.*page=(\d+)\)`", parts[-1]):
            parts.append(
                await answer(
                    mcp, "read_page", repository=FLASK, slug=longest, page=int(next_call.group(1))
                )
            )
    assert len(parts) >= 3
    assert parts[-1].endswith(f"*Part {len(parts)} of {len(parts)}, the last.*\n")
    for part in parts:
        assert len(part) < PART_CHARS + 1000
        assert len(re.findall(r"^ {0,3}```", part, re.M)) % 2 == 0  # no code block left open
    cited = [Citation(p, n) for part in parts for p, n in markdown_citations(part)]
    assert len(cited) > 50
    assert citation_problems(cited, read(flask_checkout)) == []
