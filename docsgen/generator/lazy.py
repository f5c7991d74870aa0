"""Per-file results that travel encoded and are decoded where, and when, they are read.

The model crosses to a worker for every section; keeping each file's results
as the bytes the cache stores makes that crossing a copy of bytes, not a
pickle of thousands of objects.  A worker decodes a file's value on first
read and remembers it by its content key, within a memory budget, so the
sections of a run and the next run's sections (for files that did not
change) decode nothing twice.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import suppress
from typing import Any, Generic, TypeVar

T = TypeVar("T")

SEPARATOR = b"\n"  # between the parts of a value (JSON never holds a raw newline)
MEMO_BUDGET_BYTES = 32 * 1024 * 1024  # encoded bytes whose decoded values a process keeps

# (content key, part) -> (decoded value, encoded size); least recently used first.
_memo: OrderedDict[tuple[str, int], tuple[Any, int]] = OrderedDict()
_memo_bytes = 0


def remember(key: str, part: int, value: object, size: int) -> None:
    """Keep a decoded value for ``key`` (an empty key is never remembered)."""
    global _memo_bytes
    if not key or (key, part) in _memo:
        return
    _memo[(key, part)] = (value, size)
    _memo_bytes += size
    while _memo_bytes > MEMO_BUDGET_BYTES and _memo:
        _, (_, dropped) = _memo.popitem(last=False)
        _memo_bytes -= dropped


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
        found = _memo.get((key, self._part)) if key else None
        if found is not None:
            with suppress(KeyError):  # another thread (thread pools) may just have evicted it
                _memo.move_to_end((key, self._part))
            value: T = found[0]
            return value
        raw = _part(self._payloads[path], self._part)
        decoded = self._decoder(raw)
        remember(key, self._part, decoded, len(raw))
        return decoded

    def __contains__(self, path: object) -> bool:
        return path in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Encoded, (self._items, self._payloads, self._part, self._decoder))
