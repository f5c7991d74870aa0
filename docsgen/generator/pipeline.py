"""Snapshot in, documentation out, reporting each step through a progress callback.

The orchestration is async only to report progress and to wait; every
CPU-heavy step runs in the executor (a process pool in the service and the
CLI), so the event loop keeps answering while a large repository is analysed:

1. scan the snapshot (a thread: line counts and quoted texts, cheap; a blob
   scanned before is remembered);
2. look the code files up in the analysis cache by blob SHA, analyse the
   others in chunks in parallel workers (meanwhile, work out the digests of
   the inputs that need no analysis, and each value's facet digests as it
   arrives), store the new analyses while the next steps run;
3. reuse the sections whose declared inputs are unchanged (``derived`` cache,
   ``docsgen.generator.inputs``), build the others in the pool, in parallel,
   announcing each in order; a section written in pieces (the API Reference,
   a piece per module) skips the pieces this process holds from the last
   build of the same repository (``docsgen.generator.pieces``);
4. ground them: every citation is checked against the snapshot
   (``docsgen.generator.grounding``), each cited file once per content and
   set of citations (the answer is kept in the ``derived`` cache); the built
   sections are stored while the workers check.

File bytes cross to the workers in the chunks that need analysing; the
files' encoded results are then shared with the section tasks through shared
memory (``docsgen.generator.shared``), decoded in the worker that reads them
(``docsgen.generator.lazy``), and the files whose citations are checked anew
are shared with the grounding tasks.
"""

from __future__ import annotations

import asyncio
import logging
import pickle
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from docsgen.generator import grounding, lazy, pieces, tasks
from docsgen.generator.analysis.model import AnalysisStats
from docsgen.generator.cache import (
    ANALYSIS_PART,
    REFERENCE_PART,
    SUMMARY_PART,
    AnalysisCache,
    analysis_key,
    decode_reference,
    decode_summary,
    whole_analysis_not_kept,
)
from docsgen.generator.grounding import Ungrounded
from docsgen.generator.inputs import FACET_PARTS, REFERENCES, InputDigests, facet_digests
from docsgen.generator.lazy import SEPARATOR, Encoded
from docsgen.generator.markdown import Citation, Piece, anchor
from docsgen.generator.model import Scan, assemble_model, scan, without_files
from docsgen.generator.section_cache import (
    check_key,
    decode_failures,
    decode_section,
    encode_failures,
    encode_pieces,
    encode_section,
    pieces_named,
)
from docsgen.generator.sections import SECTIONS, SectionResult, section_by_key
from docsgen.generator.shared import Payloads, share
from docsgen.generator.tasks import MODEL
from docsgen.generator.version import GENERATOR_VERSION
from docsgen.progress_schedule import ANALYZING, ProgressCallback, section_step
from docsgen.snapshot import Snapshot, SnapshotFile

if TYPE_CHECKING:  # passed in by the caller: the pipeline asks no language model itself
    from docsgen.narrative.summaries import Narration, NarrativeReport, Narrator

log = logging.getLogger(__name__)
SECTIONS_KEYS = tuple(s.key for s in SECTIONS)
HEAVY_SECTIONS = ("api_reference", "architecture")  # the longest to build on large repositories

CHUNK_BYTES = 256 * 1024  # a chunk of files analysed by one worker task, at most...
CHUNK_FILES = 64  # ... or this many files


@dataclass(frozen=True)
class GeneratedDocs:
    commit_sha: str
    content: str
    sections: tuple[SectionResult, ...]
    stats: AnalysisStats = field(default_factory=AnalysisStats)
    ungrounded: tuple[Ungrounded, ...] = ()  # citations the final check could not resolve
    rebuilt: tuple[str, ...] = ()  # keys of the sections built by this run
    reused: tuple[str, ...] = ()  # keys of the sections read from the cache (inputs unchanged)
    narrative: NarrativeReport | None = None  # the summaries' cost, when a model wrote them

    def sections_json(self) -> list[dict[str, object]]:
        return [s.to_json() for s in self.sections]


