"""Built sections and citation checks as the derived cache stores them, read back unchanged."""

from __future__ import annotations

import pickle

from docsgen.generator.markdown import Citation
from docsgen.generator.section_cache import (
    check_key,
    decode_failures,
    decode_section,
    encode_failures,
    encode_section,
)
from docsgen.generator.sections.base import SectionResult

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
