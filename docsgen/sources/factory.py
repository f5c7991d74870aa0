"""Which source adapter serves a repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docsgen.db.repositories import Repository
from docsgen.errors import GenerationError
from docsgen.sources.base import Source, SourceLimits
from docsgen.sources.local import LocalSource

if TYPE_CHECKING:
    from docsgen.jobs.lifecycle import RunDeps


async def source_for(repository: Repository, deps: RunDeps) -> Source:
    limits = SourceLimits.from_settings(deps.settings)
    if repository.provider == "local":
        assert repository.path is not None
        path = Path(repository.path)
        return LocalSource(path, name=path.name, roots=deps.settings.local_roots, limits=limits)
    raise GenerationError(f"Repositories from {repository.provider} are not supported yet")
