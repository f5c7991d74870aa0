"""The public API as users import it, per language, from the files' analyses.

``roles`` says which files are the product; each language's resolver takes
the product's analyses of its language and answers a ``Surface``
(``surface.model``): the public modules and their names, each resolved to
the declaration it refers to, documented in full under one canonical name.
``RESOLVERS`` maps a language to its resolver.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.surface import go, java, javascript, python, rust
from docsgen.generator.surface.model import Surface
from docsgen.generator.surface.roles import Roles


@dataclass(frozen=True)
class Context:
    """What a resolver may read besides the analyses of its language's product files."""

    paths: Sequence[str]  # every file of the repository
    texts: Mapping[str, str]  # the quoted texts (manifests, READMEs) by path
    module_of: Mapping[str, str]  # each analysed file's module name (docsgen.generator.modules)
    roles: Roles
    # Each file's content key, naming its analysis ("" or missing when unknown): a
    # resolver may reuse what it worked out from the same analyses before.
    content_keys: Mapping[str, str] = field(default_factory=dict)


Resolver = Callable[[Sequence[FileAnalysis], Context], Surface]


def _javascript(analyses: Sequence[FileAnalysis], context: Context) -> Surface:
    return javascript.resolve(analyses, context.texts)


RESOLVERS: dict[str, Resolver] = {
    "Python": lambda analyses, context: python.resolve(
        analyses, context.module_of, context.content_keys
    ),
    "Rust": lambda analyses, context: rust.resolve(analyses, context.texts),
    "Go": lambda analyses, context: go.resolve(analyses, context.texts),
    "Java": lambda analyses, context: java.resolve(analyses),
    # One resolver for both: a package mixes them (``index.d.ts`` beside ``index.js``).
    "JavaScript": _javascript,
    "TypeScript": _javascript,
}


def resolve_languages(
    analyses: Mapping[str, Sequence[FileAnalysis]], context: Context, default: Resolver
) -> list[Surface]:
    """Each resolver run once, on the analyses of every language it resolves (in the
    order of the languages' names); ``default`` for languages without one."""
    groups: dict[Resolver | str, tuple[Resolver, list[FileAnalysis]]] = {}
    for language in sorted(analyses):
        resolver = RESOLVERS.get(language)
        key: Resolver | str = language if resolver is None else resolver
        groups.setdefault(key, (resolver or default, []))[1].extend(analyses[language])
    return [resolver(group, context) for resolver, group in groups.values()]
