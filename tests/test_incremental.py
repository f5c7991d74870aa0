"""Regeneration after a small change: only the changed file is analysed, the docs are the same.

The analyses are cached by content (git blob SHA); these tests count what the
cache saw, with the in-memory cache the command line uses and with the
PostgreSQL one the service uses.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from docsgen.api.keys import POOL
from docsgen.generator.engine.analysis_store import MemoryStore, analysis_key
from docsgen.generator.engine.run import Engine
from docsgen.generator.engine.section_store import pieces_named
from docsgen.generator.pipeline import generate
from tests.support.api import docs_of, register_local, wait_for_runs
from tests.support.generation import FIXTURES, document, fetch, polyglot_repo, pool, section
from tests.support.gitrepo import commit

__all__ = ["pool"]

CHANGE = {
    "shapes/circle.py": (FIXTURES / "polyglot/shapes/circle.py").read_text()
    + '\n\ndef circumference(circle: Circle) -> float:\n    """Also the perimeter."""\n'
    "    return 2 * math.pi * circle.radius\n"
}
# In tests/fixtures/polyglot: 7 code files, and 2 manifests read for their entry points.
CODE_FILES = 9


async def test_after_a_one_file_change_only_that_file_is_analysed_and_the_docs_match(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    cache = MemoryStore()
    engine = Engine(pool, cache)
    first = await document(await fetch(repo), engine)
    assert (first.stats.analysed, first.stats.cached) == (CODE_FILES, 0)
    assert len(cache.entries) == CODE_FILES

    commit(repo, CHANGE)
    snapshot = await fetch(repo)
    again = await document(snapshot, engine)
    assert again.stats.paths_analysed == ["shapes/circle.py"]
    assert (again.stats.analysed, again.stats.cached) == (1, CODE_FILES - 1)
    assert len(cache.entries) == CODE_FILES + 1

    # As a new process without a store: everything analysed anew, nothing remembered.
    full = await document(snapshot, Engine(pool))
    assert full.stats.analysed == CODE_FILES
    assert again.content == full.content
    assert "circumference(circle: Circle) -> float" in again.content
    assert again.content != first.content


async def test_a_regeneration_rebuilds_only_the_sections_whose_inputs_changed(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    cache, derived = MemoryStore(), RecordingCache()
    engine = Engine(pool, cache, derived)
    first = await document(await fetch(repo), engine)
    assert first.reused == ()
    assert derived.hits == 0

    # A new function in one file: its API entries and its size change; its imports,
    # configuration reads and routes do not.
    commit(repo, CHANGE)
    snapshot = await fetch(repo)
    checks_before = len(derived.entries)
    writes_before = len(derived.sent)
    again = await document(snapshot, engine)
    assert set(again.rebuilt) == {"overview", "api_reference"}
    assert set(again.reused) == {
        "getting_started", "structure", "architecture", "configuration", "http_interface",
        "dependencies",
    }  # fmt: skip
    # Stored anew: the 2 rebuilt sections, the API Reference's 2 new pieces (the changed
    # module's and its opening, which counts the symbols), and the check of the one
    # changed file's citations (the other files' checks are read back).
    assert len(derived.entries) == checks_before + 2 + 2 + 1
    sent = [key for keys in derived.sent[writes_before:] for key in keys]
    assert len(sent) == 2 + 2 + 1  # the pieces already there are not sent again
    full = await document(snapshot, Engine(pool))  # no stores: everything built anew
    assert again.content == full.content
    assert [s.to_json() for s in again.sections] == [s.to_json() for s in full.sections]

    # The same commit again: every section is reused, nothing is checked anew.
    entries = len(derived.entries)
    same = await document(snapshot, engine)
    assert same.rebuilt == ()
    assert same.content == full.content
    assert [(s.citations, s.warnings) for s in same.sections] == [
        (s.citations, s.warnings) for s in full.sections
    ]
    assert len(derived.entries) == entries


async def test_an_import_change_rebuilds_the_architecture(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    engine = Engine(pool, MemoryStore(), MemoryStore())
    await document(await fetch(repo), engine)
    path = "shapes/circle.py"
    commit(repo, {path: "import os\nfrom shapes import square\n" + (repo / path).read_text()
                  + '\nPORT = os.getenv("SHAPES_PORT", "80")\n'})  # fmt: skip
    snapshot = await fetch(repo)
    again = await document(snapshot, engine)
    assert {"architecture", "configuration", "api_reference"} <= set(again.rebuilt)
    assert "SHAPES_PORT" in again.content
    assert again.content == (await document(snapshot, Engine(pool))).content


async def test_the_service_keeps_analyses_in_postgresql_and_reanalyses_one_changed_file(
    app: web.Application,
    client: TestClient[Any, Any],
    auth: dict[str, str],
    repos_root: Path,
    pool: ProcessPoolExecutor,
) -> None:
    repo = polyglot_repo(repos_root)
    registered = await register_local(client, auth, repo)

    async def generate_through_the_api() -> str:
        response = await client.post(
            "/api/generate-docs", json={"repository_id": registered["id"]}, headers=auth
        )
        assert response.status == 202
        await wait_for_runs(app)
        body = await docs_of(client, auth, registered["id"])
        assert body["status"] == "completed", body
        content: str = body["content"]
        return content

    async def cached_rows() -> int:
        count: int = await app[POOL].fetchval("SELECT count(*) FROM analysis_cache")
        return count

    async def derived_rows() -> int:
        count: int = await app[POOL].fetchval("SELECT count(*) FROM section_cache")
        return count

    await generate_through_the_api()
    assert await cached_rows() == CODE_FILES
    stored = await derived_rows()
    assert stored > len("overview getting_started structure architecture".split())

    commit(repo, CHANGE)
    content = await generate_through_the_api()
    assert await cached_rows() == CODE_FILES + 1  # exactly one file analysed anew
    # The sections whose inputs changed (Overview, API Reference), the API Reference's
    # 2 new pieces (the changed module's and its opening) and the check of the changed
    # file's citations were stored anew; nothing else.
    assert await derived_rows() == stored + 2 + 2 + 1
    full = await document(await fetch(repo), Engine(pool))
    assert content == full.content


async def test_a_corrupted_cache_entry_costs_a_section_not_the_run(tmp_path: Path) -> None:
    repo = polyglot_repo(tmp_path)
    snapshot = await fetch(repo)
    cache = MemoryStore(
        {
            analysis_key(f.path, f.blob_sha): b"{not json\n{not json either\n{nor this"
            for f in snapshot.files
            if f.path.endswith((".py", ".ts", ".js", ".go", ".rs", ".java"))
        }
    )
    # Fresh workers: nothing decoded from an earlier run can stand in for the entries.
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("forkserver")) as fresh:
        docs = await document(snapshot, Engine(fresh, cache))
    assert docs.stats.cached == 7  # the code files; the 2 manifests are analysed anew
    api = next(s for s in docs.sections if s.title == "API Reference")
    # Its values cannot be read (the first part it reads is not there, or not JSON).
    assert api.markdown.startswith("> ⚠️ This section could not be generated (`")
    assert len(api.warnings) == 1
    assert [s.title for s in docs.sections][:3] == [
        "Overview",
        "Getting Started",
        "Project Structure",
    ]
    assert "Polyglot is a small fixture project" in docs.content


class RecordingCache(MemoryStore):
    """A cache that keeps the keys of each write."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[list[str]] = []

    async def put_many(self, items: Mapping[str, bytes]) -> None:
        self.sent.append(sorted(items))
        await super().put_many(items)


