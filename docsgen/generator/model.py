"""The generator's view of a repository, built from a snapshot in a worker process.

``build_model`` is the CPU-heavy step (decoding and counting every file, and
with [Generator] the code analysis); sections then read only the model.
Everything here is plain, picklable data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from docsgen.generator.analysis import analyse_file
from docsgen.generator.analysis.facts_manifests import is_manifest
from docsgen.generator.analysis.model import FileAnalysis
from docsgen.generator.languages import NOT_CODE, language_of
from docsgen.snapshot import Snapshot, looks_binary

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


@dataclass(frozen=True)
class Citation:
    """A claim's source: ``path:line``; ``name`` must appear on that line when given."""

    path: str
    line: int
    name: str | None = None


@dataclass(frozen=True)
class FileInfo:
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
    # Analysis of every readable file outside vendored/generated folders, by path.
    analyses: dict[str, FileAnalysis] = field(default_factory=dict)

    def file(self, path: str) -> FileInfo | None:
        for f in self.files:
            if f.path == path:
                return f
        return None


def folder_kind(path: str) -> str | None:
    for part in PurePosixPath(path).parts[:-1]:
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


def build_model(snapshot: Snapshot) -> RepositoryModel:
    """Read every file once: language, line count, skip reasons, quoted texts."""
    infos: list[FileInfo] = []
    texts: dict[str, str] = {}
    analyses: dict[str, FileAnalysis] = {}
    for f in sorted(snapshot.files, key=lambda f: f.path):
        kind = folder_kind(f.path)
        skipped = f.skipped
        lines = 0
        if f.data is not None and skipped is None:
            if looks_binary(f.data):
                skipped = "binary file"
            else:
                lines = count_lines(f.data)
                if kind is None:
                    text = decode_text(f.data)[0]
                    if _TEXT_FILE_NAMES.match(PurePosixPath(f.path).name):
                        texts[f.path] = text
                    # Manifests are analysed too: they declare entry points.
                    if language_of(f.path) not in NOT_CODE or is_manifest(f.path):
                        analyses[f.path] = analyse_file(f.path, text)
        infos.append(FileInfo(f.path, f.size, lines, language_of(f.path), skipped, kind))
    light = Snapshot(
        name=snapshot.name,
        provider=snapshot.provider,
        commit_sha=snapshot.commit_sha,
        files=(),
        metadata=snapshot.metadata,
        notes=snapshot.notes,
        source_url_template=snapshot.source_url_template,
    )
    return RepositoryModel(
        snapshot.name, snapshot.provider, snapshot.commit_sha, light, infos, texts, analyses
    )