def assemble(snapshot: Snapshot, sections: Sequence[SectionResult]) -> str:
    """The whole document: a title, a table of contents, then each section."""
    name = snapshot.name
    title = name.rsplit("/", 1)[-1] if snapshot.provider == "local" else name
    toc = "\n".join(f"- [{s.title}](#{s.anchor})" for s in sections)
    # One join: the API Reference of a large repository is megabytes, copied once.
    parts = [f"# {title}\n\n{toc}\n\n"]
    for index, section in enumerate(sections):
        parts += ["\n" if index else "", f"## {section.title}\n\n", section.markdown]
    return "".join(parts)


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
    derived: AnalysisCache | None = None,
    narrator: Narrator | None = None,
) -> GeneratedDocs:
    """The documentation of ``snapshot``.

    ``cache`` keeps each file's analysis; ``derived`` (the same interface, another
    store) keeps built sections and citation checks, so that a regeneration
    rebuilds only the sections whose inputs changed and re-checks only the
    citations of changed files (``docsgen.generator.section_cache``).
    ``narrator`` (optional) writes summaries with a language model, each a step
    after the sections (``docsgen.narrative``); its answers are kept in ``derived``.
    """
    narration = narrator.begin(snapshot, executor, derived) if narrator is not None else None
    try:
        return await _generate(snapshot, progress, executor, cache, derived, narration)
    finally:
        if narration is not None:
            narration.cancel()  # nothing left to stop once it finished


async def _generate(
    snapshot: Snapshot,
    progress: ProgressCallback,
    executor: Executor,
    cache: AnalysisCache | None,
    derived: AnalysisCache | None,
    narration: Narration | None,
) -> GeneratedDocs:
    await progress(*ANALYZING)
    scanned = await asyncio.to_thread(scan, snapshot)
    light = without_files(snapshot)
    keys = {
        f.path: analysis_key(f.path, f.blob_sha) if f.blob_sha else "" for f in scanned.to_analyse
    }
    facets: dict[str, Mapping[str, str]] = {}  # filled in as the analyses come
    inputs = InputDigests(light, scanned, keys, facets)
    # While the workers analyse, this process works out what it can without them.
    encoded, stats, storing = await _analyse(
        executor, scanned.to_analyse, keys, cache, facets, meanwhile=inputs.without_analyses
    )
    # The new analyses are stored while the sections are written.
    try:
        docs = await _document(snapshot, light, scanned, keys, encoded, inputs, stats, progress,
                               executor, derived, narration)  # fmt: skip
    except asyncio.CancelledError:
        if storing is not None:
            storing.cancel()
        raise
    except Exception:
        if storing is not None:
            await storing
        raise
    if storing is not None:
        await storing
    return docs


async def _document(
    snapshot: Snapshot,
    light: Snapshot,
    scanned: Scan,
    keys: dict[str, str],
    encoded: dict[str, bytes],
    inputs: InputDigests,
    stats: AnalysisStats,
    progress: ProgressCallback,
    executor: Executor,
    derived: AnalysisCache | None,
    narration: Narration | None,
) -> GeneratedDocs:
    """The sections, written from the analyses and grounded (with the summaries)."""
    digests = {s.key: inputs.section_key(GENERATOR_VERSION, s.key, s.inputs) for s in SECTIONS}
    cached = await _cached_sections(derived, digests)
    missing = [s.key for s in SECTIONS if s.key not in cached]
    # Only the parts of the values that the sections to build read cross to the workers.
    read = _parts_read(missing)
    # When they include the API entries (most of every value), values cross whole:
    # emptying the few other parts would cost more (a split and a join per file).
    trim = REFERENCE_PART not in read
    with share({p: _only_parts(v, read) if trim else v for p, v in encoded.items()}) as payloads:
        del encoded
        model = assemble_model(
            light,
            scanned,
            Encoded(keys, payloads, ANALYSIS_PART, whole_analysis_not_kept),
            Encoded(keys, payloads, REFERENCE_PART, decode_reference),
            Encoded(keys, payloads, SUMMARY_PART, decode_summary),
        )
        # The model itself is shared too, pickled once: each worker unpickles it once.
        pickled = pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL) if missing else b""
        with share({MODEL: pickled}, always=True) as shared_model:
            del pickled
            lineage = f"{snapshot.provider}\0{snapshot.name}"
            pieced: dict[str, list[Piece]] = {}  # the sections written in pieces, in pieces
            summaries = await narration.count() if narration is not None else 0
            built = await _build_sections(
                executor, shared_model, cached, missing, progress, lineage, pieced, summaries
            )

    async def store_built() -> None:
        """The sections built without failing, kept for the next run."""
        if derived is None:
            return
        fresh: dict[str, bytes] = {}
        pieces: dict[str, bytes] = {}
        for key in missing:
            digest = digests[key]
            if not digest or not built[key][2]:
                continue
            if key in pieced:  # the section lists its pieces, stored apart
                fresh[digest], stored = encode_pieces(section_by_key(key).title, pieced[key])
                pieces.update(stored)
            else:
                fresh[digest] = encode_section(*built[key][:2])
        if pieces:  # most are there already: a regeneration writes a few modules
            there = await derived.held(list(pieces))
            fresh.update((k, v) for k, v in pieces.items() if k not in there)
        if fresh:
            await derived.put_many(fresh)

    sections = [section for _, section, _ in built.values() if section is not None]
    if narration is not None:  # each summary a step after the sections
        total = len(sections) + summaries
        sections = await narration.finish(sections, progress, len(sections), total)
    # The sections are stored while their citations are checked.
    sections, ungrounded = await _ground(
        executor,
        derived,
        sections,
        snapshot,
        light,
        meanwhile=store_built if derived is not None else None,
    )
    assert all(r.anchor == anchor(r.title) for r in sections)
    return GeneratedDocs(
        snapshot.commit_sha, assemble(snapshot, sections), tuple(sections), stats,
        tuple(ungrounded), tuple(missing), tuple(k for k in built if k not in missing),
        narration.report() if narration is not None else None,
    )  # fmt: skip


