"""The documentation read as pages, searched, compressed and cached (CONTRACT §5, §11).

flask, registered and generated through the API, shows the pages, one page
by slug, the search's ranking and the caching; a synthetic reference of a
thousand modules, stored by the same transaction a run completes with, shows
that the first answer's size does not grow with the repository.
"""

from __future__ import annotations

import gzip
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.db import accounts, jobs
from docsgen.db.pages import read_symbol, stored_digests
from docsgen.generator.pages import paginate
from docsgen.generator.sections.base import SectionResult
from docsgen.jobs.saving import pages_to_store
from tests.support import projects
from tests.support.api import register_local, run_to_end, wait_for_runs

Client = TestClient[Any, Any]
GZIP = {"Accept-Encoding": "gzip"}
FIRST_ANSWER_LIMIT = 256 * 1024


@pytest.fixture
async def flask_docs(app: web.Application, client: Client, auth: dict[str, str],
                     repos_root: Path) -> str:  # fmt: skip
    """The id of flask's repository, its documentation generated."""
    shutil.copytree(projects.checkout("flask"), repos_root / "flask", symlinks=True)
    repo = await register_local(client, auth, repos_root / "flask")
    await run_to_end(app, client, auth, repo["id"])
    return str(repo["id"])


async def _json(client: Client, url: str, auth: dict[str, str], status: int = 200) -> Any:
    response = await client.get(url, headers=auth)
    assert response.status == status, await response.text()
    return await response.json()


async def test_docs_answer_the_table_of_contents_and_the_first_page(
    client: Client, auth: dict[str, str], flask_docs: str
) -> None:
    docs = await _json(client, f"/api/repositories/{flask_docs}/docs", auth)
    assert docs["status"] == "completed" and len(docs["commit_sha"]) == 40
    toc = docs["pages"]
    assert [p["slug"] for p in toc[:2]] == ["overview", "getting-started"]
    at = [p["slug"] for p in toc].index("api-reference")
    assert toc[at + 1] == {"slug": "api-flask", "title": "flask", "parent": "api-reference",
                           "warnings": 1}  # fmt: skip
    assert all(p["parent"] is None for p in toc[:at]) and toc[-1]["parent"] == "api-reference"
    page = docs["page"]
    assert (page["slug"], page["title"], page["prev"], page["next"]) == (
        "overview", "Overview", None, "getting-started"
    )  # fmt: skip
    assert page["markdown"].startswith("# Overview\n")
    assert page["html"].startswith('<h1 id="overview">Overview</h1>')
    assert "content" not in docs and "sections" not in docs


async def test_one_page_by_slug_with_symbol_anchors_and_its_neighbours(
    app: web.Application, client: Client, auth: dict[str, str], flask_docs: str
) -> None:
    base = f"/api/repositories/{flask_docs}/docs/pages"
    page = await _json(client, f"{base}/api-flask", auth)
    assert (page["title"], page["prev"], page["next"]) == (
        "flask",
        "api-reference",
        "api-flask.app",
    )
    assert '<h2 id="flask.Flask"><code>Flask</code></h2>' in page["html"]
    assert '<h3 id="flask.Flask.open_resource">' in page["html"]
    # A link to a symbol of another page names that page.
    assert 'href="api-flask.sansio.scaffold#flask.sansio.scaffold.Scaffold.route"' in page["html"]
    assert page["markdown"].startswith("# `flask`\n")
    symbol = await read_symbol(app[POOL], uuid.UUID(flask_docs), "flask.Flask.open_resource")
    assert symbol is not None
    assert (symbol.slug, symbol.kind, symbol.citation) == (
        "api-flask",
        "method",
        "src/flask/app.py:322",
    )
    line = page["markdown"].split("\n")[symbol.line - 1]
    assert line == "### `Flask.open_resource`"

    missing = await _json(client, f"{base}/no-such-page", auth, 404)
    assert missing == {"error": "Page not found"}
    last = (await _json(client, f"/api/repositories/{flask_docs}/docs", auth))["pages"][-1]
    assert (await _json(client, f"{base}/{last['slug']}", auth))["next"] is None


async def test_search_ranks_exact_names_then_partial_identifiers_then_text(
    client: Client, auth: dict[str, str], flask_docs: str
) -> None:
    url = f"/api/repositories/{flask_docs}/docs/search"

    async def search(q: str, limit: int = 20) -> list[dict[str, Any]]:
        response = await client.get(url, params={"q": q, "limit": str(limit)}, headers=auth)
        assert response.status == 200, await response.text()
        results: list[dict[str, Any]] = (await response.json())["results"]
        assert len(results) <= limit
        return results

    exact = await search("flask.Flask.open_resource")
    assert exact[0] == {
        "kind": "symbol", "title": "flask.Flask.open_resource", "slug": "api-flask",
        "anchor": "flask.Flask.open_resource",
        "snippet": "Open a resource file relative to root_path for reading.",
        "citation": "src/flask/app.py:322",
    }  # fmt: skip
    # The last component alone, or the last ones, find the same symbol first.
    assert (await search("open_resource"))[0]["title"] == "flask.Flask.open_resource"
    assert (await search("Flask.open_resource"))[0]["title"] == "flask.Flask.open_resource"
    assert (await search("Flask"))[0]["title"] == "flask.Flask"
    # A part of an identifier, by trigram.
    partial = await search("open_reso", 5)
    assert partial[0]["kind"] == "symbol" and "open_reso" in partial[0]["title"]
    assert "flask.Flask.open_resource" in [r["title"] for r in partial]
    # A phrase of the text leads to the heading it is under.
    text = await search("central registry for the view functions")
    found = [r for r in text if r["kind"] == "text"]
    assert found[0]["slug"] == "api-flask" and found[0]["anchor"] == "flask.Flask"
    assert found[0]["citation"] == "src/flask/app.py:79"
    assert "central registry" in found[0]["snippet"]
    # A page by its title.
    pages = await search("Getting Started")
    assert pages[0] == {**pages[0], "kind": "page", "slug": "getting-started", "anchor": None}

    for params, message in [
        ({"q": "  "}, "Give the text to search for in q"),
        ({}, "Give the text to search for in q"),
        ({"q": "x", "limit": "0"}, "limit must be a whole number from 1 to 100"),
        ({"q": "x", "limit": "101"}, "limit must be a whole number from 1 to 100"),
        ({"q": "x", "limit": "ten"}, "limit must be a whole number from 1 to 100"),
    ]:
        response = await client.get(url, params=params, headers=auth)
        assert response.status == 400
        assert await response.json() == {"error": message}
    assert len(await search("flask", 100)) > 20
    assert len(await search("flask", 3)) == 3
    default = await client.get(url, params={"q": "flask"}, headers=auth)
    assert len((await default.json())["results"]) == 20


