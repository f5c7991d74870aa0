"""The generator's view of a repository: file facts, quoted texts and code analyses.

``scan`` reads the snapshot once (languages, line counts, skip reasons, the
texts sections quote) and names the files to analyse; the pipeline's engine
analyses them in worker processes, through its store, and ``assemble_model``
puts the pieces together.  ``build_model`` does all of it in one process (no
store), for callers that have a snapshot and want a model.  Everything here is
plain, picklable data; sections read only the model.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from typing import Any, NamedTuple

from docsgen.generator.analysis import analyse_source
from docsgen.generator.analysis.facts.manifests import is_manifest
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.api_entries import FileReference, ReferenceSummary, render
from docsgen.generator.languages import NOT_CODE, language_of
from docsgen.generator.markdown import Citation
from docsgen.snapshot import Snapshot, SnapshotFile, looks_binary

__all__ = ["Citation", "FileInfo", "RepositoryModel", "Scan", "build_model", "scan"]

# Folders whose content is not the project's own: excluded from analysis and labelled.
VENDORED_DIRS = frozenset(
    {"node_modules", "vendor", "third_party", "third-party", ".venv", "venv", "bower_components"}
)
GENERATED_DIRS = frozenset({"dist", "build", "__pycache__", "target", ".next", "out"})

# Files whose text the sections quote (READMEs, manifests); kept whole in the model.
_TEXT_FILE_NAMES = re.compile(
    r"^(readme(\.[a-z]+)?|pyproject\.toml|setup\.cfg|setup\.py|package\.json|makefile|"
    r"dockerfile|go\.mod|cargo\.toml|pom\.xml|build\.gradle(\.kts)?|requirements[\w.-]*\.txt|"
    r"gnumakefile|pipfile)$",
    re.IGNORECASE,
)


class FileInfo(NamedTuple):
    """A file's facts.  A named tuple: a model holds one per file (thousands), made,
    pickled and unpickled on every run."""

    path: str
    size: int
    lines: int
    language: str | None
    skipped: str | None  # why the file's content was not read or analysed
    folder_kind: str | None  # "vendored" or "generated" when under such a folder


@dataclass
class RepositoryModel:
    name: str
    provider: str
    commit_sha: str
    snapshot: Snapshot  # metadata and notes; file bytes are dropped (see build_model)
    files: list[FileInfo]
    texts: dict[str, str] = field(default_factory=dict)
    # Analysis of every readable code file outside vendored/generated folders, by
    # path, in path order.  Read-only; values may be decoded on first read.
    analyses: Mapping[str, FileAnalysis] = field(default_factory=dict)
    # The API Reference entries of each analysed file (same keys as ``analyses``), and
    # their summaries, which are read without decoding the entries.
    references: Mapping[str, FileReference] = field(default_factory=dict)
    summaries: Mapping[str, ReferenceSummary] = field(default_factory=dict)
    # What names each analysed file's content (its blob and path, with the analysers'
    # versions), by path; "" or absent where nothing does.  It names the API entries.
    content_keys: Mapping[str, str] = field(default_factory=dict)

    def file(self, path: str) -> FileInfo | None:
        for f in self.files:
            if f.path == path:
                return f
        return None

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with its files in columns: a worker unpickles the model on every run."""
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values["files"] = tuple(zip(*self.files, strict=True))
        return (_unpickled_model, (values,))


def _unpickled_model(values: dict[str, Any]) -> RepositoryModel:
    columns = values.pop("files")
    return RepositoryModel(files=list(map(FileInfo._make, zip(*columns, strict=True))), **values)


def folder_kind(path: str) -> str | None:
    for part in path.split("/")[:-1]:
        if part in VENDORED_DIRS:
            return "vendored"
        if part in GENERATED_DIRS:
            return "generated"
    return None


