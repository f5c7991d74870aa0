"""Which source adapter serves a repository."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docsgen.db.repositories import Repository
from docsgen.errors import GenerationError
from docsgen.github.connections import load_token
from docsgen.sources.base import Source, SourceLimits
from docsgen.sources.github import GitHubSource
from docsgen.sources.local import LocalSource

if TYPE_CHECKING:
    from docsgen.jobs.lifecycle import RunDeps


async def source_for(
    repository: Repository, deps: RunDeps, *, skip_commit: str | None = None
) -> Source:
    """The adapter for ``repository``; a head equal to ``skip_commit`` raises ``UpToDate``."""
    limits = SourceLimits.from_settings(deps.settings)
    if repository.provider == "local":
        assert repository.path is not None
        path = Path(repository.path)
        return LocalSource(
            path,
            name=path.name,
            roots=deps.settings.local_roots,
            limits=limits,
            skip_commit=skip_commit,
        )
    if repository.provider == "github":
        assert repository.full_name is not None
        token = await load_token(deps.pool, deps.settings, repository.user_id)
        return GitHubSource(
            repository.full_name,
            token=token,
            session=deps.http,
            settings=deps.settings,
            limits=limits,
            skip_commit=skip_commit,
        )
    raise GenerationError(f"Repositories from {repository.provider} are not supported yet")
