"""How a generation runs: the ``Engine`` a process keeps, and the ``Run`` of one snapshot.

The pipeline (``docsgen.generator.pipeline.generate``) says what happens;
a ``Run`` does each step fast:

1. ``scan`` the snapshot (a thread: line counts and quoted texts, cheap; a blob
   scanned before is remembered);
2. ``analyse``: look the code files up in the analysis store by content key,
   analyse the others in chunks in parallel workers (meanwhile, work out the
   digests of the inputs that need no analysis, and each value's facet digests
   as it arrives), store the new analyses while the next steps run;
3. ``build_sections``: reuse the sections whose declared inputs are unchanged
   (the section store), build the others in the pool, in parallel, announcing
   each in order; a section written in pieces (the API Reference, a piece per
   module) skips the pieces this process holds from the last build of the same
   repository (``held_pieces``);
4. ``ground`` them (``citation_checks``), the built sections stored while the
   workers check.

File bytes cross to the workers in the chunks that need analysing; the
files' encoded results are then shared with the section tasks through shared
memory (``shm``), decoded in the worker that reads them (``encoded``), and
the files whose citations are checked anew are shared with the grounding tasks.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from types import TracebackType

from docsgen.generator.engine import citation_checks, worker_tasks
from docsgen.generator.engine.allocator import tune_collector
from docsgen.generator.engine.analysis_store import (
    ANALYSIS_PART,
    FACET_PARTS,
    REFERENCE_PART,
    SUMMARY_PART,
    Store,
    analysis_key,
    decode_reference,
    decode_summary,
    whole_analysis_not_kept,
)
from docsgen.generator.engine.encoded import SEPARATOR, Encoded
from docsgen.generator.engine.held_pieces import HeldPieces, filled_in
from docsgen.generator.engine.input_digests import InputDigests, facets_of
from docsgen.generator.engine.memo import PIPELINE_MEMO_BUDGET_BYTES, Memo
from docsgen.generator.engine.section_store import (
    decode_section,
    encode_pieces,
    encode_section,
    pieces_named,
)
from docsgen.generator.engine.shm import Payloads, share
from docsgen.generator.grounding import Ungrounded
from docsgen.generator.inputs import REFERENCES, facet_of
from docsgen.generator.markdown import Piece
from docsgen.generator.model import FileFacts, Scan, assemble_model, scan, scan_file, without_files
from docsgen.generator.sections import SECTIONS, SectionResult, section_by_key
from docsgen.generator.version import GENERATOR_VERSION
from docsgen.progress_schedule import section_step
from docsgen.snapshot import Snapshot, SnapshotFile

log = logging.getLogger(__name__)

HEAVY_SECTIONS = ("api_reference", "architecture")  # the longest to build on large repositories
CHUNK_BYTES = 256 * 1024  # a chunk of files analysed by one worker task, at most...
CHUNK_FILES = 64  # ... or this many files
_SCANNED = "scan"  # the memo's name for a file's scan
_SCANNED_SIZE = 128  # roughly what one remembered scan holds, in bytes


# Told of a section as soon as it is built, with its pieces (``build_sections``).
Ready = Callable[[SectionResult, Sequence[Piece] | None], None]


class Engine:
    """What runs generations in a process: the worker pool, the stores, and what the
    process remembers between runs.

    One per process that generates (the service, the command line), made when it
    starts and handed to every ``generate``: a regeneration finds what the last run
    of the same repository worked out (scans, facet digests, citation checks, the
    API Reference's pieces).  Without stores every file is analysed and every
    section built anew.  Making one lets the process's cyclic collector run less
    often (``tune_collector``).
    """

    def __init__(
        self,
        executor: Executor,
        analyses: Store | None = None,
        sections: Store | None = None,
    ) -> None:
        self.executor = executor
        self.analyses = analyses  # each file's analysis, by content key
        self.sections = sections  # built sections and citation checks
        self.memo = Memo(PIPELINE_MEMO_BUDGET_BYTES)
        self.pieces = HeldPieces(self.memo)
        tune_collector()

    def run(self, snapshot: Snapshot) -> Run:
        """The engine side of one generation of ``snapshot`` (``async with``)."""
        return Run(self, snapshot)


@dataclass
class AnalysisStats:
    """How a run's analysis went: files analysed anew vs. read from the store."""

    analysed: int = 0
    cached: int = 0
    paths_analysed: list[str] = field(default_factory=list)


@dataclass
class Analysed:
    """Every code file's encoded results (stored, or analysed now), by path."""

    scanned: Scan
    keys: dict[str, str]  # each analysed file's content key ("" when it has none)
    values: dict[str, bytes]
    stats: AnalysisStats
    digests: InputDigests


@dataclass
class Built:
    """The sections, in order: reused, or built by this run."""

    # key -> (applies, the section, may be stored: built now without failing)
    sections: dict[str, tuple[bool, SectionResult | None, bool]]
    digests: dict[str, str | None]  # key -> the section's store key
    rebuilt: tuple[str, ...]
    reused: tuple[str, ...]
    pieced: dict[str, list[Piece]] = field(default_factory=dict)  # sections written in pieces

    def applying(self) -> list[SectionResult]:
        return [section for _, section, _ in self.sections.values() if section is not None]


class Run:
    """One generation's engine side.  Used as ``async with``: on leaving, what it still
    stores in the background is waited for (cancelled with the run)."""

    def __init__(self, engine: Engine, snapshot: Snapshot) -> None:
        self.engine = engine
        self.snapshot = snapshot
        self.light = without_files(snapshot)  # what crosses to the workers
        self._storing: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> Run:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        storing, self._storing = self._storing, []
        if isinstance(error, asyncio.CancelledError):
            for task in storing:
                task.cancel()
        for task in storing:
            if error is None:
                await task
            else:
                await asyncio.gather(task, return_exceptions=True)

    async def scan(self) -> Scan:
        """Each file's facts and the quoted texts (a file scanned before is not read again)."""
        memo = self.engine.memo

        def facts_of(f: SnapshotFile) -> FileFacts:
            known = f.blob_sha and f.data is not None and f.skipped is None
            key = f"{f.blob_sha}\0{f.path}" if known else ""
            facts: FileFacts | None = memo.recall(key, _SCANNED)
            if facts is None:
                facts = scan_file(f)
                memo.remember(key, _SCANNED, facts, _SCANNED_SIZE)
            return facts

        return await asyncio.to_thread(scan, self.snapshot, facts_of)

    async def analyse(self, scanned: Scan) -> Analysed:
        """Every code file's encoded results: stored, or analysed in the pool (and stored
        in the background)."""
        engine, files = self.engine, scanned.to_analyse
        keys = {f.path: analysis_key(f.path, f.blob_sha) if f.blob_sha else "" for f in files}
        facets: dict[str, Mapping[str, str]] = {}  # filled in as the analyses come
        digests = InputDigests(self.light, scanned, keys, facets)
        loop = asyncio.get_running_loop()
        wanted = [k for k in keys.values() if k]
        store = engine.analyses
        found = await store.get_many(wanted) if store is not None and wanted else {}
        missing = {f.path: f.data or b"" for f in files if keys[f.path] not in found}
        # Largest first, so the last chunks to finish are small ones.
        order = sorted(missing, key=lambda p: (-len(missing[p]), p))
        groups = chunked([(p, len(missing[p])) for p in order], CHUNK_BYTES, CHUNK_FILES)
        running = [
            loop.run_in_executor(
                engine.executor,
                worker_tasks.analyse_chunk,
                [(p, keys[p], missing[p]) for p in group],
            )
            for group in groups
        ]
        stored = {f.path: found[k] for f in files if (k := keys[f.path]) in found}
        facets.update(facets_of(keys, stored, engine.memo))
        # While the workers analyse, this process works out what it can without them.
        digests.without_analyses()
        fresh: dict[str, bytes] = {}
        for next_chunk in asyncio.as_completed(running):
            chunk = dict(await next_chunk)
            facets.update(facets_of(keys, chunk, engine.memo))
            fresh.update(chunk)
        new = {keys[p]: value for p, value in fresh.items() if keys[p]}
        if store is not None and new:
            self._storing.append(asyncio.create_task(store.put_many(new)))
        values = {f.path: fresh[f.path] if f.path in fresh else found[keys[f.path]] for f in files}
        stats = AnalysisStats(
            analysed=len(fresh), cached=len(files) - len(fresh), paths_analysed=sorted(fresh)
        )
        return Analysed(scanned, keys, values, stats, digests)

    async def build_sections(
        self,
        analysed: Analysed,
        progress: Callable[[int, str], Awaitable[None]],
        steps_after: int = 0,
        ready: Ready | None = None,
    ) -> Built:
        """Every section: reused when its inputs are unchanged, else built in the pool,
        all at once, announced in order (``steps_after`` more steps follow them in the
        50-80 % range: the summaries).  ``ready`` (optional) is told of each section
        built without failing as soon as it is, whatever the order, with the pieces
        it was put together from (None for a section not written in pieces)."""
        digests = {
            s.key: analysed.digests.section_key(GENERATOR_VERSION, s.key, s.inputs)
            for s in SECTIONS
        }
        cached = await _stored_sections(self.engine.sections, digests)
        missing = [s.key for s in SECTIONS if s.key not in cached]
        # Only the parts of the values that the sections to build read cross to the workers.
        read = parts_read(missing)
        # When they include the API entries (most of every value), values cross whole:
        # emptying the few other parts would cost more (a split and a join per file).
        trim = REFERENCE_PART not in read
        values = analysed.values
        with share({p: only_parts(v, read) if trim else v for p, v in values.items()}) as shared:
            model = assemble_model(
                self.light,
                analysed.scanned,
                Encoded(analysed.keys, shared, ANALYSIS_PART, whole_analysis_not_kept),
                Encoded(analysed.keys, shared, REFERENCE_PART, decode_reference),
                Encoded(analysed.keys, shared, SUMMARY_PART, decode_summary),
                analysed.keys,
            )
            # The model itself is shared too, pickled once: each worker unpickles it once.
            pickled = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL) if missing else b""
            with share({worker_tasks.MODEL: pickled}, always=True) as shared_model:
                del pickled
                builds = _Builds(self.engine, shared_model, self.snapshot, ready)
                sections = await builds.all(cached, missing, progress, steps_after)
        rebuilt = tuple(missing)
        reused = tuple(k for k in sections if k not in missing)
        return Built(sections, digests, rebuilt, reused, builds.pieced)

    async def ground(
        self, built: Built, sections: list[SectionResult] | None = None
    ) -> tuple[list[SectionResult], list[Ungrounded]]:
        """The sections (``built``'s, or ``sections`` made of them) with every citation
        checked (failures marked in place); the sections built now are stored meanwhile."""
        engine = self.engine
        return await citation_checks.ground(
            built.applying() if sections is None else sections,
            self.snapshot,
            self.light,
            engine.executor,
            engine.sections,
            engine.memo,
            meanwhile=(lambda: _store_built(engine, built)) if engine.sections else None,
        )


