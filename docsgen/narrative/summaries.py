"""One run's summaries: facts gathered, each page asked for (or read from the cache),
every answer verified, the summaries placed into the sections.

The seam with the pipeline is small: ``Narrator.begin`` starts gathering the
facts while the code is analysed; the pipeline asks ``count`` (how many
summary steps follow the sections, in the 50-80 % range), and after the
sections are built ``finish`` announces each summary as a step
("Generating documentation: Summaries (3/12)...") and returns the sections
with the summaries in place.  The requests start as soon as the facts are
known, so they overlap the building of the sections.

Nothing here fails a run: the model's failures are values, and an
unexpected error while writing one summary is logged and shown as that
summary's ⚠️.  Answers are cached by the digest of the prompt (the page's
facts, the instructions) and the model's name, so a regeneration asks only
for the pages whose facts changed; every answer, cached or not, is verified
against this commit.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, replace

import aiohttp

from docsgen.generator.engine.analysis_store import Store as AnalysisCache
from docsgen.generator.sections.base import SectionResult
from docsgen.narrative.client import ChatClient, Failure, Message, Usage
from docsgen.narrative.collect import gather, with_texts
from docsgen.narrative.pages import Page
from docsgen.narrative.prompts import answer_key, messages
from docsgen.narrative.render import OVERVIEW, Summary, failed, place, written
from docsgen.narrative.verifier import Verifier
from docsgen.progress_schedule import ProgressCallback, section_step
from docsgen.settings import Settings
from docsgen.snapshot import Snapshot

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class NarrativeReport:
    """What one run's summaries cost and gave."""

    model: str
    requests: int
    prompt_tokens: int
    completion_tokens: int
    pages: int
    asked: int  # pages answered by the model in this run
    cached: int  # pages whose answer was cached
    failed: int  # pages without a summary
    dropped: int  # sentences left out, in all

    def line(self) -> str:
        return (
            f"language model {self.model}: {self.requests} requests, "
            f"{self.prompt_tokens + self.completion_tokens} tokens; {self.pages} summaries "
            f"({self.asked} asked, {self.cached} cached, {self.failed} without summary), "
            f"{self.dropped} sentences left out"
        )


class Narrator:
    """A run's writer of summaries; its client holds the run's budget and usage."""

    def __init__(self, client: ChatClient) -> None:
        self.client = client

    @property
    def usage(self) -> Usage:
        return self.client.usage

    def begin(
        self, snapshot: Snapshot, executor: Executor, store: AnalysisCache | None
    ) -> Narration:
        """Start gathering the facts of ``snapshot`` (then asking for every page)."""
        return Narration(self.client, snapshot, executor, store)


def narrator_for(settings: Settings, http: aiohttp.ClientSession) -> Narrator | None:
    """A narrator for one run, or None when no language model is configured."""
    if settings.llm is None:
        return None
    return Narrator(ChatClient(settings.llm, http))


class Narration:
    """The summaries of one run, under way."""

    def __init__(
        self,
        client: ChatClient,
        snapshot: Snapshot,
        executor: Executor,
        cache: AnalysisCache | None,
    ) -> None:
        self._client = client
        self._snapshot = snapshot
        self._executor = executor
        self._cache = cache
        self.pages: tuple[Page, ...] = ()
        self.failure: str | None = None  # why there are no summaries at all
        self.summaries: dict[str, Summary] = {}
        self._writing: dict[str, asyncio.Task[Summary]] = {}
        self._fresh: dict[str, bytes] = {}  # answers received in this run, by cache key
        self._asked = 0
        self._cached = 0
        self._started = asyncio.ensure_future(self._start())

    async def count(self) -> int:
        """How many summaries this run writes (each is a progress step)."""
        await self._started
        return len(self.pages)

    async def finish(
        self, sections: Sequence[SectionResult], progress: ProgressCallback, done: int, total: int
    ) -> list[SectionResult]:
        """Each summary announced as step ``done + i`` of ``total``; the sections with them."""
        await self._started
        count = len(self.pages)
        for index, page in enumerate(self.pages, start=1):
            self.summaries[page.key] = await self._writing[page.key]
            step = section_step(done + index, total, f"Summaries ({index}/{count})")
            await progress(*step)
        if self._fresh and self._cache is not None:
            await self._cache.put_many(self._fresh)
        placed = place(sections, self.summaries)
        if self.failure is not None:
            placed = [_with_warning(s, self.failure, self._client.model) for s in placed]
        return placed

    def cancel(self) -> None:
        """Stop whatever is still under way (the run ended)."""
        self._started.cancel()
        for task in self._writing.values():
            task.cancel()

    def report(self) -> NarrativeReport:
        usage = self._client.usage
        done = self.summaries.values()
        return NarrativeReport(
            model=self._client.model,
            requests=usage.requests,
            prompt_tokens=usage.prompt_tokens,
            completion_tokens=usage.completion_tokens,
            pages=len(self.pages),
            asked=self._asked,
            cached=self._cached,
            failed=sum(1 for s in done if s.failure is not None),
            dropped=sum(s.dropped for s in done),
        )

    async def _start(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            gathered = await loop.run_in_executor(self._executor, gather, self._snapshot)
        except Exception as exc:  # a bug, or a broken worker: the docs complete without
            log.exception("the facts for the summaries could not be gathered")
            self.failure = f"the facts could not be gathered ({type(exc).__name__})"
            return
        verifier = Verifier(with_texts(gathered.facts, self._snapshot))
        model = self._client.model
        asked = {page.key: messages(page) for page in gathered.pages}
        keys = {key: answer_key(model, m) for key, m in asked.items()}
        cached = await self._cache.get_many(list(keys.values())) if self._cache else {}
        self.pages = gathered.pages
        for page in gathered.pages:
            key = keys[page.key]
            self._writing[page.key] = asyncio.create_task(
                self._write(page, asked[page.key], key, cached.get(key), verifier)
            )

    async def _write(
        self,
        page: Page,
        asked: list[Message],
        key: str,
        cached: bytes | None,
        verifier: Verifier,
    ) -> Summary:
        model = self._client.model
        try:
            if cached is not None:
                text = cached.decode("utf-8", errors="replace")
                self._cached += 1
            else:
                answer = await self._client.complete(asked)
                if isinstance(answer, Failure):
                    log.warning("no summary of %s: %s", page.title, answer.reason)
                    return failed(page.key, page.title, model, answer.reason)
                text = answer.text
                self._fresh[key] = text.encode("utf-8")
                self._asked += 1
            return written(page.key, page.title, model, verifier.answer(text), self._snapshot)
        except Exception:  # a bug: this summary is left out, the rest of the run goes on
            log.exception("the summary of %s could not be written", page.title)
            return failed(page.key, page.title, model, "the summary could not be written")


def _with_warning(section: SectionResult, reason: str, model: str) -> SectionResult:
    if section.title != OVERVIEW:
        return section
    summary = failed("", "", model, reason)
    return replace(
        section,
        markdown=f"{summary.markdown}\n\n{section.markdown}",
        warnings=section.warnings + summary.warnings,
    )
