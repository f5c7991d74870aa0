"""Running the real generator in tests: a shared worker pool, snapshots, Markdown helpers."""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import shutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from docsgen.generator.engine.run import Engine
from docsgen.generator.pipeline import GeneratedDocs, generate
from docsgen.snapshot import Snapshot, SnapshotFile
from docsgen.sources.base import SourceLimits
from docsgen.sources.local import LocalSource
from tests.support.gitrepo import make_repo

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
LIMITS = SourceLimits(max_repository_bytes=64 * 1024 * 1024, max_file_bytes=1024 * 1024,
                      max_files=10_000)  # fmt: skip


@pytest.fixture(scope="session")
def pool() -> Iterator[ProcessPoolExecutor]:
    """Worker processes shared by the generator tests, as the service runs them."""
    executor = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("forkserver"))
    yield executor
    executor.shutdown(wait=True, cancel_futures=True)


async def no_progress(progress: int, step: str) -> None:
    return None


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def snapshot_of(root: Path, name: str, under: str | None = None) -> Snapshot:
    """A snapshot of a folder's files (``under``: only that subfolder, keeping its name)."""
    base = root / under if under else root
    files = []
    for path in sorted(base.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            data = path.read_bytes()
            rel = path.relative_to(root).as_posix()
            files.append(SnapshotFile(rel, len(data), blob_sha(data), data))
    return Snapshot(name=name, provider="local", commit_sha="0" * 40, files=tuple(files))


def polyglot_repo(root: Path, extra: Mapping[str, str | bytes] | None = None) -> Path:
    """A git repository of the five-language fixture (plus ``extra`` files) in ``root``."""
    repo = root / "polyglot"
    shutil.copytree(FIXTURES / "polyglot", repo)
    make_repo(repo, dict(extra or {}))
    return repo


async def fetch(repo: Path, limits: SourceLimits = LIMITS) -> Snapshot:
    """A git repository's snapshot, read by the service's own local source."""
    source = LocalSource(repo, name=repo.name, roots=(repo.parent,), limits=limits)
    return await source.fetch(no_progress)


async def document(snapshot: Snapshot, engine: Engine) -> GeneratedDocs:
    return await generate(snapshot, no_progress, engine)


def section(docs: GeneratedDocs, title: str) -> str:
    return next(s.markdown for s in docs.sections if s.title == title)


def module_blocks(api_markdown: str) -> dict[str, str]:
    """The API Reference's per-module blocks, by the module name in their heading."""
    blocks: dict[str, str] = {}
    for block in api_markdown.split("\n### ")[1:]:
        heading, _, body = block.partition("\n")
        name = re.fullmatch(r"(`+) ?(.+?) ?\1", heading.strip())
        assert name is not None, heading
        blocks[name.group(2)] = body
    return blocks


ENTRY = re.compile(
    r"^(?P<indent> *)- (?:\*\*(?P<kind>[\w-]+)\*\* )?(?:(?:`+)@[^\n]*?(?:`+) )*"
    r"(?P<ticks>`+) ?(?P<signature>.+?) ?(?P=ticks)(?P<rest>.*)$",
    re.MULTILINE,
)
CITATION = re.compile(r"`(?P<path>[^`\s]+):(?P<line>\d+)`")
