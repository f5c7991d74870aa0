"""Per-file results that travel encoded and are decoded where, and when, they are read.

The model crosses to a worker for every section; keeping each file's results
as the bytes the store keeps makes that crossing a copy of bytes, not a
pickle of thousands of objects.  A worker decodes a file's value on first
read and remembers it in its memo by the file's content key, so the sections
of a run and the next run's sections (for files that did not change) decode
nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Generic, TypeVar

from docsgen.generator.analysis.file_analysis import fields_of
from docsgen.generator.engine.memo import Memo

T = TypeVar("T")
U = TypeVar("U")

SEPARATOR = b"\n"  # between the parts of a value (JSON never holds a raw newline)


def compact_json(value: object) -> bytes:
    """JSON as encoded values hold it: compact, UTF-8, on one line; a dataclass as the
    object of its fields."""
    return _ENCODER.encode(value).encode()


# Made once: ``json.dumps`` with arguments makes an encoder at every call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=fields_of)


def value_part(data: bytes, part: int) -> bytes:
    """The ``part``-th line of an encoded value."""
    start = 0
    for _ in range(part):
        start = data.index(SEPARATOR, start) + 1
    end = data.find(SEPARATOR, start)
    return data[start:] if end == -1 else data[start:end]


class Encoded(Mapping[str, T], Generic[T]):
    """A read-only mapping path -> value, from each path's content key and encoded bytes.

    Decoded values are remembered in ``memo`` (none: decoded at every read).  A
    memo belongs to a process: a pickled mapping leaves it behind, and the
    process that reads the copy gives it its own (``remembered_in``).
    """

    def __init__(
        self,
        keys: Mapping[str, str],
        payloads: Mapping[str, bytes],
        part: int,
        decoder: Callable[[bytes], T],
        memo: Memo | None = None,
    ) -> None:
        self._items = keys  # path -> content key ("" when the content has none)
        self.payloads = payloads  # path -> encoded value (possibly in shared memory)
        self._part = part
        self._decoder = decoder  # a module-level function, so the mapping pickles
        self._memo = memo

    def __getitem__(self, path: str) -> T:
        key = self._items[path]
        memo = self._memo
        if memo is not None:
            found: T | None = memo.recall(key, self._part)
            if found is not None:
                return found
        raw = value_part(self.payloads[path], self._part)
        decoded = self._decoder(raw)
        if memo is not None:
            memo.remember(key, self._part, decoded, len(raw))
        return decoded

    def content_keys(self) -> Mapping[str, str]:
        """Each path's content key ("" when its content has none)."""
        return self._items

    def __contains__(self, path: object) -> bool:
        return path in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Encoded, (self._items, self.payloads, self._part, self._decoder))

    def with_part(self, part: int, decoder: Callable[[bytes], U]) -> Encoded[U]:
        """Another part of the same encoded values, remembered in the same memo."""
        return Encoded(self._items, self.payloads, part, decoder, self._memo)

    def remembered_in(self, memo: Memo) -> Encoded[T]:
        """The same mapping, its decoded values remembered in ``memo``."""
        return Encoded(self._items, self.payloads, self._part, self._decoder, memo)
