"""The API Reference against griffe, on real packages read statically.

Every public function, class and method griffe finds in aiohttp and asyncpg
must appear in our API Reference, in the same module, with the same
parameter names, kinds and defaults; and every entry of ours must be a
declaration that exists in the source, at the line it cites.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest

from docsgen.generator.analysis.source import decode_source, split_lines
from docsgen.generator.engine.run import Engine
from docsgen.generator.grounding import name_on_line
from tests.support.generation import document, pool, section, snapshot_of
from tests.support.oracle import declared_names, griffe_api, our_api, site_root

__all__ = ["pool"]

PACKAGES = ["aiohttp", "asyncpg"]


@pytest.fixture(scope="module", params=PACKAGES)
def generated(request: pytest.FixtureRequest, pool: ProcessPoolExecutor) -> Any:
    """Each package documented once, by the real pipeline, for all the checks below."""
    package: str = request.param
    root = site_root(package)
    docs = asyncio.run(document(snapshot_of(root, package, under=package), Engine(pool)))
    return package, root, docs


async def test_every_public_symbol_griffe_finds_is_documented_with_its_parameters(
    generated: Any,
) -> None:
    package, _, docs = generated
    theirs = griffe_api(package)
    ours = our_api(section(docs, "API Reference"))
    assert len(theirs) > 300
    missing = []
    different = []
    for key, (kind, params) in sorted(theirs.items()):
        entry = ours.get(key)
        if entry is None:
            missing.append(key)
        elif kind == "class":
            if entry.kind != "class":
                different.append((key, kind, entry.kind))
        elif entry.kind not in ("function", "method") or entry.params != params:
            different.append((key, params, entry.kind, entry.params))
    assert missing == []
    assert different == []


async def test_nothing_in_the_reference_is_absent_from_the_source(generated: Any) -> None:
    _, root, docs = generated
    ours = our_api(section(docs, "API Reference"))
    assert len(ours) > 300
    declared: dict[str, set[tuple[int, str]]] = {}
    for (module, qualname), entry in sorted(ours.items()):
        if entry.path not in declared:
            source = (root / entry.path).read_text(encoding="utf-8")
            declared[entry.path] = declared_names(source)
        name = qualname.rsplit(".", 1)[-1]
        assert (entry.line, name) in declared[entry.path], (module, qualname, entry)


async def test_every_citation_in_the_docs_resolves(generated: Any) -> None:
    _, root, docs = generated
    assert docs.ungrounded == ()
    citations = [c for s in docs.sections for c in s.citations]
    assert len(citations) > 300
    for citation in citations:
        data = (root / citation.path).read_bytes()
        lines = split_lines(decode_source(citation.path, data)[0])
        assert 1 <= citation.line <= len(lines), citation
        if citation.name is not None:
            assert name_on_line(citation.name, lines[citation.line - 1]), citation
