"""Local git checkouts: the files git tracks at HEAD, read through git itself.

Repository code is never executed: only plumbing commands that run no hooks,
filters or fsmonitor are used, with the user's and system's git config ignored.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from docsgen.errors import RepositoryEmpty, SourceUnreadable, UpToDate
from docsgen.progress_schedule import (
    FETCHING_AUTH,
    FETCHING_METADATA,
    FETCHING_TREE,
    ProgressCallback,
)
from docsgen.snapshot import Snapshot, SnapshotFile, human_size, looks_binary
from docsgen.sources.base import Head, SourceLimits

_READ_BYTES = 1024 * 1024  # git output is read in pieces this large

_GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_OPTIONAL_LOCKS": "0",
    "LC_ALL": "C",
}


def is_under_roots(path: Path, roots: Sequence[Path]) -> bool:
    resolved = path.resolve()
    return any(resolved == root or resolved.is_relative_to(root) for root in roots)


def check_local_path(raw: str, roots: Sequence[Path]) -> Path:
    """Validate a path given by a user: absolute, inside a configured root, a folder.

    Raises ``SourceUnreadable`` with a message the user can act on.
    """
    path = Path(raw)
    if not path.is_absolute():
        raise SourceUnreadable(f"Local repository path must be absolute: {raw}")
    if not roots:
        raise SourceUnreadable(
            "Local repositories are disabled on this server (DOCSGEN_LOCAL_ROOTS is not set)"
        )
    if not is_under_roots(path, roots):
        raise SourceUnreadable(
            f"Local repository path {raw} is outside the allowed folders: "
            + ", ".join(str(r) for r in roots)
        )
    return path.resolve()


@dataclass(frozen=True)
class _TreeEntry:
    sha: str
    size: int
    path: str


class LocalSource:
    def __init__(
        self,
        path: Path,
        *,
        name: str,
        roots: Sequence[Path],
        limits: SourceLimits,
        skip_commit: str | None = None,
    ) -> None:
        self.path = path
        self.name = name
        self.roots = tuple(roots)
        self.limits = limits
        # The stored docs' commit: a HEAD equal to it raises UpToDate before any reading.
        self.skip_commit = skip_commit

    async def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        proc = await asyncio.create_subprocess_exec(
            "git", "-c", "core.fsmonitor=false", "-c", f"safe.directory={self.path}",
            "-C", str(self.path), *args,
            stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**_GIT_ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )  # fmt: skip
        out, err = await proc.communicate(stdin)
        if proc.returncode != 0:
            raise _GitFailed(err.decode(errors="replace").strip())
        return out

    async def fetch(self, progress: ProgressCallback) -> Snapshot:
        await progress(*FETCHING_METADATA)
        commit = await self._head()
        if commit == self.skip_commit:
            raise UpToDate(commit)

        await progress(*FETCHING_AUTH)
        if not os.access(self.path, os.R_OK | os.X_OK):
            raise SourceUnreadable(f"The service cannot read {self.path}")

        await progress(*FETCHING_TREE)
        entries = self._parse_tree(
            await self._git("ls-tree", "-r", "-l", "-z", "--full-tree", commit)
        )
        if not entries:
            raise RepositoryEmpty()
        self.limits.check(sum(e.size for e in entries), len(entries))
        files = await self._read_blobs(entries)
        return Snapshot(name=self.name, provider="local", commit_sha=commit, files=tuple(files))

    async def _head(self) -> str:
        """The checkout's HEAD commit, after checking the folder may and can be read."""
        check_local_path(str(self.path), self.roots)
        if not self.path.is_dir():
            raise SourceUnreadable(f"Local repository folder not found: {self.path}")
        try:
            await self._git("rev-parse", "--git-dir")
        except _GitFailed:
            raise SourceUnreadable(f"Not a git repository: {self.path}") from None
        try:
            return (
                (await self._git("rev-parse", "--verify", "-q", "HEAD^{commit}")).decode().strip()
            )
        except _GitFailed:
            raise RepositoryEmpty() from None

    async def head_since(self, documented: str) -> Head:
        """HEAD, and how many commits it has that ``documented`` lacks (``git rev-list``)."""
        head = await self._head()
        if head == documented:
            return Head(head, 0)
        try:
            count = await self._git("rev-list", "--count", f"{documented}..{head}", "--")
        except _GitFailed:
            return Head(head, None)  # history rewritten: the documented commit is gone
        return Head(head, int(count.decode().strip()))

    @staticmethod
    def _parse_tree(raw: bytes) -> list[_TreeEntry]:
        entries = []
        for record in raw.split(b"\0"):
            if not record:
                continue
            meta, _, path = record.partition(b"\t")
            mode, kind, sha, size = meta.split()
            # Only regular files: symlinks (120000) and submodules (commit) are not content.
            if kind != b"blob" or mode == b"120000":
                continue
            entries.append(
                _TreeEntry(sha.decode(), int(size), path.decode("utf-8", errors="surrogateescape"))
            )
        return entries

    async def _read_blobs(self, entries: list[_TreeEntry]) -> list[SnapshotFile]:
        wanted = [e for e in entries if e.size <= self.limits.max_file_bytes]
        blobs = await self._cat_file(list(dict.fromkeys(e.sha for e in wanted)))
        files = []
        limit = human_size(self.limits.max_file_bytes)
        for e in entries:
            if e.sha not in blobs:
                files.append(SnapshotFile(e.path, e.size, e.sha, None, f"larger than {limit}"))
            elif blobs[e.sha] is None:
                files.append(SnapshotFile(e.path, e.size, e.sha, None, "binary file"))
            else:
                files.append(SnapshotFile(e.path, e.size, e.sha, blobs[e.sha]))
        return files

    async def _cat_file(self, shas: list[str]) -> dict[str, bytes | None]:
        """Blob contents by SHA (None: binary, not kept), read one object at a time.

        Streaming keeps a single copy of the repository's text in memory, where
        reading git's whole output first would hold it twice.
        """
        if not shas:
            return {}
        proc = await asyncio.create_subprocess_exec(
            "git", "-c", "core.fsmonitor=false", "-c", f"safe.directory={self.path}",
            "-C", str(self.path), "cat-file", "--batch",
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env={**_GIT_ENV, "PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        )  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None

        async def feed(stdin: asyncio.StreamWriter) -> None:
            for start in range(0, len(shas), 1000):
                stdin.write("".join(f"{sha}\n" for sha in shas[start : start + 1000]).encode())
                await stdin.drain()
            stdin.close()

        feeder = asyncio.create_task(feed(proc.stdin))
        blobs: dict[str, bytes | None] = {}
        buffer = bytearray()
        complete = False
        try:
            while len(blobs) < len(shas):
                chunk = await proc.stdout.read(_READ_BYTES)
                if not chunk:
                    break  # git stopped early
                buffer += chunk
                consumed = self._parse_objects(buffer, blobs)
                if consumed < 0:  # "<sha> missing"
                    break
                del buffer[:consumed]
            else:
                complete = True
                await feeder
        finally:
            if not complete:
                feeder.cancel()
                proc.kill()
            err = await proc.stderr.read()
            code = await proc.wait()
        if not complete:
            raise _GitFailed(err.decode(errors="replace").strip() or "git cat-file stopped early")
        if code != 0:
            raise _GitFailed(err.decode(errors="replace").strip())
        return blobs

    @staticmethod
    def _parse_objects(buffer: bytearray, blobs: dict[str, bytes | None]) -> int:
        """Take the complete objects at the start of ``buffer``; return the bytes used.

        Each object is ``<sha> <type> <size>\\n<content>\\n``.  A binary blob is
        recorded as None: its content is not kept.
        """
        pos = 0
        with memoryview(buffer) as view:
            while True:
                end = buffer.find(b"\n", pos)
                if end == -1:
                    return pos
                header = buffer[pos:end].split()
                if len(header) != 3:
                    return -1
                size = int(header[2])
                start = end + 1
                if len(buffer) < start + size + 1:
                    return pos
                data = bytes(view[start : start + size])
                blobs[header[0].decode()] = None if looks_binary(data) else data
                pos = start + size + 1


class _GitFailed(Exception):
    """git exited non-zero; the message is its stderr."""
