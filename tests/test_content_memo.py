"""What the pipeline works out from a file's content alone is remembered by that content."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import render
from docsgen.generator.engine.analysis_store import MemoryStore, encode
from docsgen.generator.engine.input_digests import facets_of
from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.run import Engine
from docsgen.generator.model import Scan
from docsgen.snapshot import Snapshot, SnapshotFile
from tests.support.generation import document, fetch, polyglot_repo, pool
from tests.support.snapshots import snapshot_of

__all__ = ["pool"]


async def scan(engine: Engine, snapshot: Snapshot) -> Scan:
    async with engine.run(snapshot) as run:
        return await run.scan()


async def test_a_blob_scanned_before_is_not_scanned_again_and_a_changed_one_is(
    pool: ProcessPoolExecutor,
) -> None:
    engine = Engine(pool)
    before = await scan(engine, snapshot_of({"pkg/a.py": "x = 1\n", "README.md": "# Demo\n"}))
    changed = {"pkg/a.py": "x = 1\ny = 2\nz = 3\n", "README.md": "# Demo\n"}
    after = await scan(engine, snapshot_of(changed))
    again = await scan(engine, snapshot_of({"pkg/a.py": "x = 1\n", "README.md": "# Demo\n"}))

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


async def test_a_file_without_a_blob_id_is_scanned_every_time(pool: ProcessPoolExecutor) -> None:
    def snapshot(data: bytes) -> Snapshot:
        file = SnapshotFile("notes.txt", len(data), "", data)
        return Snapshot(name="demo", provider="local", commit_sha="c" * 40, files=(file,))

    engine = Engine(pool)
    assert (await scan(engine, snapshot(b"one\n"))).files[0].lines == 1
    assert (await scan(engine, snapshot(b"one\ntwo\n"))).files[0].lines == 2


def test_facet_digests_are_remembered_by_content_key_and_a_damaged_value_has_none() -> None:
    analysis = analyse_source("m.py", b'"""Doc."""\nimport os\nX = os.environ["X"]\n')
    value = encode(analysis, render(analysis))

    memo = Memo()
    first = facets_of({"m.py": "key-1"}, {"m.py": value}, memo)
    # The same key reads the remembered digests, whatever bytes come with it.
    assert facets_of({"m.py": "key-1"}, {"m.py": b"damaged"}, memo)["m.py"] is first["m.py"]
    # A damaged value under a key never seen has no digests, and is not remembered.
    assert facets_of({"m.py": "key-2"}, {"m.py": b"damaged"}, memo) == {"m.py": {}}
    assert facets_of({"m.py": "key-2"}, {"m.py": value}, memo) == first


async def test_a_citation_check_this_process_made_is_not_asked_of_the_cache_again(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    snapshot = await fetch(repo)
    first, second = MemoryStore(), MemoryStore()
    engine = Engine(pool, sections=first)
    await document(snapshot, engine)
    checks = [v for v in first.entries.values() if v.startswith(b"[")]
    sections = [v for v in first.entries.values() if v.startswith(b'{"applies"')]
    pieces = [v for v in first.entries.values() if v.startswith(b'{"warnings"')]  # API Reference
    assert checks and pieces
    assert len(checks) + len(sections) + len(pieces) == len(first.entries)

    # A new, empty store: the sections are built and stored again, the checks are not
    # even looked up: this process remembers their answers.
    engine.sections = second
    await document(snapshot, engine)
    assert sorted(second.entries.values()) == sorted(sections + pieces)
    assert second.misses == len(sections)
