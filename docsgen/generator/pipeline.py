"""Snapshot in, documentation out, reporting each step through a progress callback.

The orchestration is async only to report progress and to wait; every
CPU-heavy step runs in the executor (a process pool in the service and the
CLI), so the event loop keeps answering while a large repository is analysed:

1. scan the snapshot (a thread: line counts and quoted texts, cheap);
2. look the code files up in the analysis cache by blob SHA, analyse the
   others in chunks in parallel workers, store the new analyses;
3. build every section in the pool, in parallel, announcing each in order;
4. ground: check every citation against the snapshot, in the pool.

File bytes cross to the workers once, in the chunks that need them (and the
cited files once more for the check).  The model crosses to each section
with the files' results still encoded (``docsgen.generator.lazy``): a copy of
bytes, decoded in the worker that reads them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field

from docsgen.generator import tasks
from docsgen.generator.analysis.model import AnalysisStats
from docsgen.generator.cache import (
    ANALYSIS_PART,
    REFERENCE_PART,
    AnalysisCache,
    analysis_key,
    decode_analysis,
    decode_reference,
)
from docsgen.generator.grounding import Ungrounded, verify
from docsgen.generator.lazy import Encoded
from docsgen.generator.markdown import Citation, anchor
from docsgen.generator.model import RepositoryModel, assemble_model, scan, without_files
from docsgen.generator.sections import SectionResult, section_by_key
from docsgen.generator.shared import share
from docsgen.snapshot import Snapshot, SnapshotFile
from docsgen.steps import ANALYZING, section_step

ProgressCallback = Callable[[int, str], Awaitable[None]]

CHUNK_BYTES = 256 * 1024  # a chunk of files analysed by one worker task, at most...
CHUNK_FILES = 64  # ... or this many files


@dataclass(frozen=True)
class GeneratedDocs:
    commit_sha: str
    content: str
    sections: tuple[SectionResult, ...]
    stats: AnalysisStats = field(default_factory=AnalysisStats)
    ungrounded: tuple[Ungrounded, ...] = ()  # citations the final check could not resolve

    def sections_json(self) -> list[dict[str, object]]:
        return [s.to_json() for s in self.sections]


def assemble(snapshot: Snapshot, sections: Sequence[SectionResult]) -> str:
    """The whole document: a title, a table of contents, then each section."""
    name = snapshot.name
    title = name.rsplit("/", 1)[-1] if snapshot.provider == "local" else name
    toc = "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections)
    body = "\n".join(f"## {s.title}\n\n{s.markdown}" for s in sections)
    return f"# {title}\n\n{toc}\n\n{body}"


def chunked(files: Sequence[tuple[str, int]], max_bytes: int, max_files: int) -> list[list[str]]:
    """Paths grouped so each group stays under ``max_bytes`` and ``max_files``."""
    groups: list[list[str]] = []
    size = 0
    for path, n in files:
        if not groups or size + n > max_bytes or len(groups[-1]) >= max_files:
            groups.append([])
            size = 0
        groups[-1].append(path)
        size += n
    return groups


async def generate(
    snapshot: Snapshot,
    progress: ProgressCallback,
    executor: Executor,
    cache: AnalysisCache | None = None,
) -> GeneratedDocs:
    await progress(*ANALYZING)
    scanned = await asyncio.to_thread(scan, snapshot)
    keys, encoded, stats = await _analyse(executor, scanned.to_analyse, cache)
    light = without_files(snapshot)
    with share(encoded) as payloads:
        del encoded
        model = assemble_model(
            light,
            scanned,
            Encoded(keys, payloads, ANALYSIS_PART, decode_analysis),
            Encoded(keys, payloads, REFERENCE_PART, decode_reference),
        )
        sections = await _build_sections(executor, model, progress)
    sections, ungrounded = await _ground(executor, sections, snapshot, light)
    assert all(r.anchor == anchor(r.title) for r in sections)
    return GeneratedDocs(
        snapshot.commit_sha, assemble(snapshot, sections), tuple(sections), stats, ungrounded
    )


async def _build_sections(
    executor: Executor, model: RepositoryModel, progress: ProgressCallback
) -> list[SectionResult]:
    """Every applicable section, built in parallel, each announced in order as awaited."""
    loop = asyncio.get_running_loop()
    keys = await loop.run_in_executor(executor, tasks.applicable_sections, model)
    pending = [loop.run_in_executor(executor, tasks.build_section, k, model) for k in keys]
    sections: list[SectionResult] = []
    try:
        for index, (key, future) in enumerate(zip(keys, pending, strict=True), start=1):
            await progress(*section_step(index, len(keys), section_by_key(key).title))
            sections.append(await future)
    finally:
        for future in pending:
            future.cancel()
        # Nothing may still read the shared payloads once they are released.
        await asyncio.gather(*pending, return_exceptions=True)
    return sections


async def _analyse(
    executor: Executor, files: Sequence[SnapshotFile], cache: AnalysisCache | None
) -> tuple[dict[str, str], dict[str, bytes], AnalysisStats]:
    """Every code file's content key and encoded results: cached, or analysed and stored."""
    loop = asyncio.get_running_loop()
    keys = {f.path: analysis_key(f.path, f.blob_sha) if f.blob_sha else "" for f in files}
    wanted = [k for k in keys.values() if k]
    found = await cache.get_many(wanted) if cache is not None and wanted else {}
    missing = {f.path: f.data or b"" for f in files if keys[f.path] not in found}
    # Largest first, so the last chunks to finish are small ones.
    order = sorted(missing, key=lambda p: (-len(missing[p]), p))
    groups = chunked([(p, len(missing[p])) for p in order], CHUNK_BYTES, CHUNK_FILES)
    done = await asyncio.gather(
        *(
            loop.run_in_executor(
                executor, tasks.analyse_chunk, [(p, keys[p], missing[p]) for p in group]
            )
            for group in groups
        )
    )
    fresh = {path: value for chunk in done for path, value in chunk}
    if cache is not None:
        stored = {keys[p]: value for p, value in fresh.items() if keys[p]}
        if stored:
            await cache.put_many(stored)
    encoded = {f.path: fresh[f.path] if f.path in fresh else found[keys[f.path]] for f in files}
    stats = AnalysisStats(
        analysed=len(fresh), cached=len(files) - len(fresh), paths_analysed=sorted(fresh)
    )
    return keys, encoded, stats


