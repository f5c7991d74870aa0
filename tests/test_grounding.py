"""The final check: citations that do not resolve are caught, marked and counted."""

from __future__ import annotations

from docsgen.generator.grounding import ground, ground_section, name_on_line, verify
from docsgen.generator.markdown import WARNING_SIGN, Citation, SectionWriter
from docsgen.generator.sections.base import SectionResult
from docsgen.snapshot import Snapshot, SnapshotFile

SOURCE = b'"""Mod."""\n\n\ndef greet(name):\n    return name\n'


def snapshot(url: str | None = None) -> Snapshot:
    files = (
        SnapshotFile("pkg/mod.py", len(SOURCE), "a" * 40, SOURCE),
        SnapshotFile("logo.png", 10, "b" * 40, None, "binary file"),
    )
    return Snapshot("repo", "local", "c" * 40, files, source_url_template=url)


def section_citing(snap: Snapshot, *citations: Citation) -> SectionResult:
    w = SectionWriter(snap)
    w.add("\n".join(f"- claim — {w.cite(c.path, c.line, c.name)}" for c in citations))
    return SectionResult("Claims", "claims", w.markdown(), tuple(w.warnings), tuple(w.citations))


def test_a_citation_whose_name_is_on_its_line_resolves() -> None:
    files = {"pkg/mod.py": SOURCE}
    assert verify([Citation("pkg/mod.py", 4, "greet"), Citation("pkg/mod.py", 1)], files) == []


def test_each_kind_of_broken_citation_fails_with_its_reason() -> None:
    files = {"pkg/mod.py": SOURCE}
    failures = dict(
        verify(
            [
                Citation("pkg/mod.py", 5, "greet"),  # the name is on another line
                Citation("pkg/mod.py", 99, "greet"),  # past the end of the file
                Citation("pkg/mod.py", 0),  # lines start at 1
                Citation("pkg/gone.py", 1),  # not in the snapshot
                Citation("logo.png", 1),  # in the snapshot, but never read
                Citation("pkg/mod.py", 4, "gree"),  # only part of a longer name
            ],
            files,
            unread={"logo.png"},
        )
    )
    assert failures == {
        Citation("pkg/mod.py", 5, "greet"): "line 5 does not mention `greet`",
        Citation("pkg/mod.py", 99, "greet"): "`pkg/mod.py` has 5 lines, not 99",
        Citation("pkg/mod.py", 0): "`pkg/mod.py` has 5 lines, not 0",
        Citation("pkg/gone.py", 1): "no file `pkg/gone.py` in the snapshot",
        Citation("logo.png", 1): "the content of `logo.png` was not read",
        Citation("pkg/mod.py", 4, "gree"): "line 4 does not mention `gree`",
    }


def test_names_must_appear_as_whole_words() -> None:
    assert name_on_line("greet", "def greet(name):")
    assert not name_on_line("greet", "def greeting(name):")
    assert not name_on_line("name", "def greet(names):")
    assert name_on_line("__init__", "    def __init__(self):")
    assert name_on_line("{b, c}", "function f(a, {b, c}) {")


def test_a_deliberately_broken_citation_is_marked_counted_and_dropped() -> None:
    snap = snapshot(url="https://example.test/blob/{path}#L{line}")
    good = Citation("pkg/mod.py", 4, "greet")
    broken = Citation("pkg/mod.py", 5, "greet")
    original = section_citing(snap, good, broken, good)
    [checked], ungrounded = ground([original], snap)

    assert [(u.section, u.citation, u.reason) for u in ungrounded] == [
        ("Claims", broken, "line 5 does not mention `greet`")
    ]
    assert checked.citations == (good, good)
    assert len(checked.warnings) == len(original.warnings) + 1
    assert "`pkg/mod.py:5`" in checked.warnings[-1]
    # The good citations keep their links; the broken one becomes a warning in place.
    assert checked.markdown.count("[`pkg/mod.py:4`](https://example.test/blob/pkg/mod.py#L4)") == 2
    assert "https://example.test/blob/pkg/mod.py#L5" not in checked.markdown
    assert (
        f"- claim — {WARNING_SIGN} `pkg/mod.py:5` (unverified: line 5 does not mention `greet`)"
        in checked.markdown
    )
    assert f"> {WARNING_SIGN} 1 citation(s) in this section could not be verified" in (
        checked.markdown
    )


def test_sections_whose_citations_all_resolve_are_left_as_they_are() -> None:
    snap = snapshot()
    original = section_citing(snap, Citation("pkg/mod.py", 4, "greet"))
    [checked], ungrounded = ground([original], snap)
    assert ungrounded == []
    assert checked == original


def test_a_section_is_checked_against_the_files_it_was_given_and_the_rest_is_left() -> None:
    snap = snapshot()
    good = Citation("pkg/mod.py", 4, "greet")
    broken = Citation("pkg/mod.py", 4, "absent")
    binary = Citation("logo.png", 1)
    elsewhere = Citation("LICENSE", 1)
    section = section_citing(snap, good, broken, binary, elsewhere)
    checked, ungrounded, unchecked = ground_section(
        section, {"pkg/mod.py": SOURCE}, {"logo.png"}, snap
    )
    assert [(u.citation, u.reason) for u in ungrounded] == [
        (broken, "line 4 does not mention `absent`"),
        (binary, "the content of `logo.png` was not read"),
    ]
    assert unchecked == [elsewhere]
    assert checked.citations == (good, elsewhere)
