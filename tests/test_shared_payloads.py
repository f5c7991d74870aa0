"""Payloads shared with worker processes read back the same bytes, inline or from shared memory."""

from __future__ import annotations

import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from multiprocessing.shared_memory import SharedMemory

import pytest

from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import render
from docsgen.generator.engine.analysis_store import (
    ANALYSIS_PART,
    FACET_PARTS,
    REFERENCE_PART,
    SUMMARY_PART,
    decode_facet,
    decode_reference,
    encode,
    whole_analysis_not_kept,
)
from docsgen.generator.engine.encoded import Encoded
from docsgen.generator.engine.run import only_parts, parts_read
from docsgen.generator.engine.shm import MIN_SHARED_BYTES, Payloads, share
from docsgen.generator.model import FileInfo
from tests.support.generation import pool
from tests.support.snapshots import model_of

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


def test_only_the_parts_the_sections_to_build_read_are_shared() -> None:
    analysis = analyse_source("app.py", b'import os\nPORT = os.environ.get("PORT", "8080")\n')
    value = encode(analysis, render(analysis))

    assert parts_read(["api_reference"]) == {REFERENCE_PART, SUMMARY_PART, FACET_PARTS["surface"]}
    assert parts_read(["configuration", "architecture"]) == {
        FACET_PARTS["env"],
        FACET_PARTS["graph"],
    }
    assert parts_read(["structure"]) == set()
    # The Overview ranks the key concepts from the public surface and quotes their entries.
    assert parts_read(["overview"]) == {REFERENCE_PART, SUMMARY_PART, FACET_PARTS["surface"]}

    kept = only_parts(value, parts_read(["api_reference", "configuration"]))
    assert len(kept) < len(value)
    encoded = Encoded({"app.py": "k"}, {"app.py": kept}, REFERENCE_PART, decode_reference)
    assert encoded["app.py"] == render(analysis)
    env = encoded.with_part(FACET_PARTS["env"], decode_facet)["app.py"]
    assert [read.name for read in env.env_reads] == ["PORT"]
    with pytest.raises(LookupError):  # the whole analysis is not there to be read
        Encoded({"app.py": "k"}, {"app.py": kept}, ANALYSIS_PART, whole_analysis_not_kept)["app.py"]


def test_a_model_pickles_to_the_same_model_with_its_files_in_columns() -> None:
    model = model_of({"pkg/__init__.py": "", "pkg/a.py": "X = 1\n", "logo.png": b"\x89PNG\0"})
    copy = pickle.loads(pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == model
    assert [type(f) for f in copy.files] == [FileInfo] * 3
    empty = replace(model, files=[])
    assert pickle.loads(pickle.dumps(empty)).files == []
