"""Dependencies: runtime and development dependencies declared in the manifests, cited."""

from __future__ import annotations

from collections import Counter

from docsgen.generator.inputs import TEXTS
from docsgen.generator.manifests.dependencies import (
    DEVELOPMENT,
    RUNTIME,
    is_dependency_manifest,
    read,
)
from docsgen.generator.markdown import SectionWriter, anchor, code, escape
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections.base import Section, SectionResult

TITLE = "Dependencies"


def applies(model: RepositoryModel) -> bool:
    return any(is_dependency_manifest(p) for p in model.texts)


def _group(kind: str) -> str:
    if kind == RUNTIME:
        return "runtime"
    if kind.startswith(DEVELOPMENT):
        return "development"
    return "other"


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    manifests = [read(p, t) for p, t in sorted(model.texts.items()) if is_dependency_manifest(p)]
    totals: Counter[str] = Counter(_group(d.kind) for m in manifests for d in m.dependencies)
    w.add(
        f"Declared in {len(manifests)} manifest{'s' if len(manifests) != 1 else ''}: "
        f"{totals['runtime']} runtime, {totals['development']} development and "
        f"{totals['other']} other (build, optional, peer, indirect) dependencies. Versions are "
        "the constraints as written, not what an install resolves."
    )
    for manifest in manifests:
        w.add(f"### {escape(manifest.path)}")
        for problem in manifest.problems:
            w.add_warning(problem)
        for note, line in manifest.notes:
            w.add(f"This file {escape(note)} ({w.cite(manifest.path, line)}).")
        if not manifest.dependencies:
            if not manifest.problems:
                w.add("No dependencies declared.")
            continue
        rows = ["| Package | Version | Kind | Declared at |", "|---|---|---|---|"]
        unlocated = []
        for dep in manifest.dependencies:
            if dep.line is None:
                unlocated.append(dep.name)
                where = "—"
            else:
                where = w.cite(manifest.path, dep.line, dep.token)
            spec = cell_code(dep.spec) if dep.spec else "any"
            rows.append(f"| {cell_code(dep.name)} | {spec} | {escape(dep.kind)} | {where} |")
        w.add("\n".join(rows))
        if unlocated:
            w.add_warning(
                f"Declared in {code(manifest.path)} but its line could not be located: "
                + ", ".join(code(n) for n in unlocated)
                + "."
            )
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


SECTION = Section("dependencies", TITLE, build, applies, frozenset({TEXTS}))
