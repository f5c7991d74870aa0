"""Per-file results that travel encoded and are decoded where, and when, they are read.

The model crosses to a worker for every section; keeping each file's results
as the bytes the cache stores makes that crossing a copy of bytes, not a
pickle of thousands of objects.  A worker decodes a file's value on first
read and remembers it by its content key, within a memory budget, so the
sections of a run and the next run's sections (for files that did not
change) decode nothing twice.  The same memo keeps what the pipeline works
out from a file's content alone (its scan, its facet digests): a value
derived from content is the same for as long as the content is.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from threading import Lock
from typing import Any, Generic, TypeVar

T = TypeVar("T")
U = TypeVar("U")

SEPARATOR = b"\n"  # between the parts of a value (JSON never holds a raw newline)


def compact_json(value: object) -> bytes:
    """JSON as encoded values hold it: compact, UTF-8, on one line."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


MEMO_BUDGET_BYTES = 32 * 1024 * 1024  # encoded bytes whose decoded values a process keeps

# (content key, part) -> (decoded value, encoded size); least recently used first.
# A part is a line of a cached value (an int) or the name of what was derived (a str).
_memo: OrderedDict[tuple[str, int | str], tuple[Any, int]] = OrderedDict()
_memo_bytes = 0
_memo_lock = Lock()  # the pipeline's scan runs in a thread while the loop reads the memo


def remember(key: str, part: int | str, value: object, size: int) -> None:
    """Keep a decoded value for ``key`` (an empty key is never remembered)."""
    global _memo_bytes
    with _memo_lock:
        if not key or (key, part) in _memo:
            return
        _memo[(key, part)] = (value, size)
        _memo_bytes += size
        while _memo_bytes > MEMO_BUDGET_BYTES and _memo:
            _, (_, dropped) = _memo.popitem(last=False)
            _memo_bytes -= dropped


def forget() -> None:
    """Drop everything remembered: the next reads decode and derive anew, as a new process."""
    global _memo_bytes
    with _memo_lock:
        _memo.clear()
        _memo_bytes = 0


def recall(key: str, part: int | str) -> Any | None:
    """What was remembered for ``key`` and ``part``, or None."""
    if not key:
        return None
    with _memo_lock:
        found = _memo.get((key, part))
        if found is None:
            return None
        _memo.move_to_end((key, part))
        return found[0]


def _part(data: bytes, part: int) -> bytes:
    start = 0
    for _ in range(part):
        start = data.index(SEPARATOR, start) + 1
    end = data.find(SEPARATOR, start)
    return data[start:] if end == -1 else data[start:end]


class Encoded(Mapping[str, T], Generic[T]):
    """A read-only mapping path -> value, from each path's content key and encoded bytes."""

    def __init__(
        self,
        keys: Mapping[str, str],
        payloads: Mapping[str, bytes],
        part: int,
        decoder: Callable[[bytes], T],
    ) -> None:
        self._items = keys  # path -> content key ("" when the content has none)
        self._payloads = payloads  # path -> encoded value (possibly in shared memory)
        self._part = part
        self._decoder = decoder  # a module-level function, so the mapping pickles

    def __getitem__(self, path: str) -> T:
        key = self._items[path]
        found: T | None = recall(key, self._part)
        if found is not None:
            return found
        raw = _part(self._payloads[path], self._part)
        decoded = self._decoder(raw)
        remember(key, self._part, decoded, len(raw))
        return decoded

    def content_key(self, path: str) -> str:
        """The content key of ``path``'s value ("" when its content has none)."""
        return self._items[path]

    def __contains__(self, path: object) -> bool:
        return path in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Encoded, (self._items, self._payloads, self._part, self._decoder))

    def with_part(self, part: int, decoder: Callable[[bytes], U]) -> Encoded[U]:
        """Another part of the same encoded values."""
        return Encoded(self._items, self._payloads, part, decoder)
