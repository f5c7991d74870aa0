"""The work the pipeline hands to worker processes: functions of plain, picklable data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docsgen.generator import grounding, lazy
from docsgen.generator.analysis import analyse_source
from docsgen.generator.cache import ANALYSIS_PART, REFERENCE_PART, encode
from docsgen.generator.markdown import Citation
from docsgen.generator.model import RepositoryModel
from docsgen.generator.reference import render
from docsgen.generator.sections import SECTIONS, SectionResult, section_by_key
from docsgen.snapshot import Snapshot


def analyse_chunk(files: Sequence[tuple[str, str, bytes]]) -> list[tuple[str, bytes]]:
    """Analyse ``(path, content key, bytes)`` files; return each one's encoded results.

    The decoded results stay in this worker's memory under their content key,
    so a section built here later reads them without decoding.
    """
    out = []
    for path, key, data in files:
        analysis = analyse_source(path, data)
        reference = render(analysis)
        value = encode(analysis, reference)
        split = value.index(lazy.SEPARATOR)
        lazy.remember(key, ANALYSIS_PART, analysis, split)
        lazy.remember(key, REFERENCE_PART, reference, len(value) - split - 1)
        out.append((path, value))
    return out


def applicable_sections(model: RepositoryModel) -> list[str]:
    return [s.key for s in SECTIONS if s.applies(model)]


def build_section(key: str, model: RepositoryModel) -> SectionResult:
    return section_by_key(key).build(model)


def verify_citations(
    citations: Sequence[Citation], files: Mapping[str, bytes | None]
) -> list[tuple[Citation, str]]:
    return grounding.verify(citations, files)


def mark_section(
    section: SectionResult, failures: Mapping[Citation, str], snapshot: Snapshot
) -> tuple[SectionResult, list[grounding.Ungrounded]]:
    return grounding.mark(section, failures, snapshot)
