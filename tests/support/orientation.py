"""The documentation of the real projects, generated once per test session for the orientation tests."""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
from functools import cache

from docsgen.generator.engine.run import Engine
from docsgen.generator.pipeline import GeneratedDocs
from tests.support import projects
from tests.support.generation import document, fetch


@cache
def _documented(name: str, pool: ProcessPoolExecutor) -> GeneratedDocs:
    repo = projects.checkout(name)
    return asyncio.run(document(asyncio.run(fetch(repo)), Engine(pool)))


def documented(name: str, pool: ProcessPoolExecutor) -> GeneratedDocs:
    return _documented(name, pool)
