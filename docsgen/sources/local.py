"""Local git checkouts: the files git tracks at HEAD, read through git itself.

Repository code is never executed: only plumbing commands that run no hooks,
filters or fsmonitor are used, with the user's and system's git config ignored.
Every run checks again that the repository's git data lies inside the allowed
roots (``docsgen.sources.git_location``) and pins git to the checked folders.
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
from docsgen.sources.base import Head, SourceLimits, file_with_odd_name, name_is_utf8
from docsgen.sources.git_location import (
    GitFailed,
    GitLocation,
    git_argv,
    inside,
    locate,
    resolved,
    run_git,
)

_READ_BYTES = 1024 * 1024  # git output is read in pieces this large


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
    if not inside(path, roots):
        raise SourceUnreadable(
            f"Local repository path {raw} is outside the allowed folders: "
            + ", ".join(str(r) for r in roots)
            + " (add its folder to DOCSGEN_LOCAL_ROOTS, ':'-separated, to allow it)"
        )
    return resolved(path)


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
        self.location: GitLocation | None = None  # set by _head, once checked

    async def _git(self, *args: str) -> bytes:
        """git's output for ``args``, run on the checked repository (after ``_head``)."""
        assert self.location is not None, "the repository is located by _head() first"
        return await run_git(*args, env=self.location.env(), cwd=self.location.cwd)

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
        self.location = await locate(self.path, self.roots)
        try:
            return (
                (await self._git("rev-parse", "--verify", "-q", "HEAD^{commit}")).decode().strip()
            )
        except GitFailed:
            raise RepositoryEmpty() from None

    async def head_since(self, documented: str) -> Head:
        """HEAD, and how many commits it has that ``documented`` lacks (``git rev-list``)."""
        head = await self._head()
        if head == documented:
            return Head(head, 0)
        try:
            count = await self._git("rev-list", "--count", f"{documented}..{head}", "--")
        except GitFailed:
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
        readable = {e.path for e in entries if name_is_utf8(e.path)}
        wanted = [e for e in entries if e.size <= self.limits.max_file_bytes and e.path in readable]
        blobs = await self._cat_file(list(dict.fromkeys(e.sha for e in wanted)))
        files = []
        limit = human_size(self.limits.max_file_bytes)
        for e in entries:
            if e.path not in readable:
                files.append(file_with_odd_name(e.path, e.size, e.sha))
            elif e.sha not in blobs:
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
        assert self.location is not None, "the repository is located by _head() first"
        proc = await asyncio.create_subprocess_exec(
            *git_argv("cat-file", "--batch"),
            cwd=self.location.cwd,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=self.location.env(),
        )
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
            raise GitFailed(err.decode(errors="replace").strip() or "git cat-file stopped early")
        if code != 0:
            raise GitFailed(err.decode(errors="replace").strip())
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
