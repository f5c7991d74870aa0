"""Built sections and citation checks as the derived cache stores them, read back unchanged."""

from __future__ import annotations

import pickle

import pytest

from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.section_store import (
    check_key,
    decode_failures,
    decode_section,
    encode_failures,
    encode_pieces,
    encode_section,
    pieces_named,
)
from docsgen.generator.markdown import Citation, Piece, join_parts
from docsgen.generator.sections.base import SectionResult, assemble

SECTION = SectionResult(
    "API Reference",
    "api-reference",
    "Lines\nwith ⚠️, a NUL \x00 and \\n escapes\n",
    ("a warning", "another"),
    (Citation("pkg/a.py", 3, "f"), Citation("pkg/ü b.py", 1), Citation("pkg/a.py", 9, "g")),
)


def test_a_section_reads_back_the_same() -> None:
    assert decode_section(encode_section(True, SECTION)) == (True, SECTION)
    assert decode_section(encode_section(False, None)) == (False, None)


PIECES = [
    Piece(None, ("The opening.\n", "", "> ⚠️ one file was skipped"), (), ("one file was skipped",)),
    Piece("k1", ("### `pkg.a`\n\n- **function** `f()` — [a](x) \x00",), SECTION.citations[:1]),
    Piece("k2", ("\n\n", "  \n"), ()),  # nothing but blank lines: dropped when joined
    Piece("k3", ("### `pkg.ü b`\n", "- one\n- two"), SECTION.citations[1:], ("w1", "w2")),
]


def test_a_section_written_in_pieces_reads_back_as_its_pieces_put_together() -> None:
    value, stored = encode_pieces("API Reference", PIECES, Memo())
    assert pieces_named(value) == list(stored) and len(stored) == len(PIECES)
    assert pieces_named(encode_section(True, SECTION)) == []  # stored whole
    assert len(value) < 400  # the list of pieces, not the pieces
    assert decode_section(value, stored) == (True, assemble("API Reference", PIECES))
    missing = dict(stored)
    del missing[pieces_named(value)[2]]
    with pytest.raises(KeyError):
        decode_section(value, missing)


def test_a_changed_piece_is_stored_under_a_new_key_the_others_under_theirs() -> None:
    value, stored = encode_pieces("API Reference", PIECES, Memo())
    changed = [*PIECES[:3], Piece("k3b", ("### `pkg.ü b`\n", "- one"), (), ())]
    again, stored_again = encode_pieces("API Reference", changed, Memo())
    assert pieces_named(again)[:3] == pieces_named(value)[:3]
    assert pieces_named(again)[3] not in stored
    assert decode_section(again, {**stored, **stored_again})[1] == assemble(
        "API Reference", changed
    )


def test_a_piece_encoded_once_is_not_encoded_again() -> None:
    memo = Memo()
    encoded = encode_pieces("API Reference", PIECES, memo)
    # The pieces a regeneration holds come filled in; their encoding is remembered.
    held = [PIECES[0], Piece("k1", None), Piece("k2", None), Piece("k3", None)]
    assert encode_pieces("API Reference", held, memo) == encoded
    with pytest.raises(ValueError):  # a process that remembers nothing
        encode_pieces("API Reference", held, Memo())


def test_a_section_pickles_to_the_same_section() -> None:
    copy = pickle.loads(pickle.dumps(SECTION, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == SECTION
    assert all(type(c) is Citation for c in copy.citations)
    empty = SectionResult("Overview", "overview", "text\n")
    assert pickle.loads(pickle.dumps(empty)) == empty


def test_a_citation_check_reads_back_and_its_key_names_content_and_citations() -> None:
    failures = [(Citation("a.py", 3, "f"), "line 3 does not mention `f`")]
    assert decode_failures("a.py", encode_failures(failures)) == failures
    cited = [Citation("a.py", 3, "f")]
    key = check_key("a.py", "blob:1", cited)
    assert key == check_key("a.py", "blob:1", list(cited))
    assert key != check_key("a.py", "blob:2", cited)
    assert key != check_key("a.py", "blob:1", [Citation("a.py", 4, "f")])
    assert key != check_key("b.py", "blob:1", [Citation("b.py", 3, "f")])


def test_parts_join_with_blank_lines_between_and_one_final_line_end() -> None:
    assert join_parts([]) == "\n"
    assert join_parts(["", "  \n", "\n"]) == "\n"  # nothing but blank parts
    assert join_parts(["\na\n", "", "b", " \n", "c\n\n"]) == "a\n\nb\n\nc\n"
    assert join_parts(["  x  "]) == "  x  \n"  # only line ends are trimmed