async def _store_built(engine: Engine, built: Built) -> None:
    """The sections built without failing, kept for the next run."""
    store = engine.sections
    if store is None:
        return
    fresh: dict[str, bytes] = {}
    pieces: dict[str, bytes] = {}
    for key in built.rebuilt:
        digest = built.digests[key]
        applies, section, ok = built.sections[key]
        if not digest or not ok:
            continue
        if key in built.pieced:  # the section lists its pieces, stored apart
            title = section_by_key(key).title
            fresh[digest], stored = encode_pieces(title, built.pieced[key], engine.memo)
            pieces.update(stored)
        else:
            fresh[digest] = encode_section(applies, section)
    if pieces:  # most are there already: a regeneration writes a few modules
        there = await store.held(list(pieces))
        fresh.update((k, v) for k, v in pieces.items() if k not in there)
    if fresh:
        await store.put_many(fresh)


async def _stored_sections(
    store: Store | None, digests: Mapping[str, str | None]
) -> dict[str, tuple[bool, SectionResult | None]]:
    """The sections whose inputs are unchanged since a run stored them: (applies, section)."""
    wanted = [d for d in digests.values() if d]
    if store is None or not wanted:
        return {}
    found = await store.get_many(wanted)
    # Sections stored in pieces name them: they are read in one more request.
    named: set[str] = set()
    for raw in found.values():
        try:
            named.update(pieces_named(raw))
        except ValueError:  # unreadable: said below
            pass
    pieces = await store.get_many(sorted(named)) if named else {}
    out = {}
    for key, digest in digests.items():
        if digest and digest in found:
            try:
                out[key] = decode_section(found[digest], pieces)
            except (ValueError, KeyError, TypeError):
                log.warning("stored section %s unreadable or incomplete; building it anew", key)
    return out


