"""Which source adapter reads a repository: the one place that switches on its provider."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import aiohttp

from docsgen.errors import GenerationError
from docsgen.settings import Settings
from docsgen.sources.base import Source, SourceLimits
from docsgen.sources.github import GitHubSource
from docsgen.sources.local import LocalSource


@dataclass(frozen=True)
class Origin:
    """Where a repository's files come from: GitHub's ``owner/name``, or a local folder."""

    provider: str  # "local" or "github"
    name: str  # GitHub's owner/name, or the folder's name
    path: Path | None = None  # the local folder

    @property
    def needs_github_token(self) -> bool:
        return self.provider == "github"


def open_source(
    origin: Origin,
    settings: Settings,
    http: aiohttp.ClientSession,
    *,
    token: str | None = None,
    skip_commit: str | None = None,
) -> Source:
    """The adapter for ``origin``; a head equal to ``skip_commit`` makes it raise ``UpToDate``.

    ``token`` is the GitHub token the caller loaded (None: the run fails at the
    authentication step); a local folder must lie under ``settings.local_roots``.
    """
    limits = SourceLimits.from_settings(settings)
    if origin.provider == "local":
        assert origin.path is not None
        return LocalSource(
            origin.path,
            name=origin.name,
            roots=settings.local_roots,
            limits=limits,
            skip_commit=skip_commit,
        )
    if origin.provider == "github":
        return GitHubSource(
            origin.name,
            token=token,
            session=http,
            settings=settings,
            limits=limits,
            skip_commit=skip_commit,
        )
    raise GenerationError(f"Repositories from {origin.provider} are not supported yet")
