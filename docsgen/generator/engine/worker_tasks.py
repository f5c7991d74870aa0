"""The work the pipeline hands to worker processes: functions of plain, picklable data.

A task is called by name in a worker, with nothing but its pickled arguments,
so what a worker keeps from one task to the next (its memo of decoded
entries, the run's unpickled model) lives in the one ``WorkerState`` of its
process, which the pool's initializer makes (``prepare_worker``).  That state
is the worker's own: nothing else here is kept between tasks.

Each task runs with Python's cyclic garbage collector paused: parsing builds
millions of short-lived objects that reference counting frees on its own,
and without the pause the collector re-walks every live object again and
again (a third of the analysis time on a large repository).  Nothing these
tasks build holds reference cycles.
"""

from __future__ import annotations

import gc
import logging
import pickle
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar

from docsgen.generator import grounding
from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import render
from docsgen.generator.docstrings.python import load_parsers
from docsgen.generator.engine.analysis_store import REFERENCE_PART, SUMMARY_PART, encode
from docsgen.generator.engine.encoded import SEPARATOR, Encoded
from docsgen.generator.engine.held_pieces import write_pieces
from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.restrict import restrict
from docsgen.generator.engine.shm import Payloads
from docsgen.generator.inputs import FILES, PATHS, paths_only
from docsgen.generator.markdown import Citation, Piece
from docsgen.generator.model import FileInfo, RepositoryModel
from docsgen.generator.sections import SectionResult, section_by_key
from docsgen.generator.sections.base import failed_section

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

MODEL = "model"  # the key of the pickled model in its shared block


class WorkerState:
    """What one worker process keeps between tasks: its memo, and the current run's model
    (unpickled once per run from its shared block, with what is derived from it)."""

    def __init__(self) -> None:
        self.memo = Memo()
        self._shared: Payloads | None = None  # the handle the current model came from
        self._model: RepositoryModel | None = None
        self._reads: list[Payloads] = []  # the shared blocks the model's values are read from
        self._paths: list[FileInfo] | None = None  # the model's files as ``PATHS`` shows them

    def model(self, shared: Payloads) -> RepositoryModel:
        """The run's model, unpickled once per worker; its values decode into this memo."""
        if self._model is not None and self._shared == shared:
            return self._model
        self._shared = self._model = self._paths = None  # the last run's goes first
        self._reads = []
        found: RepositoryModel = pickle.loads(shared[MODEL])
        encoded: dict[str, Any] = {
            name: mapping.remembered_in(self.memo)
            for name in ("analyses", "references", "summaries")
            if isinstance(mapping := getattr(found, name), Encoded)
        }
        found = replace(found, **encoded)
        reads = {id(m.payloads): m.payloads for m in encoded.values()}
        self._reads = [p for p in reads.values() if isinstance(p, Payloads)]
        self._shared, self._model = shared, found
        return found

    def restricted(self, shared: Payloads, inputs: frozenset[str]) -> RepositoryModel:
        """The run's model as a section with these inputs sees it."""
        model = self.model(shared)
        if PATHS in inputs and FILES not in inputs and self._paths is None:
            self._paths = paths_only(model.files)
        return restrict(model, inputs, self._paths)

    def release(self) -> None:
        """Let go of the shared blocks the model read (read again, they are opened again)."""
        for payloads in self._reads:
            payloads.close()


_state: WorkerState | None = None  # this process's, once ``prepare_worker`` made it


def prepare_worker() -> None:
    """Make this process's worker state and load the docstring parsers (the pool's
    initializer calls it, when the service starts, so the first run does not wait)."""
    global _state
    _state = WorkerState()
    load_parsers()


def _here() -> WorkerState:
    """This process's worker state; a process the pool's initializer did not prepare
    (a pool made elsewhere) gets one at its first task."""
    if _state is None:
        prepare_worker()
    assert _state is not None
    return _state


@contextmanager
def _collector_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _task(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the cyclic collector paused (it stays picklable by name),
    and let go of the shared blocks it read once it is done."""

    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with _collector_paused():
                return function(*args, **kwargs)
        finally:
            for arg in args:
                if isinstance(arg, Payloads):
                    arg.close()
            _here().release()

    run.__name__ = run.__qualname__ = function.__name__
    run.__doc__ = function.__doc__
    return run


@_task
def analyse_chunk(files: Sequence[tuple[str, str, bytes]]) -> list[tuple[str, bytes]]:
    """Analyse ``(path, content key, bytes)`` files; return each one's encoded results.

    The rendered API entries and their summary stay in this worker's memo under
    their content key, so an API Reference built here later reads them without decoding.
    """
    memo = _here().memo
    out = []
    for path, key, data in files:
        analysis = analyse_source(path, data)
        reference = render(analysis)
        value = encode(analysis, reference)
        sizes = [len(line) for line in value.split(SEPARATOR, SUMMARY_PART + 1)]
        memo.remember(key, REFERENCE_PART, reference, sizes[REFERENCE_PART])
        memo.remember(key, SUMMARY_PART, reference.summary(), sizes[SUMMARY_PART])
        out.append((path, value))
    return out


@_task
def applicable_sections(model: Payloads, keys: Sequence[str]) -> list[tuple[str, bool]]:
    """Whether each of these sections applies to this repository.  A section whose test
    fails is kept, so that building it shows the failure as a warning instead of hiding it."""
    state = _here()
    answers = []
    for key in keys:
        section = section_by_key(key)
        try:
            applies = section.applies(state.restricted(model, section.inputs))
        except Exception:
            log.exception("deciding whether section %s applies failed", section.key)
            applies = True
        answers.append((key, applies))
    return answers


@_task
def build_section(key: str, model: Payloads) -> tuple[SectionResult, bool]:
    """Write a section from the model restricted to its inputs (its citations are checked later).

    A section that fails to build becomes a warning in its place rather than
    failing the whole run; the second value says whether it was built (a failure
    is not worth keeping).
    """
    spec = section_by_key(key)
    try:
        return spec.build(_here().restricted(model, spec.inputs)), True
    except Exception as exc:
        log.exception("section %s failed", key)
        return failed_section(spec.title, exc), False


@_task
def build_section_pieces(
    key: str, model: Payloads, known: Collection[str]
) -> tuple[list[Piece], bool]:
    """``build_section`` for a section written in pieces, skipping the ``known`` ones.

    A failure is one piece holding the failed section's warning.
    """
    spec = section_by_key(key)
    assert spec.plan_pieces is not None
    try:
        return write_pieces(spec.plan_pieces(_here().restricted(model, spec.inputs)), known), True
    except Exception as exc:
        log.exception("section %s failed", key)
        failed = failed_section(spec.title, exc)
        return [Piece(None, (failed.markdown,), (), failed.warnings)], False


@_task
def verify_citations(
    citations: Sequence[Citation], contents: Mapping[str, bytes], unread: Collection[str]
) -> list[tuple[Citation, str]]:
    return grounding.verify(citations, contents, unread)


@_task
def call(function: Callable[..., R], *args: Any) -> R:
    """Run a plain function of the generator here, as the tasks above run (the collector
    paused): work that needs nothing of the worker's state, handed by name."""
    return function(*args)
