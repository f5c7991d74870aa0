"""Snapshot in, documentation out, reporting each step through a progress callback.

The orchestration is async only to report progress and to wait; every
CPU-heavy step runs in the executor (a process pool in the service and the
CLI), so the event loop keeps answering while a large repository is analysed:

1. scan the snapshot (a thread: line counts and quoted texts, cheap);
2. look the code files up in the analysis cache by blob SHA, analyse the
   others in chunks in parallel workers, store the new analyses;
3. build every section in the pool, in parallel, announcing each in order,
   and ground it there as soon as it is written: every citation is checked
   against the snapshot (``docsgen.generator.grounding``).

File bytes cross to the workers in the chunks that need analysing; the
files' encoded results and the files sections cite are then shared with the
section tasks through shared memory (``docsgen.generator.shared``), decoded
in the worker that reads them (``docsgen.generator.lazy``).
"""

from __future__ import annotations

import asyncio
import pickle
from collections.abc import Awaitable, Callable, Mapping, Sequence
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
from docsgen.generator.grounding import Ungrounded
from docsgen.generator.lazy import Encoded
from docsgen.generator.markdown import Citation, anchor
from docsgen.generator.model import assemble_model, scan, without_files
from docsgen.generator.sections import SECTIONS, SectionResult, section_by_key
from docsgen.generator.shared import Payloads, share
from docsgen.generator.tasks import MODEL
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
    # What sections quote and cite: the code, and the texts (README, manifests).
    files = {f.path: f for f in snapshot.files}
    readable = {p: files[p].data or b"" for p in sorted({*keys, *scanned.texts})}
    unread = frozenset(f.path for f in snapshot.files if f.data is None)
    with share(encoded) as payloads, share(readable) as contents:
        del encoded, readable
        model = assemble_model(
            light,
            scanned,
            Encoded(keys, payloads, ANALYSIS_PART, decode_analysis),
            Encoded(keys, payloads, REFERENCE_PART, decode_reference),
        )
        # The model itself is shared too, pickled once: each worker unpickles it once.
        pickled = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL)
        with share({MODEL: pickled}, always=True) as shared_model:
            del pickled
            built = await _build_sections(executor, shared_model, contents, unread, progress)
    sections = [b[0] for b in built]
    ungrounded = [u for b in built for u in b[1]]
    unchecked = [c for b in built for c in b[2]]
    if unchecked:
        sections, more = await _ground(executor, sections, unchecked, snapshot, light)
        ungrounded.extend(more)
    assert all(r.anchor == anchor(r.title) for r in sections)
    return GeneratedDocs(
        snapshot.commit_sha, assemble(snapshot, sections), tuple(sections), stats,
        tuple(ungrounded),
    )  # fmt: skip


async def _build_sections(
    executor: Executor,
    model: Payloads,
    contents: Mapping[str, bytes],
    unread: frozenset[str],
    progress: ProgressCallback,
) -> list[tuple[SectionResult, list[Ungrounded], list[Citation]]]:
    """Every applicable section, built and grounded in parallel, announced in order.

    Every section is started at once, alongside the question of which ones
    apply to this repository; the ones that do not are dropped unseen.  Each
    task checks its section's citations as soon as the section is written
    (``grounding.ground_section``); citations of files outside ``contents``
    come back unchecked, for ``_ground``.
    """
    loop = asyncio.get_running_loop()
    applicable = loop.run_in_executor(executor, tasks.applicable_sections, model)
    pending = {
        s.key: loop.run_in_executor(executor, tasks.build_section, s.key, model, contents, unread)
        for s in SECTIONS
    }
    built = []
    try:
        keys = await applicable
        for key in set(pending) - set(keys):
            pending[key].cancel()
        for index, key in enumerate(keys, start=1):
            await progress(*section_step(index, len(keys), section_by_key(key).title))
            built.append(await pending[key])
    finally:
        applicable.cancel()
        for future in pending.values():
            future.cancel()
        # Nothing may still read the shared payloads once they are released; the
        # sections that do not apply may have failed, which is nobody's concern.
        await asyncio.gather(applicable, *pending.values(), return_exceptions=True)
    return built


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
    executor: Executor,
    sections: list[SectionResult],
    citations: Sequence[Citation],
    snapshot: Snapshot,
    light: Snapshot,
) -> tuple[list[SectionResult], list[Ungrounded]]:
    """Check the citations of files the sections' tasks could not read; mark failures."""
    loop = asyncio.get_running_loop()
    unique = list(dict.fromkeys(citations))
    contents = {f.path: f.data for f in snapshot.files if f.data is not None}
    wanted = {c.path: contents[c.path] for c in unique if c.path in contents}
    unread = {f.path for f in snapshot.files if f.data is None}
    failures = dict(
        await loop.run_in_executor(executor, tasks.verify_citations, unique, wanted, unread)
    )
    if not failures:
        return sections, []
    marked = await asyncio.gather(
        *(loop.run_in_executor(executor, tasks.mark_section, s, failures, light) for s in sections)
    )
    return [m[0] for m in marked], [u for m in marked for u in m[1]]