class GatedCache(MemoryStore):
    """A cache whose writes wait for a gate: what runs meanwhile is what overlaps them."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()
        self.writing = asyncio.Event()

    async def put_many(self, items: Mapping[str, bytes]) -> None:
        self.writing.set()
        await self.gate.wait()
        await super().put_many(items)


async def test_the_sections_are_written_while_the_new_analyses_are_stored(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    cache = GatedCache()
    steps: list[str] = []
    written = asyncio.Event()

    async def progress(percent: int, step: str) -> None:
        steps.append(step)
        if step.startswith("Generating documentation: Dependencies"):
            written.set()

    run = asyncio.create_task(generate(await fetch(repo), progress, Engine(pool, cache)))
    await cache.writing.wait()
    # Every section announced, the analyses still being stored (were the writing to wait
    # for the storing, this would never happen: the guard turns the hang into a failure).
    await asyncio.wait_for(written.wait(), timeout=120)
    assert not run.done() and cache.entries == {}
    cache.gate.set()
    docs = await run
    assert len(cache.entries) == CODE_FILES == docs.stats.analysed


async def test_the_structure_is_rebuilt_when_files_come_or_go_not_when_one_changes(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    engine = Engine(pool, MemoryStore(), MemoryStore())
    await document(await fetch(repo), engine)
    commit(repo, CHANGE)  # a file's content: the tree is the same
    changed = await document(await fetch(repo), engine)
    assert "structure" in changed.reused
    commit(repo, {"shapes/triangle.py": "SIDES = 3\n"})
    snapshot = await fetch(repo)
    added = await document(snapshot, engine)
    assert "structure" in added.rebuilt
    assert "triangle.py" in section(added, "Project Structure")
    assert added.content == (await document(snapshot, Engine(pool))).content


async def test_a_stored_section_missing_a_piece_is_built_anew(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    cache, derived = MemoryStore(), MemoryStore()
    snapshot = await fetch(repo)
    first = await document(snapshot, Engine(pool, cache, derived))
    listed = [v for v in derived.entries.values() if pieces_named(v)]
    assert len(listed) == 1  # the API Reference, stored as the list of its pieces
    del derived.entries[pieces_named(listed[0])[1]]
    again = await document(snapshot, Engine(pool, cache, derived))  # nothing held either
    assert again.rebuilt == ("api_reference",)
    assert again.content == first.content