def _parts_read(keys: Sequence[str]) -> frozenset[int]:
    """The parts of the cached values that these sections read.

    ``restrict`` shows a section the rendered API entries only if it declares
    them, and the analyses only through the one facet it declares.
    """
    parts: set[int] = set()
    for key in keys:
        for name in section_by_key(key).inputs:
            if name == REFERENCES:
                parts |= {REFERENCE_PART, SUMMARY_PART}
            elif name.startswith("analyses:"):
                parts.add(FACET_PARTS[name.split(":", 1)[1]])
    return frozenset(parts)


def _only_parts(value: bytes, parts: frozenset[int]) -> bytes:
    """``value`` with every other part emptied (the parts keep their places)."""
    lines = value.split(SEPARATOR)
    return SEPARATOR.join(line if i in parts else b"" for i, line in enumerate(lines))


_DIGESTS = "facet digests"  # the memo's name for a value's facet digests
_DIGESTS_SIZE = 512  # roughly what one remembered set of digests holds, in bytes


def _facets(keys: Mapping[str, str], encoded: Mapping[str, bytes]) -> dict[str, Mapping[str, str]]:
    """Each file's facet digests; a value that cannot be read has none (its sections rebuild).

    Digests are remembered by content key: a regeneration reads only the changed files'.
    """
    out: dict[str, Mapping[str, str]] = {}
    for path, value in encoded.items():
        known: Mapping[str, str] | None = lazy.recall(keys[path], _DIGESTS)
        if known is not None:
            out[path] = known
            continue
        try:
            out[path] = facet_digests(value)
        except ValueError:  # a damaged cache entry (json.JSONDecodeError is a ValueError)
            log.warning("no facet digests in the cached value of %s", path)
            out[path] = {}
            continue
        lazy.remember(keys[path], _DIGESTS, out[path], _DIGESTS_SIZE)
    return out


async def _cached_sections(
    cache: AnalysisCache | None, digests: Mapping[str, str | None]
) -> dict[str, tuple[bool, SectionResult | None]]:
    """The sections whose inputs are unchanged since a run stored them: (applies, section)."""
    wanted = [d for d in digests.values() if d]
    if cache is None or not wanted:
        return {}
    found = await cache.get_many(wanted)
    # Sections stored in pieces name them: they are read in one more request.
    named: set[str] = set()
    for raw in found.values():
        try:
            named.update(pieces_named(raw))
        except ValueError:  # unreadable: said below
            pass
    pieces = await cache.get_many(sorted(named)) if named else {}
    out = {}
    for key, digest in digests.items():
        if digest and digest in found:
            try:
                out[key] = decode_section(found[digest], pieces)
            except (ValueError, KeyError, TypeError):
                log.warning("cached section %s unreadable or incomplete; building it anew", key)
    return out


