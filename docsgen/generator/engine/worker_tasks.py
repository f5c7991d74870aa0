"""The work the pipeline hands to worker processes: functions of plain, picklable data.

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
from typing import ParamSpec, TypeVar

from docsgen.generator import grounding
from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import render
from docsgen.generator.engine import memo
from docsgen.generator.engine.analysis_store import REFERENCE_PART, SUMMARY_PART, encode
from docsgen.generator.engine.shm import Payloads, detach
from docsgen.generator.inputs import restrict
from docsgen.generator.markdown import WARNING_SIGN, Citation, Piece, anchor, code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections import SectionResult, section_by_key

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


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
            detach()

    run.__name__ = run.__qualname__ = function.__name__
    run.__doc__ = function.__doc__
    return run


@_task
def analyse_chunk(files: Sequence[tuple[str, str, bytes]]) -> list[tuple[str, bytes]]:
    """Analyse ``(path, content key, bytes)`` files; return each one's encoded results.

    The rendered API entries and their summary stay in this worker's memory under
    their content key, so an API Reference built here later reads them without decoding.
    """
    out = []
    for path, key, data in files:
        analysis = analyse_source(path, data)
        reference = render(analysis)
        value = encode(analysis, reference)
        sizes = [len(line) for line in value.split(memo.SEPARATOR, SUMMARY_PART + 1)]
        memo.remember(key, REFERENCE_PART, reference, sizes[REFERENCE_PART])
        memo.remember(key, SUMMARY_PART, reference.summary(), sizes[SUMMARY_PART])
        out.append((path, value))
    return out


MODEL = "model"  # the key of the pickled model in its shared block
_model: tuple[Payloads, RepositoryModel] | None = None


def _unpickled(shared: Payloads) -> RepositoryModel:
    """The run's model, unpickled once per worker from its shared block."""
    global _model
    current = _model
    if current is not None and current[0] == shared:
        return current[1]
    _model = None  # the last run's model goes before this one arrives
    found: RepositoryModel = pickle.loads(shared[MODEL])
    _model = (shared, found)
    return found


@_task
def applicable_sections(model: Payloads, keys: Sequence[str]) -> list[tuple[str, bool]]:
    """Whether each of these sections applies to this repository.  A section whose test
    fails is kept, so that building it shows the failure as a warning instead of hiding it."""
    found = _unpickled(model)
    answers = []
    for key in keys:
        section = section_by_key(key)
        try:
            applies = section.applies(restrict(found, section.inputs))
        except Exception:
            log.exception("deciding whether section %s applies failed", section.key)
            applies = True
        answers.append((key, applies))
    return answers


@_task
def build_section(key: str, model: Payloads) -> tuple[SectionResult, bool]:
    """Write a section from the model restricted to its inputs (its citations are checked later).

    A section that fails to build (whatever in the repository or the cache made
    it fail) becomes a warning in its place rather than failing the whole run;
    the second value says whether it was built (a failure is not worth keeping).
    """
    spec = section_by_key(key)
    try:
        return spec.build(restrict(_unpickled(model), spec.inputs)), True
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
    assert spec.build_pieces is not None
    try:
        return spec.build_pieces(restrict(_unpickled(model), spec.inputs), known), True
    except Exception as exc:
        log.exception("section %s failed", key)
        failed = failed_section(spec.title, exc)
        return [Piece(None, (failed.markdown,), (), failed.warnings)], False


def failed_section(title: str, exc: Exception) -> SectionResult:
    reason = f"{type(exc).__name__}: {exc}"[:300]
    warning = f"This section could not be generated ({code(reason)})."
    return SectionResult(title, anchor(title), f"> {WARNING_SIGN} {warning}\n", (warning,))


@_task
def verify_citations(
    citations: Sequence[Citation], contents: Mapping[str, bytes], unread: Collection[str]
) -> list[tuple[Citation, str]]:
    return grounding.verify(citations, contents, unread)
