"""A language's public surface as the API Reference works it out: the product's files
(``surface.roles``), each analysed by the real analyser, then the language's resolver."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path

from docsgen.generator.analysis.declarations import analyse
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.languages import language_of
from docsgen.generator.surface import RESOLVERS, Context
from docsgen.generator.surface.model import Surface
from docsgen.generator.surface.roles import classify

_MANIFESTS = {"go.mod", "pom.xml", "build.gradle", "build.gradle.kts", "package.json",
              "pyproject.toml", "setup.cfg", "setup.py", "cargo.toml"}  # fmt: skip


def surface_of_files(
    files: Mapping[str, str], language: str
) -> tuple[Surface, dict[str, FileAnalysis]]:
    """The surface of ``language`` in a repository of ``files`` (path -> text), and the
    analyses of its product files by path."""
    texts = {p: t for p, t in files.items() if p.rpartition("/")[2].lower() in _MANIFESTS}
    roles = classify(files, texts)
    analyses = {
        p: analyse(p, text, language)
        for p, text in sorted(files.items())
        if language_of(p) == language and roles.is_product(p)
    }
    module_of = {p: a.module or p for p, a in analyses.items()}
    context = Context(sorted(files), texts, module_of, roles)
    return RESOLVERS[language](list(analyses.values()), context), analyses


def surface_of_repository(
    repo: Path, language: str, under: tuple[str, ...] = ()
) -> tuple[Surface, dict[str, FileAnalysis]]:
    """The same for a git repository's files (``under``: only files below these folders,
    and the manifests)."""
    listed = subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotepath=off", "ls-files", "-z"],
        capture_output=True, check=True,
    ).stdout.decode().split("\0")[:-1]  # fmt: skip
    wanted = [
        p
        for p in listed
        if p.rpartition("/")[2].lower() in _MANIFESTS
        or (language_of(p) == language and (not under or p.startswith(under)))
    ]
    return surface_of_files({p: (repo / p).read_text() for p in wanted}, language)
