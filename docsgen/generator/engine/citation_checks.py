"""The final check of every citation, each cited file checked once per content.

``grounding`` says what a citation check is; this module decides which files
need checking at all.  A file's answer is kept in the section store under the
file's blob SHA and the very citations checked (``section_store.check_key``),
and remembered by this process, so a regeneration re-checks only the files
that changed or are cited anew; the others are checked in the pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor

from docsgen.generator import grounding
from docsgen.generator.engine import worker_tasks
from docsgen.generator.engine.analysis_store import Store
from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.section_store import check_key, decode_failures, encode_failures
from docsgen.generator.engine.shm import share
from docsgen.generator.grounding import Ungrounded
from docsgen.generator.markdown import Citation
from docsgen.generator.sections import SectionResult
from docsgen.snapshot import Snapshot, SnapshotFile

log = logging.getLogger(__name__)

_CHECKED = "citation check"  # the memo's name for a file's citation check
Failures = list[tuple[Citation, str]]


def _identity(file: SnapshotFile | None) -> str | None:
    """What a citation check of this file depends on, or None when it cannot be named."""
    if file is None:
        return "absent"
    if file.data is None:
        return "unread"
    return f"blob:{file.blob_sha}" if file.blob_sha else None


def _failures(path: str, raw: bytes) -> Failures | None:
    try:
        return decode_failures(path, raw)
    except (ValueError, TypeError):
        log.warning("stored citation check of %s unreadable; checking anew", path)
        return None


class _Checks:
    """One run's citation checks, file by file: the answers known already (remembered by
    this process, or kept in the store), and the others worked out in the pool."""

    def __init__(
        self, sections: list[SectionResult], snapshot: Snapshot, store: Store | None, memo: Memo
    ) -> None:
        self.store = store
        self.memo = memo
        self.files = {f.path: f for f in snapshot.files}
        self.cited: dict[str, list[Citation]] = {}  # every cited file's citations, in order
        for citation in dict.fromkeys(c for s in sections for c in s.citations):
            self.cited.setdefault(citation.path, []).append(citation)
        # Where each file's check is remembered: by the file's content and how many
        # citations were checked (the citations themselves are compared when recalled).
        self.slots: dict[str, str] = {}
        self.keys: dict[str, str] = {}  # the store keys of the checks not remembered

    async def known(self) -> tuple[Failures, list[Citation]]:
        """The failures of the files whose answer is known, and the citations to check."""
        answers: dict[str, Failures] = {}
        for path, cited in self.cited.items():
            identity = _identity(self.files.get(path))
            if identity is None:
                continue
            self.slots[path] = f"{path}\0{identity}\0{len(cited)}"
            answer = self._recall(path)
            if answer is not None:
                answers[path] = answer
            else:
                self.keys[path] = check_key(path, identity, cited)
        asked = list(self.keys.values())
        stored = await self.store.get_many(asked) if self.store and asked else {}
        failures: Failures = []
        todo: list[Citation] = []
        for path, cited in self.cited.items():
            answer = answers.get(path)
            key = self.keys.get(path)
            if answer is None and key is not None and key in stored:
                answer = _failures(path, stored[key])
                if answer is not None:
                    self._remember(path, answer)
            if answer is not None:
                failures.extend(answer)
            else:
                todo.extend(cited)
        return failures, todo

    async def check(
        self,
        todo: list[Citation],
        executor: Executor,
        meanwhile: Callable[[], Awaitable[None]] | None,
    ) -> Failures:
        """The failures among ``todo``, checked in the pool (``meanwhile`` awaited while the
        workers check); the answers are remembered and stored."""
        loop = asyncio.get_running_loop()
        files = self.files
        paths = {c.path for c in todo}
        wanted = {p: data for p in paths if p in files and (data := files[p].data) is not None}
        unread = [p for p in paths if p in files and files[p].data is None]
        half = len(todo) // 2
        # Two halves by citation count, cut at a file boundary.
        while 0 < half < len(todo) and todo[half].path == todo[half - 1].path:
            half += 1
        parts = [part for part in (todo[:half], todo[half:]) if part]
        # Only the files to check cross to the workers (shared when they are many).
        with share(wanted) as contents:
            del wanted
            checking = asyncio.gather(
                *(
                    loop.run_in_executor(
                        executor, worker_tasks.verify_citations, part, contents, unread
                    )
                    for part in parts
                )
            )
            try:
                if meanwhile is not None:
                    await meanwhile()
            finally:  # the shared contents stay until the checks are done with them
                verified = await checking
        new = [f for answer in verified for f in answer]
        by_file: dict[str, Failures] = {p: [] for p in paths}
        for citation, reason in new:
            by_file[citation.path].append((citation, reason))
        for path, found in by_file.items():
            if path in self.keys:
                self._remember(path, found)
        stored = {self.keys[p]: encode_failures(f) for p, f in by_file.items() if p in self.keys}
        if self.store is not None and stored:
            await self.store.put_many(stored)
        return new

    def _recall(self, path: str) -> Failures | None:
        found: tuple[list[Citation], Failures] | None = self.memo.recall(self.slots[path], _CHECKED)
        return found[1] if found is not None and found[0] == self.cited[path] else None

    def _remember(self, path: str, failures: Failures) -> None:
        cited = self.cited[path]
        size = 64 * (len(cited) + len(failures))
        self.memo.remember(self.slots[path], _CHECKED, (cited, failures), size)


async def ground(
    sections: list[SectionResult],
    snapshot: Snapshot,
    light: Snapshot,
    executor: Executor,
    store: Store | None,
    memo: Memo,
    meanwhile: Callable[[], Awaitable[None]] | None = None,
) -> tuple[list[SectionResult], list[Ungrounded]]:
    """Every section's citations checked against ``snapshot``; failures are marked in place.

    ``light`` is the snapshot without its files (for the links); ``meanwhile`` is
    awaited while the workers check (or at once, if none need to).
    """
    checks = _Checks(sections, snapshot, store, memo)
    failures, todo = await checks.known()
    if todo:
        failures += await checks.check(todo, executor, meanwhile)
    elif meanwhile is not None:
        await meanwhile()
    if not failures:
        return sections, []
    failed = dict(failures)
    marked = [grounding.mark(s, failed, light) for s in sections]
    return [m[0] for m in marked], [u for m in marked for u in m[1]]
