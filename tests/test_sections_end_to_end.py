"""Through the service: a five-language repository gets every section, grounded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.generator.model import build_model
from docsgen.generator.sections import SECTIONS
from docsgen.sources.base import SourceLimits
from docsgen.sources.local import LocalSource
from tests.support.api import docs_of, register_local, wait_for_runs
from tests.support.citations import (
    citation_problems,
    markdown_citations,
    mermaid_blocks,
    mermaid_problems,
)
from tests.support.gitrepo import make_repo
from tests.support.polyglot import POLYGLOT_FILES

EXPECTED_TITLES = [
    "Overview",
    "Getting Started",
    "How it works",
    "Project Structure",
    "Architecture",
    "Configuration",
    "HTTP Interface",
    "Dependencies",
    "API Reference",
]


def read_from(root: Path) -> Any:
    def read(path: str) -> str | None:
        target = root / path
        return target.read_text(encoding="utf-8") if target.is_file() else None

    return read


async def test_a_polyglot_repository_is_documented_with_grounded_sections(
    app: web.Application, client: TestClient[Any, Any], auth: dict[str, str], repos_root: Path
) -> None:
    path = repos_root / "polyglot"
    make_repo(path, POLYGLOT_FILES)
    repo = await register_local(client, auth, path)
    response = await client.post(
        "/api/generate-docs", json={"repository_id": repo["id"]}, headers=auth
    )
    assert response.status == 202
    await wait_for_runs(app)
    docs = await docs_of(client, auth, repo["id"])
    assert docs["status"] == "completed", docs["error_message"]
    sections = {p["title"]: p for p in docs["pages"].values() if p["parent"] is None}
    assert list(sections) == EXPECTED_TITLES

    getting_started = sections["Getting Started"]["markdown"]
    assert "polyglot serve --port 8080" in getting_started
    assert "| `npm test` | runs `vitest run` | `package.json:9` |" in getting_started
    architecture = sections["Architecture"]["markdown"]
    # The modules, grouped by folder (more than 15), and the five of ``app/`` on their own.
    overview, inside_app = mermaid_blocks(architecture)
    assert mermaid_problems(overview) == mermaid_problems(inside_app) == []
    assert "m_app_cli_py --> m_app_settings_py" in inside_app
    configuration = sections["Configuration"]["markdown"]
    assert '| `DATABASE_URL` | `"sqlite://"` | `os.getenv` | `app/settings.py:5` |' in configuration
    assert sections["Configuration"]["warnings"] == 1
    http = sections["HTTP Interface"]["markdown"]
    assert "| POST | `/items/{item_id}` | `create_item` | FastAPI | `app/server.py:18` |" in http
    deps = sections["Dependencies"]["markdown"]
    assert "| `express` | `^4.19.0` | runtime | `package.json:13` |" in deps
    assert "node_modules" not in deps and "node_modules/express" not in architecture

    # Every `path:line` in the stored Markdown exists in the repository.
    read = read_from(path)
    cited = markdown_citations(docs["content"])
    assert len(cited) > 80
    for cited_path, line in cited:
        text = read(cited_path)
        assert text is not None, cited_path
        assert 1 <= line <= len(text.splitlines()), f"{cited_path}:{line}"

    # The same snapshot built without the service gives the same Markdown, and each
    # citation's name is written on its line.
    limits = SourceLimits(10**9, 10**6, 10_000)
    source = LocalSource(path, name="polyglot", roots=(repos_root,), limits=limits)

    async def no_progress(progress: int, step: str) -> None:
        return None

    model = build_model(await source.fetch(no_progress))
    for section in SECTIONS:
        if not section.applies(model):
            continue
        result = section.build(model)
        assert f"## {result.title}\n\n{result.markdown}" in docs["content"]
        assert citation_problems(result.citations, read) == [], result.title
