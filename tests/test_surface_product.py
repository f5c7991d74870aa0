"""The documentation of real projects describes the product, not its tests or examples.

Each project is registered as a user would (a git repository of its registry
archive) and documented by the real pipeline; no citation of the API
Reference, the Configuration or the HTTP Interface points into a folder of
tests, examples, documentation sources, benchmarks or fuzz targets.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor

import pytest

from docsgen.generator.engine.run import Engine
from tests.support import projects
from tests.support.generation import document, fetch, pool

__all__ = ["pool"]

PROJECTS = ["flask", "httpx", "rich", "requests", "express", "serde_json", "go-cmp"]
NOT_PRODUCT = ("tests/", "test/", "examples/", "example/", "docs/", "benches/", "fuzz/",
               "testdata/")  # fmt: skip
PRODUCT_SECTIONS = ("API Reference", "Configuration", "HTTP Interface")


@pytest.mark.parametrize("project", PROJECTS)
def test_the_product_sections_cite_no_tests_examples_or_docs(
    project: str, pool: ProcessPoolExecutor
) -> None:
    repo = projects.checkout(project)
    docs = asyncio.run(document(asyncio.run(fetch(repo)), Engine(pool)))
    cited = [
        c.path
        for s in docs.sections
        if s.title in PRODUCT_SECTIONS
        for c in s.citations
        if not c.path.endswith(("pyproject.toml", "package.json", "Cargo.toml", "go.mod"))
    ]
    assert cited, "the product's API is documented"
    outside = sorted({p for p in cited if any(f"/{d}" in f"/{p}" for d in NOT_PRODUCT)})
    assert outside == []
    # The reader is told what was taken as the product, and why.
    api = next(s.markdown for s in docs.sections if s.title == "API Reference")
    assert "What is documented here, and why:" in api and "the product; " in api
