"""The product's part of a model: what the sections that describe the product read.

The API Reference, the HTTP Interface, Configuration and the architecture's
entry points describe what a user installs, not its tests or examples
(``docsgen.generator.surface.roles`` decides which files are which, from the
manifests and the file list: a section reading this declares ``PATHS`` and
``TEXTS`` among its inputs).
"""

from __future__ import annotations

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.model import RepositoryModel
from docsgen.generator.surface.roles import Roles, classify


def roles_of(model: RepositoryModel) -> Roles:
    return classify((f.path for f in model.files), model.texts)


def product_analyses(model: RepositoryModel) -> dict[str, FileAnalysis]:
    """The analyses of the product's files, by path, in path order."""
    roles = roles_of(model)
    return {p: a for p, a in sorted(model.analyses.items()) if roles.is_product(p)}
