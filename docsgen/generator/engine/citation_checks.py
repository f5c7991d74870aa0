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
from collections.abc import Awaitable, Callable, Sequence
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


class _Remembered:
    """Each file's check as this process remembers it: by the file's content and how many
    citations were checked (the citations themselves are compared when it is recalled)."""

    def __init__(self, memo: Memo) -> None:
        self._memo = memo

    @staticmethod
    def slot(path: str, identity: str, cited: Sequence[Citation]) -> str:
        return f"{path}\0{identity}\0{len(cited)}"

    def recall(self, slot: str, cited: list[Citation]) -> Failures | None:
        found: tuple[list[Citation], Failures] | None = self._memo.recall(slot, _CHECKED)
        return found[1] if found is not None and found[0] == cited else None

    def remember(self, slot: str, cited: list[Citation], failures: Failures) -> None:
        self._memo.remember(slot, _CHECKED, (cited, failures), 64 * (len(cited) + len(failures)))


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
    loop = asyncio.get_running_loop()
    remembered = _Remembered(memo)
    by_path: dict[str, list[Citation]] = {}
    for citation in dict.fromkeys(c for s in sections for c in s.citations):
        by_path.setdefault(citation.path, []).append(citation)
    files = {f.path: f for f in snapshot.files}
    # Answers this process worked out or read before are remembered; the store is asked
    # for the others, under a key that digests the citations.
    answers: dict[str, Failures] = {}
    slots: dict[str, str] = {}  # where each file's check is remembered
    check_keys: dict[str, str] = {}
    for path, cited in by_path.items():
        identity = _identity(files.get(path))
        if identity is None:
            continue
        slots[path] = remembered.slot(path, identity, cited)
        answer = remembered.recall(slots[path], cited)
        if answer is not None:
            answers[path] = answer
        else:
            check_keys[path] = check_key(path, identity, cited)
    asked = list(check_keys.values())
    known = await store.get_many(asked) if store and asked else {}
    failures: Failures = []
    todo: list[Citation] = []
    for path, cited in by_path.items():
        key = check_keys.get(path)
        answer = answers.get(path)
        if answer is None and key is not None and key in known:
            answer = _failures(path, known[key])
            if answer is not None:
                remembered.remember(slots[path], cited, answer)
        if answer is not None:
            failures.extend(answer)
        else:
            todo.extend(cited)
    if todo:
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
        failures.extend(new)
        by_file: dict[str, Failures] = {p: [] for p in paths}
        for citation, reason in new:
            by_file[citation.path].append((citation, reason))
        for path, found in by_file.items():
            if path in check_keys:
                remembered.remember(slots[path], by_path[path], found)
        if store is not None:
            stored = {
                check_keys[p]: encode_failures(f) for p, f in by_file.items() if p in check_keys
            }
            if stored:
                await store.put_many(stored)
    elif meanwhile is not None:
        await meanwhile()
    if not failures:
        return sections, []
    failed = dict(failures)
    marked = [grounding.mark(s, failed, light) for s in sections]
    return [m[0] for m in marked], [u for m in marked for u in m[1]]
