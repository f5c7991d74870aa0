"""Running the real generator in tests: a shared worker pool, snapshots, Markdown helpers."""

from __future__ import annotations

import hashlib
import multiprocessing
import re
import shutil
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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


_HEADING = re.compile(r"^(?P<level>#{4,6}) (?P<ticks>`+) ?(?P<name>.+?) ?(?P=ticks)$", re.MULTILINE)
# The line after an entry's declaration: its kind (left out when the code says it), the
# inline declaration of a value, then its citation.
_KIND_LINE = re.compile(
    r"^(?:\*(?P<kind>[\w-]+)\*(?: (?P<ticks>`+) ?(?P<inline>.+?) ?(?P=ticks))? · )?"
    r"(?P<cite>\[?`[^\n]*)$",
)
_DECLARED_KIND = re.compile(
    r"\b(class|interface|struct|enum|trait|type|namespace|module|macro_rules!|union)\b"
)
_FENCED = re.compile(
    r"^(?P<fence>`{3,})[\w-]*\n(?P<code>.*?)\n(?P=fence)$", re.MULTILINE | re.DOTALL
)
_ALIAS = re.compile(
    r"^(?:Documented as \[(`+)(?P<canonical>.+?)\1\]|Re-export of (`+)(?P<external>.+?)\3)"
)


@dataclass(frozen=True)
class ApiEntry:
    """One entry of a module's part of the API Reference, read back from its Markdown."""

    name: str  # as the heading shows it: ``Flask`` or ``Flask.route``
    level: int  # 4 for a module's names, 5 for their members, 6 deeper
    kind: str | None  # None for an entry that points elsewhere
    declaration: str  # the code block (or inline code) of the declaration
    doc: str  # the Markdown after the kind line
    citation: str  # the kind line's citation, as Markdown
    alias_of: str | None = None  # the canonical name (or external name) it points to
    body: str = ""  # the entry's whole Markdown, heading left out


def api_entries(block: str) -> dict[str, ApiEntry]:
    """A module block's entries by their heading's name (``module_blocks`` gives blocks)."""
    found: dict[str, ApiEntry] = {}
    headings = list(_HEADING.finditer(block))
    for i, heading in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(block)
        body = block[heading.end() : end].strip("\n")
        name, level = heading["name"], len(heading["level"])
        alias = _ALIAS.match(body)
        if alias is not None:
            cite = body.rpartition(" · ")[2] if " · " in body else ""
            target = alias["canonical"] or alias["external"]
            found[name] = ApiEntry(name, level, None, "", "", cite, target, body)
            continue
        fenced = _FENCED.match(body)
        rest = body[fenced.end() :].lstrip("\n") if fenced else body
        if rest.startswith("*Generated `__init__`:*"):
            generated = _FENCED.search(rest)
            rest = rest[generated.end() :].lstrip("\n") if generated else rest
        meta, _, doc = rest.partition("\n")
        kind_line = _KIND_LINE.match(meta)
        if kind_line is None:
            found[name] = ApiEntry(name, level, None, "", "", "", None, body)
            continue
        declaration = fenced["code"] if fenced else (kind_line["inline"] or "")
        kind = kind_line["kind"]
        if kind is None:  # the declaration says it: ``class Foo(Base)``
            undecorated = "\n".join(x for x in declaration.split("\n") if not x.startswith("@"))
            said = _DECLARED_KIND.search(undecorated.split("(")[0])
            kind = said.group(1) if said else None
        found[name] = ApiEntry(name, level, kind, declaration, doc.strip("\n"),
                               kind_line["cite"], None, body)  # fmt: skip
    return found


CITATION = re.compile(r"`(?P<path>[^`\s]+):(?P<line>\d+)`")