async def _build_sections(
    executor: Executor,
    model: Payloads,
    cached: Mapping[str, tuple[bool, SectionResult | None]],
    missing: Sequence[str],
    progress: ProgressCallback,
    lineage: str,
    pieced: dict[str, list[Piece]],
    steps_after: int = 0,
) -> dict[str, tuple[bool, SectionResult | None, bool]]:
    """Every section, in order: reused from ``cached`` or built in parallel, announced in order.

    Each comes as (applies, the section, whether it may be stored: built without failing);
    the pieces of a section written in pieces are put in ``pieced``.  ``steps_after``
    more steps (the summaries) follow the sections in the 50-80 % range.

    The sections to build are all started at once, alongside the question of
    which of them apply to this repository; the ones that do not are dropped
    unseen (and remembered as not applying).
    """
    loop = asyncio.get_running_loop()
    # The longest builds start first, so that they do not end the run alone.
    first = [key for key in HEAVY_SECTIONS if key in missing]
    pending = {key: _start_build(executor, key, model, lineage, pieced) for key in first}
    applicable = (
        loop.run_in_executor(executor, tasks.applicable_sections, model, list(missing))
        if missing
        else None
    )
    for key in missing:
        if key not in pending:
            pending[key] = _start_build(executor, key, model, lineage, pieced)
    out: dict[str, tuple[bool, SectionResult | None, bool]] = {}
    try:
        applies = dict(cached_applies(cached))
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
        for key in SECTIONS_KEYS:
            if not applies[key]:
                out[key] = (False, None, True)
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


def _start_build(
    executor: Executor, key: str, model: Payloads, lineage: str, pieced: dict[str, list[Piece]]
) -> asyncio.Future[tuple[SectionResult, bool]]:
    """A section's build in the pool; one written in pieces skips the pieces held here
    (and its pieces, held ones filled in, go in ``pieced``)."""
    loop = asyncio.get_running_loop()
    spec = section_by_key(key)
    if spec.build_pieces is None:
        return loop.run_in_executor(executor, tasks.build_section, key, model)
    piece_lineage = f"{key}\0{lineage}"
    held = pieces.held(piece_lineage)
    written = loop.run_in_executor(executor, tasks.build_section_pieces, key, model, list(held))

    async def put_together() -> tuple[SectionResult, bool]:
        found, ok = await written
        pieced[key] = pieces.filled_in(found, held)
        return pieces.put_together(piece_lineage, spec.title, pieced[key]), ok

    return asyncio.ensure_future(put_together())


def cached_applies(
    cached: Mapping[str, tuple[bool, SectionResult | None]],
) -> list[tuple[str, bool]]:
    return [(key, applies) for key, (applies, _) in cached.items()]


async def _analyse(
    executor: Executor,
    files: Sequence[SnapshotFile],
    keys: Mapping[str, str],
    cache: AnalysisCache | None,
    facets: dict[str, Mapping[str, str]],
    meanwhile: Callable[[], object],
) -> tuple[dict[str, bytes], AnalysisStats, asyncio.Task[None] | None]:
    """Every code file's encoded results (cached, or analysed), and in ``facets`` their
    facet digests, each worked out as its value arrives.

    ``meanwhile`` runs once the analyses are under way.  The new results are
    stored by the task returned (None: nothing to store).
    """
    loop = asyncio.get_running_loop()
    wanted = [k for k in keys.values() if k]
    found = await cache.get_many(wanted) if cache is not None and wanted else {}
    missing = {f.path: f.data or b"" for f in files if keys[f.path] not in found}
    # Largest first, so the last chunks to finish are small ones.
    order = sorted(missing, key=lambda p: (-len(missing[p]), p))
    groups = chunked([(p, len(missing[p])) for p in order], CHUNK_BYTES, CHUNK_FILES)
    running = [
        loop.run_in_executor(
            executor, tasks.analyse_chunk, [(p, keys[p], missing[p]) for p in group]
        )
        for group in groups
    ]
    facets.update(_facets(keys, {f.path: found[k] for f in files if (k := keys[f.path]) in found}))
    meanwhile()
    fresh: dict[str, bytes] = {}
    for next_chunk in asyncio.as_completed(running):
        chunk = dict(await next_chunk)
        facets.update(_facets(keys, chunk))
        fresh.update(chunk)
    stored = {keys[p]: value for p, value in fresh.items() if keys[p]}
    storing = asyncio.create_task(cache.put_many(stored)) if cache is not None and stored else None
    encoded = {f.path: fresh[f.path] if f.path in fresh else found[keys[f.path]] for f in files}
    stats = AnalysisStats(
        analysed=len(fresh), cached=len(files) - len(fresh), paths_analysed=sorted(fresh)
    )
    return encoded, stats, storing


_CHECKED = "citation check"  # the memo's name for a file's citation check


def _checked_key(path: str, identity: str, cited: Sequence[Citation]) -> str:
    """Where a file's check is remembered: its content and how many citations were checked
    (the citations themselves are compared when it is recalled)."""
    return f"{path}\0{identity}\0{len(cited)}"


