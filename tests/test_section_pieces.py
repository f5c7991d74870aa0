"""The API Reference is written in pieces, one per module; a regeneration writes only changed ones."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from docsgen.generator.analysis import analyse_source
from docsgen.generator.api_entries import FileReference, render
from docsgen.generator.engine.analysis_store import (
    ANALYSIS_PART,
    REFERENCE_PART,
    SUMMARY_PART,
    analysis_key,
    decode_reference,
    decode_summary,
    encode,
    whole_analysis_not_kept,
)
from docsgen.generator.engine.encoded import Encoded
from docsgen.generator.engine.held_pieces import HeldPieces, filled_in, write_pieces
from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.restrict import restrict
from docsgen.generator.engine.run import Engine
from docsgen.generator.markdown import Piece
from docsgen.generator.model import RepositoryModel, assemble_model, scan
from docsgen.generator.pages import paginate
from docsgen.generator.sections import SectionResult, api_reference
from docsgen.generator.sections.base import assemble
from docsgen.snapshot import Snapshot
from tests.support.generation import document, fetch, no_progress, polyglot_repo, pool, section
from tests.support.gitrepo import commit
from tests.support.snapshots import snapshot_of

__all__ = ["pool"]

FILES = {
    "pkg/__init__.py": '"""The package."""\n',
    "pkg/shapes.py": '"""Shapes."""\n\n\ndef area(side: float) -> float:\n    """Square area."""\n',
    "pkg/colours.py": '"""Colours."""\n\nRED = "#f00"\n\n\nclass Paint:\n    pass\n',
}


def encoded_model(
    snapshot: Snapshot,
    decoder: Callable[[bytes], FileReference] = decode_reference,
    memo: Memo | None = None,
) -> RepositoryModel:
    """A model whose analyses travel encoded under content keys, as the engine makes it
    (its decoded values remembered in ``memo``, as a worker's are)."""
    scanned = scan(snapshot)
    keys, values = {}, {}
    for f in scanned.to_analyse:
        analysis = analyse_source(f.path, f.data or b"")
        keys[f.path] = analysis_key(f.path, f.blob_sha)
        values[f.path] = encode(analysis, render(analysis))
    model = assemble_model(
        snapshot,
        scanned,
        Encoded(keys, values, ANALYSIS_PART, whole_analysis_not_kept, memo),
        Encoded(keys, values, REFERENCE_PART, decoder, memo),
        Encoded(keys, values, SUMMARY_PART, decode_summary, memo),
        keys,
    )
    return restrict(model, api_reference.SECTION.inputs)  # as the section is handed it


def build_pieces(model: RepositoryModel, known: list[str]) -> list[Piece]:
    """The API Reference's pieces as a worker writes them, ``known`` ones held back."""
    return write_pieces(api_reference.plan_pieces(model), known)


def test_only_the_modules_written_have_their_files_entries_decoded() -> None:
    decoded: list[str] = []

    def counted(raw: bytes) -> FileReference:
        reference = decode_reference(raw)
        decoded.append(reference.path)
        return reference

    model = encoded_model(snapshot_of(FILES), counted, Memo())
    written = build_pieces(model, [])
    assert sorted(decoded) == sorted(FILES)
    shapes = [p.key for p in written[1:] if "pkg.shapes" in "".join(p.parts or ())]
    assert len(shapes) == 1

    decoded.clear()
    model = encoded_model(snapshot_of(FILES), counted, Memo())  # a worker that decoded nothing
    others = [p.key for p in written[1:] if p.key not in shapes and p.key]
    again = build_pieces(model, others)
    assert decoded == ["pkg/shapes.py"]  # the opening and the grouping read summaries only
    assert [p.key for p in again] == [p.key for p in written]
    assert again[0] == written[0]


def test_pieces_held_by_the_caller_are_skipped_and_put_back_the_same() -> None:
    model = encoded_model(snapshot_of(FILES))
    written = build_pieces(model, [])
    assert written[0].key is None  # the opening is always written: it counts every module
    modules = written[1:]
    assert len(modules) == 3 and all(p.key and p.parts for p in modules)
    assert len({p.key for p in modules}) == 3

    held = {p.key: p for p in modules if p.key}
    again = build_pieces(model, list(held))
    assert [p.key for p in again] == [p.key for p in written]
    assert [p.parts for p in again[1:]] == [None, None, None]

    together = HeldPieces(Memo()).put_together(
        "test\0held", "API Reference", filled_in(again, held)
    )
    assert together == api_reference.build(model)


def test_a_changed_file_changes_only_its_module_piece_and_links_change_them_all() -> None:
    before = build_pieces(encoded_model(snapshot_of(FILES)), [])
    changed = {**FILES, "pkg/shapes.py": FILES["pkg/shapes.py"] + "\n\ndef cube(n): ...\n"}
    after = build_pieces(encoded_model(snapshot_of(changed)), [])
    kept = {p.key for p in before[1:]} & {p.key for p in after[1:]}
    assert len(kept) == 2  # pkg and pkg.colours; pkg.shapes is a new piece

    linked = replace(snapshot_of(FILES), source_url_template="https://x/{path}#L{line}")
    with_links = build_pieces(encoded_model(linked), [])
    assert not {p.key for p in with_links[1:]} & {p.key for p in before[1:]}
    assert "](https://x/pkg/shapes.py#L4)" in "".join(with_links[3].parts or ())


def test_without_content_keys_every_piece_is_written() -> None:
    from tests.support.snapshots import model_of

    written = build_pieces(model_of(FILES), ["anything"])
    assert all(p.key is None and p.parts is not None for p in written)


def test_a_piece_the_worker_did_not_write_and_the_caller_does_not_hold_fails_loudly() -> None:
    model = encoded_model(snapshot_of(FILES))
    written = build_pieces(model, [])
    missing = [written[0], Piece(written[1].key, None), *written[2:]]
    with pytest.raises(KeyError):
        HeldPieces(Memo()).put_together("test\0missing", "API Reference", filled_in(missing, {}))


async def test_a_regeneration_writes_only_the_changed_module_and_matches_a_cold_run(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    engine = Engine(pool)
    first = await document(await fetch(repo), engine)
    lineage = "api_reference\0local\0polyglot"
    held_before = engine.pieces.held(lineage)
    assert len(held_before) >= 5

    path = "shapes/circle.py"
    commit(repo, {path: (repo / path).read_text() + "\n\ndef diameter(r):\n    return 2 * r\n"})
    snapshot = await fetch(repo)
    again = await document(snapshot, engine)
    held_after = engine.pieces.held(lineage)
    # The pieces written from the changed file are new: its module's, and the package's
    # that re-exports from it; the others are the very objects held before.
    new = set(held_after) - set(held_before)
    assert len(new) == 2
    assert all(held_after[k] is held_before[k] for k in set(held_after) - new)
    assert "diameter(r)" in section(again, "API Reference")

    cold = await document(snapshot, Engine(pool))  # a new process: nothing held
    assert again.content == cold.content != first.content
    # The pages too: the changed module's cut anew, the others' remembered.
    assert again.pages == cold.pages != first.pages


async def test_each_section_is_told_as_soon_as_it_is_built(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    snapshot = await fetch(polyglot_repo(tmp_path))
    told: dict[str, tuple[SectionResult, Sequence[Piece] | None]] = {}
    async with Engine(pool).run(snapshot) as run:
        analysed = await run.analyse(await run.scan())
        built = await run.build_sections(
            analysed, no_progress, ready=lambda s, pieces: told.update({s.title: (s, pieces)})
        )
    sections = built.applying()
    assert "API Reference" in [s.title for s in sections]
    # Every section is told, the very one the run gives; the API Reference with the
    # pieces it was put together from, the others with none.
    assert all(told[s.title][0] is s for s in sections)
    pieces = told["API Reference"][1]
    assert pieces is not None
    assert assemble("API Reference", pieces) == told["API Reference"][0]
    assert all(told[s.title][1] is None for s in sections if s.title != "API Reference")
    # Cut from the pieces, the pages are those cut from the whole text.
    memo = Memo()
    assert paginate(sections, memo, pieces) == paginate(sections)
    assert paginate(sections, memo, pieces) == paginate(sections)  # remembered, the same
