"""The product's part of a model: what the sections that describe the product read.

The API Reference, the HTTP Interface, Configuration and the architecture's
entry points describe what a user installs, not its tests or examples
(``docsgen.generator.surface.roles`` decides which files are which, from the
manifests and the file list: a section reading this declares ``PATHS`` and
``TEXTS`` among its inputs).

The Overview, How it works and the API Reference each need the roles, and the
first and last the public surfaces too: a worker building several sections of
a run (or the next run's, when the file list and manifests did not change)
works each out once, remembered by what it is made of.
"""

from __future__ import annotations

from collections import OrderedDict, defaultdict
from collections.abc import Mapping
from functools import lru_cache

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.model import RepositoryModel
from docsgen.generator.modules import python_module, python_packages
from docsgen.generator.surface import Context, resolve_languages
from docsgen.generator.surface.fallback import resolve_by_file
from docsgen.generator.surface.model import Surface
from docsgen.generator.surface.roles import Roles, classify

_ROLES_KEPT = 4  # file lists (and manifests) whose roles a process remembers
_SURFACES_KEPT = 2  # products whose public surfaces a process remembers


def roles_of(model: RepositoryModel) -> Roles:
    """Each file's role (the same ``Roles`` for the same paths and texts)."""
    return _classified(tuple(f.path for f in model.files), tuple(model.texts.items()))


@lru_cache(maxsize=_ROLES_KEPT)
def _classified(paths: tuple[str, ...], texts: tuple[tuple[str, str], ...]) -> Roles:
    return classify(paths, dict(texts))


@lru_cache(maxsize=_ROLES_KEPT)
def _python_layout(paths: tuple[str, ...]) -> tuple[set[str], dict[str, str | None]]:
    """The Python packages of a file list, and the module names of its files, filled in
    as they are asked (the same file list's next resolution asks the same files)."""
    return python_packages(paths), {}


def product_analyses(model: RepositoryModel) -> dict[str, FileAnalysis]:
    """The analyses of the product's files, by path, in path order."""
    roles = roles_of(model)
    return {p: a for p, a in sorted(model.analyses.items()) if roles.is_product(p)}


def product_surfaces(model: RepositoryModel) -> list[Surface]:
    """Each language's public API, from the product's analyses (the ``surface`` facet).

    Remembered by the paths, the texts and the content keys of the product's
    analysed files (which name their content, hence their analyses), when the
    model has every one of them; worked out anew otherwise.
    """
    paths = tuple(f.path for f in model.files)
    texts = tuple(model.texts.items())
    roles = _classified(paths, texts)
    keys = model.content_keys
    named = tuple(keys.get(p, "") for p in model.analyses if roles.is_product(p))
    if not all(named):
        return _resolved(model.analyses, paths, model.texts, roles, keys)
    key: _SurfacesKey = (paths, texts, named)
    surfaces = _SURFACES.get(key)
    if surfaces is None:
        surfaces = tuple(_resolved(model.analyses, paths, model.texts, roles, keys))
        _SURFACES[key] = surfaces
        while len(_SURFACES) > _SURFACES_KEPT:
            _SURFACES.popitem(last=False)
    _SURFACES.move_to_end(key)
    return list(surfaces)


# What a product's surfaces are made of: its paths, texts, and product files' content keys.
_SurfacesKey = tuple[tuple[str, ...], tuple[tuple[str, str], ...], tuple[str, ...]]
# The last products' surfaces, by what they are made of (least recently used first).
_SURFACES: OrderedDict[_SurfacesKey, tuple[Surface, ...]] = OrderedDict()


def _resolved(
    analyses: Mapping[str, FileAnalysis],
    paths: tuple[str, ...],
    texts: Mapping[str, str],
    roles: Roles,
    content_keys: Mapping[str, str],
) -> list[Surface]:
    packages, python_names = _python_layout(paths)
    by_language: dict[str, list[FileAnalysis]] = defaultdict(list)
    module_of: dict[str, str] = {}
    for path, analysis in analyses.items():
        if not roles.is_product(path) or not analysis.analysed or analysis.language is None:
            continue
        by_language[analysis.language].append(analysis)
        python = None
        if analysis.language == "Python":
            if path in python_names:
                python = python_names[path]
            else:
                python = python_names[path] = python_module(path, packages)
        module_of[path] = python or analysis.module or path
    context = Context(list(paths), texts, module_of, roles, content_keys)
    return resolve_languages(by_language, context, resolve_by_file)
