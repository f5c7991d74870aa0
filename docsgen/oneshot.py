"""One generation without server or database: what ``docsgen generate`` runs.

The same steps as a service run (CONTRACT §3): the source adapter reports 20-40 %,
the pipeline 50-80 %, then 90 % while the result is written and 100 % at the end.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

import aiohttp

from docsgen.errors import GitHubTokenMissing
from docsgen.generator.pipeline import GeneratedDocs, ProgressCallback, generate
from docsgen.narrative.summaries import narrator_for
from docsgen.settings import Settings
from docsgen.sources.base import Source, SourceLimits
from docsgen.sources.github import GitHubSource
from docsgen.sources.local import LocalSource
from docsgen.steps import COMPLETED, INITIALIZING, SAVING
from docsgen.workers import analysis_pool

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    """What to document: a local folder, or a GitHub ``owner/name``."""

    provider: str  # "local" or "github"
    name: str
    path: Path | None = None


def _github_source(target: Target, settings: Settings, http: aiohttp.ClientSession) -> Source:
    if not settings.github_token:
        raise GitHubTokenMissing()
    source: Source = GitHubSource(
        target.name,
        token=settings.github_token,
        session=http,
        settings=settings,
        limits=SourceLimits.from_settings(settings),
    )
    return source


def source_for_target(target: Target, settings: Settings, http: aiohttp.ClientSession) -> Source:
    if target.provider == "local":
        assert target.path is not None
        path = target.path.resolve()
        # The caller named this folder on the command line: it is the one allowed root.
        return LocalSource(
            path, name=target.name, roots=(path,), limits=SourceLimits.from_settings(settings)
        )
    return _github_source(target, settings, http)


async def generate_once(
    target: Target,
    settings: Settings,
    progress: ProgressCallback,
    save: Callable[[GeneratedDocs], Awaitable[None]],
) -> GeneratedDocs:
    """Run the pipeline once; ``save`` writes the result during the 90 % step."""
    await progress(*INITIALIZING)
    with analysis_pool(settings.workers) as executor:  # ready while the source is read
        async with aiohttp.ClientSession() as http:
            source = source_for_target(target, settings, http)
            snapshot = await source.fetch(progress)
            narrator = narrator_for(settings, http)
            docs = await generate(snapshot, progress, executor, narrator=narrator)
    if docs.narrative is not None:
        log.info("%s", docs.narrative.line())
    await progress(*SAVING)
    await save(docs)
    await progress(*COMPLETED)
    return docs


def docs_json(target: Target, docs: GeneratedDocs) -> str:
    """The ``--format json`` document: the Markdown plus its sections."""
    body = {
        "repository": target.name,
        "provider": target.provider,
        "commit_sha": docs.commit_sha,
        "content": docs.content,
        "sections": docs.sections_json(),
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
