"""Payloads shared with worker processes read back the same bytes, inline or from shared memory."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.shared_memory import SharedMemory

import pytest

from docsgen.generator.shared import MIN_SHARED_BYTES, Payloads, share
from tests.support.generation import pool

__all__ = ["pool"]


def read_all(payloads: Payloads) -> dict[str, bytes]:
    return {key: payloads[key] for key in payloads}


def test_small_payloads_travel_inline() -> None:
    items = {"a": b"one", "b": b""}
    with share(items) as payloads:
        assert read_all(pickle.loads(pickle.dumps(payloads))) == items
        assert len(pickle.dumps(payloads)) < 200


def test_large_payloads_are_read_by_workers_from_one_shared_block(
    pool: ProcessPoolExecutor,
) -> None:
    items = {f"file-{i}": bytes([i % 256]) * (MIN_SHARED_BYTES // 8) for i in range(16)}
    with share(items) as payloads:
        assert len(pickle.dumps(payloads)) < 2000  # the handle, not the bytes
        assert pool.submit(read_all, payloads).result() == items
        assert "file-3" in payloads and "other" not in payloads
        name = payloads._block
    assert name is not None
    with pytest.raises(FileNotFoundError):
        SharedMemory(name=name)  # released when the run is done with it