def _remember_check(slot: str, cited: list[Citation], failures: list[tuple[Citation, str]]) -> None:
    lazy.remember(slot, _CHECKED, (cited, failures), 64 * (len(cited) + len(failures)))


def _failures(path: str, raw: bytes) -> list[tuple[Citation, str]] | None:
    try:
        return decode_failures(path, raw)
    except (ValueError, TypeError):
        log.warning("cached citation check of %s unreadable; checking anew", path)
        return None


def _identity(file: SnapshotFile | None) -> str | None:
    """What a citation check of this file depends on, or None when it cannot be named."""
    if file is None:
        return "absent"
    if file.data is None:
        return "unread"
    return f"blob:{file.blob_sha}" if file.blob_sha else None


async def _ground(
    executor: Executor,
    cache: AnalysisCache | None,
    sections: list[SectionResult],
    snapshot: Snapshot,
    light: Snapshot,
    meanwhile: Callable[[], Awaitable[None]] | None = None,
) -> tuple[list[SectionResult], list[Ungrounded]]:
    """The final check of every section's citations; failures are marked in place.

    ``meanwhile`` is awaited while the workers check (or at once, if none need to).

    Each cited file's citations are checked once per content of the file: the
    answer is kept in the cache (and remembered by this process) under the
    file's blob SHA and the citations, so a regeneration re-checks only the
    files that changed or are cited anew.
    """
    loop = asyncio.get_running_loop()
    by_path: dict[str, list[Citation]] = {}
    for citation in dict.fromkeys(c for s in sections for c in s.citations):
        by_path.setdefault(citation.path, []).append(citation)
    files = {f.path: f for f in snapshot.files}
    # Answers this process worked out or read before are remembered (by the file's
    # content, compared with the very citations checked); the cache is asked for the
    # others, under a key that hashes the citations.
    answers: dict[str, list[tuple[Citation, str]]] = {}
    slots: dict[str, str] = {}  # where each file's check is remembered
    check_keys: dict[str, str] = {}
    for path, cited in by_path.items():
        identity = _identity(files.get(path))
        if identity is None:
            continue
        slots[path] = _checked_key(path, identity, cited)
        remembered: tuple[list[Citation], list[tuple[Citation, str]]] | None = lazy.recall(
            slots[path], _CHECKED
        )
        if remembered is not None and remembered[0] == cited:
            answers[path] = remembered[1]
        else:
            check_keys[path] = check_key(path, identity, cited)
    asked = list(check_keys.values())
    known = await cache.get_many(asked) if cache and asked else {}
    failures: list[tuple[Citation, str]] = []
    todo: list[Citation] = []
    for path, cited in by_path.items():
        key = check_keys.get(path)
        answer = answers.get(path)
        if answer is None and key is not None and key in known:
            answer = _failures(path, known[key])
            if answer is not None:
                _remember_check(slots[path], cited, answer)
        if answer is not None:
            failures.extend(answer)
        else:
            todo.extend(cited)
    if todo:
        paths = {c.path for c in todo}
        wanted = {p: data for p in paths if p in files and (data := files[p].data) is not None}
        unread = [p for p in paths if p in files and files[p].data is None]
        half = len(todo) // 2
        # Two halves by citation count, cut at a file boundary.
        while 0 < half < len(todo) and todo[half].path == todo[half - 1].path:
            half += 1
        parts = [part for part in (todo[:half], todo[half:]) if part]
        # Only the files to check cross to the workers (shared when they are many).
        with share(wanted) as contents:
            del wanted
            checking = asyncio.gather(
                *(
                    loop.run_in_executor(executor, tasks.verify_citations, part, contents, unread)
                    for part in parts
                )
            )
            try:
                if meanwhile is not None:
                    await meanwhile()
            finally:  # the shared contents stay until the checks are done with them
                verified = await checking
        new = [f for answer in verified for f in answer]
        failures.extend(new)
        by_file: dict[str, list[tuple[Citation, str]]] = {p: [] for p in paths}
        for citation, reason in new:
            by_file[citation.path].append((citation, reason))
        for path, found in by_file.items():
            if path in check_keys:
                _remember_check(slots[path], by_path[path], found)
        if cache is not None:
            stored = {
                check_keys[p]: encode_failures(f) for p, f in by_file.items() if p in check_keys
            }
            if stored:
                await cache.put_many(stored)
    elif meanwhile is not None:
        await meanwhile()
    if not failures:
        return sections, []
    failed = dict(failures)
    marked = [grounding.mark(s, failed, light) for s in sections]
    return [m[0] for m in marked], [u for m in marked for u in m[1]]
