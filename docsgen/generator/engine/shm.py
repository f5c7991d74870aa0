"""Bytes that many worker tasks read, placed once in shared memory instead of pickled per task.

Every section task reads the files' encoded results, and the grounding tasks
read the cited files: pickling megabytes into each task's pipe costs more
than building a small section.  ``share`` writes them once into a shared
memory block for the duration of a run; what crosses to the workers is a
small handle (``Payloads``) that reads from the block.  When the block
cannot be made (no room in ``/dev/shm``, no shared memory on the platform) or
the payload is small, the bytes simply travel inline, pickled as before.
"""

from __future__ import annotations

import logging
import mmap
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

# What multiprocessing.shared_memory opens blocks with on POSIX.
try:
    import _posixshmem  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - not POSIX: payloads travel inline
    _posixshmem = None

if TYPE_CHECKING:
    from multiprocessing.shared_memory import SharedMemory

log = logging.getLogger(__name__)

MIN_SHARED_BYTES = 256 * 1024  # smaller payloads are pickled with the task
_SHM_DIR = "/dev/shm"
_SHM_SPARE = 16 * 1024 * 1024  # left free in /dev/shm for everyone else


class Payloads(Mapping[str, bytes]):
    """Read-only bytes by key, from a shared block (``block`` set) or carried inline.

    A copy in another process opens the block on its first read and keeps it
    open until ``close``: a worker closes what it read as each task ends.
    """

    def __init__(
        self,
        block: str | None,
        index: Mapping[str, tuple[int, int]],
        inline: Mapping[str, bytes] | None = None,
        token: str = "",
    ) -> None:
        self._block = block
        self._index = index
        self._inline = inline or {}
        self.token = token or os.urandom(16).hex()  # names this payload, whatever its home
        self._view: mmap.mmap | None = None  # this process's view of the block, while open

    def __getitem__(self, key: str) -> bytes:
        if self._block is None:
            return self._inline[key]
        offset, length = self._index[key]
        view = self._view
        if view is None:
            view = self._view = _open(self._block)
        return view[offset : offset + length]

    def close(self) -> None:
        """Let go of this process's view of the block (a later read opens it again).

        A block's pages stay in the memory of every process that has it open, even
        after its maker unlinked it: a worker that kept the blocks of a finished run
        would carry them into the next one.
        """
        view, self._view = self._view, None
        if view is not None:
            view.close()

    def __contains__(self, key: object) -> bool:
        return key in (self._index if self._block is not None else self._inline)

    def __iter__(self) -> Iterator[str]:
        return iter(self._index if self._block is not None else self._inline)

    def __len__(self) -> int:
        return len(self._index if self._block is not None else self._inline)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Payloads, (self._block, self._index, self._inline, self.token))

    def __eq__(self, other: object) -> bool:
        """The same payload: made by the same ``share`` (copies in workers included)."""
        if not isinstance(other, Payloads):
            return NotImplemented
        return self.token == other.token

    def __hash__(self) -> int:
        return hash(self.token)


def _open(name: str) -> mmap.mmap:
    """A read-only view of a block.

    Opened directly, not as a ``SharedMemory``: that module imports ``secrets``,
    hence OpenSSL (see ``docsgen.generator.digest``), and registers every
    block a reader opens with the resource tracker, which only the block's maker needs.
    """
    assert _posixshmem is not None  # blocks are only made where it exists
    fd = _posixshmem.shm_open("/" + name, os.O_RDONLY, mode=0o600)
    try:
        return mmap.mmap(fd, os.fstat(fd).st_size, access=mmap.ACCESS_READ)
    finally:
        os.close(fd)


def _room(size: int) -> bool:
    """Whether /dev/shm (where Linux keeps shared memory) can take ``size`` more bytes.

    Writing to a block that the file system cannot back kills the process with
    SIGBUS, so a payload is shared only with ample room to spare (containers
    often give /dev/shm only 64 MiB).
    """
    try:
        stats = os.statvfs(_SHM_DIR)
    except OSError:
        return os.name == "posix" and not os.path.isdir("/proc")  # not Linux: no such limit
    return stats.f_bavail * stats.f_frsize >= 2 * size + _SHM_SPARE


def _create(size: int) -> SharedMemory | None:
    if _posixshmem is None:
        return None
    if not _room(size):
        log.info("not enough room in %s for %d bytes; pickling them instead", _SHM_DIR, size)
        return None
    from multiprocessing.shared_memory import SharedMemory  # the maker's side only

    try:
        return SharedMemory(create=True, size=size)
    except OSError as exc:
        log.info("no shared memory for %d bytes (%s); pickling them instead", size, exc)
        return None


@contextmanager
def share(items: Mapping[str, bytes], *, always: bool = False) -> Iterator[Payloads]:
    """``items`` as ``Payloads`` that cross to workers cheaply, for the ``with`` block.

    Small payloads travel inline unless ``always``: a payload read by many tasks
    is worth a block however small.
    """
    size = sum(len(v) for v in items.values())
    block = _create(size) if size and (always or size >= MIN_SHARED_BYTES) else None
    if block is None:
        yield Payloads(None, {}, dict(items))
        return
    payloads: Payloads | None = None
    try:
        index: dict[str, tuple[int, int]] = {}
        offset = 0
        view = block.buf
        assert view is not None
        for key, value in items.items():
            view[offset : offset + len(value)] = value
            index[key] = (offset, len(value))
            offset += len(value)
        del view
        payloads = Payloads(block.name, index)
        yield payloads
    finally:
        if payloads is not None:  # this process may have read it too
            payloads.close()
        block.close()
        block.unlink()