async def _ground(
    executor: Executor, sections: list[SectionResult], snapshot: Snapshot, light: Snapshot
) -> tuple[list[SectionResult], tuple[Ungrounded, ...]]:
    """Check every citation in the pool; mark the ones that do not resolve."""
    loop = asyncio.get_running_loop()
    files = {f.path: f for f in snapshot.files}
    by_path: dict[str, list[Citation]] = {}
    for citation in dict.fromkeys(c for s in sections for c in s.citations):
        by_path.setdefault(citation.path, []).append(citation)
    # Citations of paths the snapshot has no content for need no worker to fail.
    unread = {p for p in by_path if p not in files or files[p].data is None}
    failures: dict[Citation, str] = dict(
        verify([c for p in sorted(unread) for c in by_path.pop(p)], {}, set(unread) & set(files))
    )
    sizes = sorted(((p, files[p].size) for p in by_path), key=lambda x: (-x[1], x[0]))
    groups = chunked(sizes, 4 * CHUNK_BYTES, 4 * CHUNK_FILES)
    with share({p: files[p].data or b"" for p in sorted(by_path)}) as contents:
        checked = await asyncio.gather(
            *(
                loop.run_in_executor(
                    executor,
                    tasks.verify_citations,
                    [c for p in group for c in by_path[p]],
                    contents,
                    (),
                )
                for group in groups
            )
        )
    failures.update(pair for chunk in checked for pair in chunk)
    if not failures:
        return sections, ()
    marked = await asyncio.gather(
        *(loop.run_in_executor(executor, tasks.mark_section, s, failures, light) for s in sections)
    )
    return [m[0] for m in marked], tuple(u for m in marked for u in m[1])