async def test_pages_carry_an_etag_and_answers_are_gzipped_when_accepted(
    client: Client, auth: dict[str, str], flask_docs: str
) -> None:
    url = f"/api/repositories/{flask_docs}/docs/pages/api-flask"
    first = await client.get(url, headers={**auth, **GZIP}, auto_decompress=False)
    assert first.headers["Content-Encoding"] == "gzip"
    raw = await first.read()
    page = json.loads(gzip.decompress(raw))
    assert page["slug"] == "api-flask" and len(raw) < len(json.dumps(page)) / 3
    etag = first.headers["ETag"]
    again = await client.get(url, headers={**auth, "If-None-Match": etag})
    assert again.status == 304 and again.headers["ETag"] == etag
    assert await again.read() == b""
    plain = await client.get(url, headers={**auth, "Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.headers["ETag"] == etag
    refused = await client.get(url, headers={**auth, "Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    docs = await client.get(f"/api/repositories/{flask_docs}/docs", headers={**auth, **GZIP},
                            auto_decompress=False)  # fmt: skip
    assert docs.headers["Content-Encoding"] == "gzip"
    md = await client.get(f"/api/repositories/{flask_docs}/docs.md", headers={**auth, **GZIP},
                          auto_decompress=False)  # fmt: skip
    assert md.headers["Content-Encoding"] == "gzip"


async def test_a_regeneration_keeps_unchanged_pages_and_their_etags(
    app: web.Application, client: Client, auth: dict[str, str], flask_docs: str
) -> None:
    url = f"/api/repositories/{flask_docs}/docs/pages/api-flask.json"
    before = await client.get(url, headers=auth)
    digests = await stored_digests(app[POOL], uuid.UUID(flask_docs))
    await run_to_end(app, client, auth, flask_docs, force=True)
    after = await client.get(url, headers={**auth, "If-None-Match": before.headers["ETag"]})
    assert after.status == 304
    assert await stored_digests(app[POOL], uuid.UUID(flask_docs)) == digests


async def test_documentation_not_generated_yet_and_another_users_repository_answer_404(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    base = f"/api/repositories/{repo['id']}/docs"
    none = await _json(client, base, auth, 404)
    assert none["error"] == "Documentation not generated yet"
    assert (none["status"], none["repository_id"]) == ("idle", repo["id"])
    await _json(client, f"{base}/pages/overview", auth, 404)
    await run_to_end(app, client, auth, repo["id"])
    assert (await _json(client, f"{base}/pages/overview", auth))["title"] == "Overview"

    mallory = await accounts.create_user(app[POOL], "mallory")
    other = {"Authorization": f"Bearer {await accounts.issue_token(app[POOL], mallory)}"}
    for url in (base, f"{base}/pages/overview", f"{base}/search?q=sample"):
        answer = await _json(client, url, other, 404)
        assert answer == {"error": "Repository not found"}


def _large_reference(modules: int, entries: int) -> list[SectionResult]:
    body = "Does one thing well, and says so at some length here. " * 6
    blocks = [
        f"### `big.m{m}`\n\n*Python* · `src/big/m{m}.py`\n\n" + "".join(
            f"#### `f{e}`\n\n```python\ndef f{e}(x: int) -> int\n```\n\n*function* · "
            f"`src/big/m{m}.py:{e + 1}`\n\n{body}\n\n"
            for e in range(entries)
        )
        for m in range(modules)
    ]  # fmt: skip
    return [
        SectionResult("Overview", "overview", "A large product.\n"),
        SectionResult("API Reference", "api-reference", "The API.\n\n" + "\n".join(blocks)),
    ]


async def test_the_first_answer_stays_small_for_a_large_repository(
    app: web.Application, client: Client, auth: dict[str, str], sample_repo: Path
) -> None:
    repo = await register_local(client, auth, sample_repo)
    pool = app[POOL]
    pages = paginate(_large_reference(modules=1000, entries=6))
    whole = sum(len(p.markdown) for p in pages)
    assert whole > 8 * FIRST_ANSWER_LIMIT
    run_id = await jobs.claim_run(pool, uuid.UUID(repo["id"]), 60)
    assert run_id is not None
    assert await jobs.complete_run(
        pool, run_id, commit_sha="a" * 40, content="# big\n", pages=pages_to_store(pages, {})
    )
    response = await client.get(f"/api/repositories/{repo['id']}/docs", headers=auth)
    body = await response.read()
    assert len(body) <= FIRST_ANSWER_LIMIT
    docs = json.loads(body)
    assert len(docs["pages"]) == 1002 and docs["page"]["slug"] == "overview"
    await wait_for_runs(app)
