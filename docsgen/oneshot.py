"""One generation without server or database: what ``docsgen generate`` runs.

The same steps as a service run (CONTRACT §3): the source adapter reports 20-40 %,
the pipeline 50-80 %, then 90 % while the result is written and 100 % at the end.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace

import aiohttp

from docsgen.generator.pipeline import GeneratedDocs, generate
from docsgen.narrative.summaries import narrator_for
from docsgen.progress_schedule import COMPLETED, INITIALIZING, SAVING, ProgressCallback
from docsgen.settings import Settings
from docsgen.sources.factory import Origin, open_source
from docsgen.workers import analysis_pool

log = logging.getLogger(__name__)


def _settings_for(origin: Origin, settings: Settings) -> Settings:
    """A folder named on the command line is the one local root allowed."""
    if origin.path is None:
        return settings
    return replace(settings, local_roots=(origin.path,))


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
            snapshot = await source.fetch(progress)
            narrator = narrator_for(settings, http)
            docs = await generate(snapshot, progress, executor, narrator=narrator)
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
        "sections": docs.sections_json(),
    }
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"
