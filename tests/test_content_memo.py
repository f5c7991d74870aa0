"""What the pipeline works out from a file's content alone is remembered by that content."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import render
from docsgen.generator.engine.analysis_store import MemoryAnalysisCache, encode
from docsgen.generator.model import scan
from docsgen.generator.pipeline import _facets
from docsgen.snapshot import Snapshot, SnapshotFile
from tests.support.generation import document, fetch, polyglot_repo, pool
from tests.support.snapshots import snapshot_of

__all__ = ["pool"]


def test_a_blob_scanned_before_is_not_scanned_again_and_a_changed_one_is() -> None:
    before = scan(snapshot_of({"pkg/a.py": "x = 1\n", "README.md": "# Demo\n"}))
    after = scan(snapshot_of({"pkg/a.py": "x = 1\ny = 2\nz = 3\n", "README.md": "# Demo\n"}))
    again = scan(snapshot_of({"pkg/a.py": "x = 1\n", "README.md": "# Demo\n"}))

    by_path = {f.path: f for f in before.files}
    changed = {f.path: f for f in after.files}
    # The same objects come back for unchanged blobs: nothing was read anew.
    assert changed["README.md"] is by_path["README.md"]
    assert {f.path: f for f in again.files}["pkg/a.py"] is by_path["pkg/a.py"]
    # A changed blob at the same path is scanned anew.
    assert by_path["pkg/a.py"].lines == 1 and changed["pkg/a.py"].lines == 3
    # Quoted texts and the files to analyse come out as on a first scan.
    assert after.texts == before.texts == {"README.md": "# Demo\n"}
    assert [f.data for f in after.to_analyse] == [b"x = 1\ny = 2\nz = 3\n"]


def test_a_file_without_a_blob_id_is_scanned_every_time() -> None:
    def snapshot(data: bytes) -> Snapshot:
        file = SnapshotFile("notes.txt", len(data), "", data)
        return Snapshot(name="demo", provider="local", commit_sha="c" * 40, files=(file,))

    assert scan(snapshot(b"one\n")).files[0].lines == 1
    assert scan(snapshot(b"one\ntwo\n")).files[0].lines == 2


def test_facet_digests_are_remembered_by_content_key_and_a_damaged_value_has_none() -> None:
    analysis = analyse_source("m.py", b'"""Doc."""\nimport os\nX = os.environ["X"]\n')
    value = encode(analysis, render(analysis))

    first = _facets({"m.py": "key-1"}, {"m.py": value})
    # The same key reads the remembered digests, whatever bytes come with it.
    assert _facets({"m.py": "key-1"}, {"m.py": b"damaged"})["m.py"] is first["m.py"]
    # A damaged value under a key never seen has no digests, and is not remembered.
    assert _facets({"m.py": "key-2"}, {"m.py": b"damaged"}) == {"m.py": {}}
    assert _facets({"m.py": "key-2"}, {"m.py": value}) == first


async def test_a_citation_check_this_process_made_is_not_asked_of_the_cache_again(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    snapshot = await fetch(repo)
    first, second = MemoryAnalysisCache(), MemoryAnalysisCache()
    await document(snapshot, pool, derived=first)
    checks = [v for v in first.entries.values() if v.startswith(b"[")]
    sections = [v for v in first.entries.values() if v.startswith(b'{"applies"')]
    pieces = [v for v in first.entries.values() if v.startswith(b'{"warnings"')]  # API Reference
    assert checks and pieces
    assert len(checks) + len(sections) + len(pieces) == len(first.entries)

    # A new, empty cache: the sections are built and stored again, the checks are not
    # even looked up: this process remembers their answers.
    await document(snapshot, pool, derived=second)
    assert sorted(second.entries.values()) == sorted(sections + pieces)
    assert second.misses == len(sections)
