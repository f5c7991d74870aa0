"""The public API where no resolver knows the language's rules: what each module declares.

A module is what the analyser calls one (a file, or a Go or Java package
gathering its files); its names are its public top-level declarations, each
documented in full there.
"""

from __future__ import annotations

from collections.abc import Sequence

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.api_entries import separator
from docsgen.generator.surface import Context
from docsgen.generator.surface.model import DEFINED, PublicModule, PublicName, Surface, Target


def resolve_by_file(analyses: Sequence[FileAnalysis], context: Context) -> Surface:
    groups: dict[str, list[FileAnalysis]] = {}
    for a in sorted(analyses, key=lambda a: a.path):
        groups.setdefault(context.module_of.get(a.path) or a.module or a.path, []).append(a)
    sep = separator(analyses[0].language if analyses else None)
    modules = []
    canonical: dict[tuple[str, str], str] = {}
    for name, files in sorted(groups.items()):
        names = []
        for a in files:
            for s in a.symbols:
                if s.parent is not None or s.kind == "reexport" or not s.public:
                    continue
                qualified = f"{name}{sep}{s.name}"
                canonical.setdefault((a.path, s.qualname), qualified)
                target = Target(a.path, s.qualname, name)
                names.append(PublicName(s.name, qualified, s.line, DEFINED, target, qualified))
        paths = tuple(a.path for a in files)
        language = files[0].language or "unknown"
        modules.append(PublicModule(name, language, paths, tuple(names), (), paths[0]))
    return Surface(tuple(modules), canonical, sep)
