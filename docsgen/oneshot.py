"""One generation without server or database: what ``docsgen generate`` runs.

The same steps as a service run (CONTRACT §3): the source adapter reports 20-40 %,
the pipeline 50-80 %, then 90 % while the result is written and 100 % at the end.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from pathlib import Path

import aiohttp

from docsgen.errors import GitHubTokenMissing, GitHubTokenRejected
from docsgen.generator.engine.pool import analysis_pool
from docsgen.generator.engine.run import Engine
from docsgen.generator.pages import reading_order
from docsgen.generator.pipeline import GeneratedDocs, generate
from docsgen.narrative.summaries import narrator_for
from docsgen.progress_schedule import COMPLETED, INITIALIZING, SAVING, ProgressCallback
from docsgen.settings import Settings
from docsgen.sources.factory import Origin, open_source

log = logging.getLogger(__name__)


def _settings_for(origin: Origin, settings: Settings) -> Settings:
    """Whoever runs the command reads what their git reads from the folder they name (a
    worktree's git data lies beside it): the roots that bound a shared server do not
    apply, so the root is the file system's."""
    if origin.path is None:
        return settings
    return replace(settings, local_roots=(Path(origin.path.resolve().anchor),))


async def generate_once(
    origin: Origin,
    settings: Settings,
    progress: ProgressCallback,
    save: Callable[[GeneratedDocs], Awaitable[None]],
) -> GeneratedDocs:
    """Run the pipeline once; ``save`` writes the result during the 90 % step."""
    await progress(*INITIALIZING)
    with analysis_pool(settings.workers) as executor:  # ready while the source is read
        async with aiohttp.ClientSession() as http:
            source = open_source(
                origin,
                _settings_for(origin, settings),
                http,
                token=settings.github_token,
            )
            try:
                snapshot = await source.fetch(progress)
            except GitHubTokenMissing:  # the service's messages speak of the page
                raise GitHubTokenMissing(
                    "GitHub token missing: set GITHUB_TOKEN to a GitHub token that can read "
                    + origin.name
                ) from None
            except GitHubTokenRejected:
                raise GitHubTokenRejected(
                    "GitHub rejected the token in GITHUB_TOKEN: set GITHUB_TOKEN to a valid token"
                ) from None
            narrator = narrator_for(settings, http)
            docs = await generate(snapshot, progress, Engine(executor), narrator)
    if docs.narrative is not None:
        log.info("%s", docs.narrative.line())
    await progress(*SAVING)
    await save(docs)
    await progress(*COMPLETED)
    return docs


def docs_json(origin: Origin, docs: GeneratedDocs) -> str:
    """The ``--format json`` document: the Markdown plus its sections."""
    body = {
        "repository": origin.name,
        "provider": origin.provider,
        "commit_sha": docs.commit_sha,
        "content": docs.content,
        "sections": [s.to_json() for s in reading_order(docs.sections)],
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