def decode_text(data: bytes) -> tuple[str, bool]:
    """Decode as UTF-8; on failure fall back to Latin-1 and say so (second value False)."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("latin-1"), False


def count_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


@dataclass(frozen=True)
class Scan:
    """What one read of the snapshot yields, before any code analysis."""

    files: list[FileInfo]
    texts: dict[str, str]
    to_analyse: list[SnapshotFile]  # the project's own code files, content read


FileFacts = tuple[FileInfo, bool, bool]  # what ``scan_file`` answers


def scan_file(f: SnapshotFile) -> FileFacts:
    """A file's facts, whether sections quote its text, whether it is analysed."""
    kind = folder_kind(f.path)
    language = language_of(f.path)
    skipped = f.skipped
    lines = 0
    quoted = analysed = False
    if f.data is not None and skipped is None:
        if looks_binary(f.data):
            skipped = "binary file"
        else:
            lines = count_lines(f.data)
            if kind is None:
                quoted = _TEXT_FILE_NAMES.match(f.path.rsplit("/", 1)[-1]) is not None
                # Manifests are analysed too: they declare entry points.
                analysed = (language is not None and language not in NOT_CODE) or is_manifest(
                    f.path
                )
    return FileInfo(f.path, f.size, lines, language, skipped, kind), quoted, analysed


def scan(snapshot: Snapshot, facts_of: Callable[[SnapshotFile], FileFacts] = scan_file) -> Scan:
    """Read every file once: language, line count, skip reasons, quoted texts.

    ``facts_of`` is ``scan_file``, or a caller's version of it that remembers a
    file's facts: they depend on its path and content alone.
    """
    infos: list[FileInfo] = []
    texts: dict[str, str] = {}
    to_analyse: list[SnapshotFile] = []
    for f in sorted(snapshot.files, key=lambda f: f.path):
        info, quoted, analysed = facts_of(f)
        if quoted and f.data is not None:
            texts[f.path] = decode_text(f.data)[0]
        if analysed:
            to_analyse.append(f)
        infos.append(info)
    return Scan(infos, texts, to_analyse)


def without_files(snapshot: Snapshot) -> Snapshot:
    """The snapshot's metadata and notes, its file bytes dropped (they stay with the caller)."""
    return Snapshot(
        name=snapshot.name,
        provider=snapshot.provider,
        commit_sha=snapshot.commit_sha,
        files=(),
        metadata=snapshot.metadata,
        notes=snapshot.notes,
        source_url_template=snapshot.source_url_template,
    )


def assemble_model(
    snapshot: Snapshot,
    scanned: Scan,
    analyses: Mapping[str, FileAnalysis],
    references: Mapping[str, FileReference],
    summaries: Mapping[str, ReferenceSummary] | None = None,
    content_keys: Mapping[str, str] | None = None,
) -> RepositoryModel:
    """The model; ``summaries`` left out are those of ``references``."""
    light = without_files(snapshot) if snapshot.files else snapshot
    return RepositoryModel(
        snapshot.name,
        snapshot.provider,
        snapshot.commit_sha,
        light,
        scanned.files,
        scanned.texts,
        analyses,
        references,
        _Summaries(references) if summaries is None else summaries,
        {} if content_keys is None else content_keys,
    )


class _Summaries(Mapping[str, ReferenceSummary]):
    """The summaries of references held whole (summarised when read)."""

    def __init__(self, references: Mapping[str, FileReference]) -> None:
        self._references = references

    def __getitem__(self, path: str) -> ReferenceSummary:
        return self._references[path].summary()

    def __iter__(self) -> Iterator[str]:
        return iter(self._references)

    def __len__(self) -> int:
        return len(self._references)


def build_model(snapshot: Snapshot) -> RepositoryModel:
    """Scan and analyse in this process, without a cache (the pipeline does it in parallel)."""
    scanned = scan(snapshot)
    analyses = {f.path: analyse_source(f.path, f.data or b"") for f in scanned.to_analyse}
    references = {path: render(a) for path, a in analyses.items()}
    return assemble_model(snapshot, scanned, analyses, references)
