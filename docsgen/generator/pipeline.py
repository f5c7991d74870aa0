"""Snapshot in, documentation out, reporting each step through a progress callback.

The orchestration is async only to report progress; every CPU-heavy step runs
in the executor (a process pool in the service and the CLI), so the event loop
keeps answering while a large repository is analysed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from dataclasses import dataclass

from docsgen.generator.markdown import anchor
from docsgen.generator.model import RepositoryModel, build_model
from docsgen.generator.sections import SECTIONS, SectionResult, section_by_key
from docsgen.snapshot import Snapshot
from docsgen.steps import ANALYZING, section_step

ProgressCallback = Callable[[int, str], Awaitable[None]]


@dataclass(frozen=True)
class GeneratedDocs:
    commit_sha: str
    content: str
    sections: tuple[SectionResult, ...]

    def sections_json(self) -> list[dict[str, object]]:
        return [s.to_json() for s in self.sections]


def _build_section(key: str, model: RepositoryModel) -> SectionResult:
    return section_by_key(key).build(model)


def _applicable_sections(model: RepositoryModel) -> list[str]:
    return [s.key for s in SECTIONS if s.applies(model)]


def assemble(model: RepositoryModel, sections: list[SectionResult]) -> str:
    """The whole document: a title, a table of contents, then each section."""
    title = model.name.rsplit("/", 1)[-1] if model.provider == "local" else model.name
    toc = "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections)
    body = "\n".join(f"## {s.title}\n\n{s.markdown}" for s in sections)
    return f"# {title}\n\n{toc}\n\n{body}"


async def generate(
    snapshot: Snapshot, progress: ProgressCallback, executor: Executor
) -> GeneratedDocs:
    loop = asyncio.get_running_loop()
    await progress(*ANALYZING)
    model = await loop.run_in_executor(executor, build_model, snapshot)
    keys = await loop.run_in_executor(executor, _applicable_sections, model)
    results: list[SectionResult] = []
    for index, key in enumerate(keys, start=1):
        title = section_by_key(key).title
        await progress(*section_step(index, len(keys), title))
        results.append(await loop.run_in_executor(executor, _build_section, key, model))
    content = assemble(model, results)
    assert all(r.anchor == anchor(r.title) for r in results)
    return GeneratedDocs(snapshot.commit_sha, content, tuple(results))
