"""The model as a section sees it: its declared inputs (``docsgen.generator.inputs``), nothing else.

A section is built from the model ``restrict`` gives it, so its Markdown is a
function of its declared inputs alone and the digest of those inputs names a
stored section that stays right.  Analyses travel encoded: a section reading
one facet of them decodes only that facet's line of each value.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.engine.analysis_store import FACET_PARTS, decode_facet
from docsgen.generator.engine.encoded import Encoded
from docsgen.generator.inputs import (
    COMMIT,
    FILES,
    PATHS,
    REFERENCES,
    TEXTS,
    facet_of,
    paths_only,
    project,
)
from docsgen.generator.model import FileInfo, RepositoryModel


class _Projected(Mapping[str, FileAnalysis]):
    """Analyses by path, each seen through one facet (projected when read)."""

    def __init__(self, items: Mapping[str, FileAnalysis], facet: str) -> None:
        self._items = items
        self._facet = facet

    def __getitem__(self, path: str) -> FileAnalysis:
        return project(self._items[path], self._facet)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self._items


def _facet_view(analyses: Mapping[str, FileAnalysis], facet: str) -> Mapping[str, FileAnalysis]:
    """One facet of every analysis: decoded from its own line when the analyses are encoded."""
    if isinstance(analyses, Encoded):
        return analyses.with_part(FACET_PARTS[facet], decode_facet)
    return _Projected(analyses, facet)


def restrict(
    model: RepositoryModel, inputs: frozenset[str], paths: list[FileInfo] | None = None
) -> RepositoryModel:
    """The model as a section with these inputs sees it: everything else is empty.

    ``paths``: the model's files as ``PATHS`` shows them, when the caller has them
    already (a worker restricts the same model for several sections).
    """
    facet = facet_of(inputs)
    commit = model.commit_sha if COMMIT in inputs else ""
    if FILES in inputs:
        files = model.files
    elif PATHS in inputs:
        files = paths if paths is not None else paths_only(model.files)
    else:
        files = []
    return replace(
        model,
        commit_sha=commit,
        snapshot=replace(model.snapshot, commit_sha=commit, files=()),
        files=files,
        texts=model.texts if TEXTS in inputs else {},
        analyses=_facet_view(model.analyses, facet) if facet is not None else {},
        references=model.references if REFERENCES in inputs else {},
        summaries=model.summaries if REFERENCES in inputs else {},
        content_keys=model.content_keys if REFERENCES in inputs else {},
    )