class _Builds:
    """The sections to build, in the pool, from the shared model."""

    def __init__(
        self,
        engine: Engine,
        model: Payloads,
        snapshot: Snapshot,
        ready: Ready | None = None,
    ) -> None:
        self.engine = engine
        self.model = model
        self.ready = ready
        self.lineage = f"{snapshot.provider}\0{snapshot.name}"
        self.pieced: dict[str, list[Piece]] = {}  # the sections written in pieces, in pieces

    async def all(
        self,
        cached: Mapping[str, tuple[bool, SectionResult | None]],
        missing: Sequence[str],
        progress: Callable[[int, str], Awaitable[None]],
        steps_after: int = 0,
    ) -> dict[str, tuple[bool, SectionResult | None, bool]]:
        """Every section, in order: reused from ``cached`` or built in parallel, announced
        in order, each as (applies, the section, whether it may be stored).

        The sections to build are all started at once, alongside the question of
        which of them apply to this repository; the ones that do not are dropped
        unseen (and stored as not applying).
        """
        loop = asyncio.get_running_loop()
        executor = self.engine.executor
        # The longest builds start first, so that they do not end the run alone.
        first = [key for key in HEAVY_SECTIONS if key in missing]
        pending = {key: self._start(key) for key in first}
        applicable = (
            loop.run_in_executor(
                executor, worker_tasks.applicable_sections, self.model, list(missing)
            )
            if missing
            else None
        )
        for key in missing:
            if key not in pending:
                pending[key] = self._start(key)
        out: dict[str, tuple[bool, SectionResult | None, bool]] = {}
        try:
            applies = {key: applying for key, (applying, _) in cached.items()}
            if applicable is not None:
                answers = dict(await applicable)
                applies.update(answers)
                for key, yes in answers.items():
                    if not yes:
                        pending[key].cancel()
            keys = [s.key for s in SECTIONS if applies[s.key]]
            for index, key in enumerate(keys, start=1):
                step = section_step(index, len(keys) + steps_after, section_by_key(key).title)
                await progress(*step)
                if key in cached:
                    out[key] = (True, cached[key][1], False)
                else:
                    section, ok = await pending[key]
                    out[key] = (True, section, ok)
            for s in SECTIONS:
                if not applies[s.key]:
                    out[s.key] = (False, None, True)
        finally:
            if applicable is not None:
                applicable.cancel()
            for future in pending.values():
                future.cancel()
            # Nothing may still read the shared payloads once they are released; the
            # sections that do not apply may have failed, which is nobody's concern.
            await asyncio.gather(*([applicable] if applicable else []), *pending.values(),
                                 return_exceptions=True)  # fmt: skip
        return {s.key: out[s.key] for s in SECTIONS}

    def _start(self, key: str) -> asyncio.Future[tuple[SectionResult, bool]]:
        """A section's build in the pool (``_build``), its end told to ``ready``."""
        future = self._build(key)
        ready = self.ready
        if ready is not None:

            def tell(done: asyncio.Future[tuple[SectionResult, bool]]) -> None:
                if not done.cancelled() and done.exception() is None:
                    section, ok = done.result()
                    if ok:
                        ready(section, self.pieced.get(key))

            future.add_done_callback(tell)
        return future

    def _build(self, key: str) -> asyncio.Future[tuple[SectionResult, bool]]:
        """A section's build in the pool; one written in pieces skips the pieces held here
        (and its pieces, held ones filled in, go in ``pieced``)."""
        loop = asyncio.get_running_loop()
        executor, held_pieces = self.engine.executor, self.engine.pieces
        spec = section_by_key(key)
        if spec.plan_pieces is None:
            return loop.run_in_executor(executor, worker_tasks.build_section, key, self.model)
        lineage = f"{key}\0{self.lineage}"
        held = held_pieces.held(lineage)
        written = loop.run_in_executor(
            executor, worker_tasks.build_section_pieces, key, self.model, list(held)
        )

        async def put_together() -> tuple[SectionResult, bool]:
            found, ok = await written
            self.pieced[key] = filled_in(found, held)
            return held_pieces.put_together(lineage, spec.title, self.pieced[key]), ok

        return asyncio.ensure_future(put_together())


def parts_read(keys: Sequence[str]) -> frozenset[int]:
    """The parts of the stored values that these sections read.

    ``restrict`` shows a section the rendered API entries only if it declares
    them, and the analyses only through the one facet it declares.
    """
    parts: set[int] = set()
    for key in keys:
        inputs = section_by_key(key).inputs
        if REFERENCES in inputs:
            parts |= {REFERENCE_PART, SUMMARY_PART}
        facet = facet_of(inputs)
        if facet is not None:
            parts.add(FACET_PARTS[facet])
    return frozenset(parts)


def only_parts(value: bytes, parts: frozenset[int]) -> bytes:
    """``value`` with every other part emptied (the parts keep their places)."""
    lines = value.split(SEPARATOR)
    return SEPARATOR.join(line if i in parts else b"" for i, line in enumerate(lines))


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
