"""What a process remembers between runs: values derived from content, by content key.

A key names everything its value is made from (a file's content key, a blob
and its path, a piece's inputs), so a remembered value is the one the work
would give, and a process that remembers nothing (a restart) only does the
work again.  Each process has one memo, owned by what runs there: the
``Engine`` in the process that runs the pipeline, the ``WorkerState`` in each
worker.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock
from typing import Any

MEMO_BUDGET_BYTES = 32 * 1024 * 1024  # encoded bytes whose decoded values a process keeps
# The process that runs the pipeline also keeps the last pages of each repository
# (``pages``), megabytes for a large one: it has twice the budget.
PIPELINE_MEMO_BUDGET_BYTES = 2 * MEMO_BUDGET_BYTES


class Memo:
    """Values by (content key, part), within a budget of bytes, least recently used first.

    A part is a line of a cached value (an int) or the name of what was derived
    (a str); ``size`` is what a value counts against the budget, roughly its
    encoded bytes.
    """

    def __init__(self, budget: int = MEMO_BUDGET_BYTES) -> None:
        self.budget = budget
        self._values: OrderedDict[tuple[str, int | str], tuple[Any, int]] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()  # the pipeline's scan runs in a thread while the loop reads the memo

    def remember(self, key: str, part: int | str, value: object, size: int) -> None:
        """Keep ``value`` for ``key`` and ``part`` (an empty key is never remembered)."""
        with self._lock:
            if not key or (key, part) in self._values:
                return
            self._values[(key, part)] = (value, size)
            self._bytes += size
            while self._bytes > self.budget and self._values:
                _, (_, dropped) = self._values.popitem(last=False)
                self._bytes -= dropped

    def recall(self, key: str, part: int | str) -> Any | None:
        """What was remembered for ``key`` and ``part``, or None."""
        if not key:
            return None
        with self._lock:
            found = self._values.get((key, part))
            if found is None:
                return None
            self._values.move_to_end((key, part))
            return found[0]
