"""The final check: every citation of every section resolves against the snapshot.

A citation ``path:line`` (with the name it vouches for) is grounded when the
file is in the snapshot and was read, the line exists, and the name appears
on that line as a whole word.  Whatever fails is not silently dropped: the
citation is replaced in the Markdown by a ⚠️ saying why, it leaves the
section's citation list, and it counts as one of the section's warnings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docsgen.generator.analysis.source import decode_source, split_lines
from docsgen.generator.markdown import WARNING_SIGN, Citation, code, render_citation
from docsgen.generator.sections.base import SectionResult
from docsgen.snapshot import Snapshot


@dataclass(frozen=True)
class Ungrounded:
    """A citation the check could not resolve, and why."""

    section: str
    citation: Citation
    reason: str


_ASCII_WORD = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _word(char: str) -> bool:
    return char in _ASCII_WORD or (char > "\x7f" and char.isalnum())


def name_on_line(name: str, line: str) -> bool:
    """``name`` occurs in ``line`` and is not part of a longer identifier."""
    start = line.find(name)
    if start == -1 or not name:
        return start != -1 or not name
    check_start, check_end = _word(name[0]), _word(name[-1])
    size = len(name)
    while start != -1:
        end = start + size
        if (not check_start or start == 0 or not _word(line[start - 1])) and (
            not check_end or end == len(line) or not _word(line[end])
        ):
            return True
        start = line.find(name, start + 1)
    return False


def verify(
    citations: Iterable[Citation],
    contents: Mapping[str, bytes],
    unread: Collection[str] = (),
) -> list[tuple[Citation, str]]:
    """The citations that do not resolve, with the reason.

    ``contents`` holds the bytes of the cited files the snapshot read, ``unread``
    the cited paths it has without content (too large, binary); any other path
    is not in the snapshot.
    """
    by_path: dict[str, list[tuple[int, Citation]]] = {}
    for index, citation in enumerate(citations):
        by_path.setdefault(citation.path, []).append((index, citation))
    failures: list[tuple[int, Citation, str]] = []
    # One file's lines at a time: a large repository's text is never all split at once.
    for path, cited in by_path.items():
        lines = None
        if path in contents:
            lines = split_lines(decode_source(path, contents[path])[0])
        for index, citation in cited:
            reason = None
            if lines is None:
                if path in unread:
                    reason = f"the content of {code(path)} was not read"
                else:
                    reason = f"no file {code(path)} in the snapshot"
            elif not 1 <= citation.line <= len(lines):
                reason = f"{code(path)} has {len(lines)} lines, not {citation.line}"
            elif citation.name is not None and not name_on_line(
                citation.name, lines[citation.line - 1]
            ):
                reason = f"line {citation.line} does not mention {code(citation.name)}"
            if reason is not None:
                failures.append((index, citation, reason))
    failures.sort(key=lambda f: f[0])
    return [(citation, reason) for _, citation, reason in failures]


def mark(
    section: SectionResult, failures: Mapping[Citation, str], snapshot: Snapshot
) -> tuple[SectionResult, list[Ungrounded]]:
    """Replace the section's ungrounded citations by a ⚠️ with the reason."""
    found = [c for c in section.citations if c in failures]
    if not found:
        return section, []
    markdown = section.markdown
    # The k-th occurrence of a rendering belongs to the k-th citation rendered that way.
    by_rendering: dict[str, list[Citation]] = {}
    for citation in section.citations:
        by_rendering.setdefault(render_citation(snapshot, citation), []).append(citation)
    for rendering, cited in by_rendering.items():
        if not any(c in failures for c in cited):
            continue
        pieces = markdown.split(rendering)
        if len(pieces) - 1 != len(cited):  # cannot pair them up: mark every occurrence
            cited = [next(c for c in cited if c in failures)] * (len(pieces) - 1)
        out = [pieces[0]]
        for citation, piece in zip(cited, pieces[1:], strict=True):
            if citation in failures:
                # In place of the citation, so perhaps in a table cell: pipes escaped.
                marker = (
                    f"{WARNING_SIGN} {code(citation.label())} (unverified: {failures[citation]})"
                )
                out.append(marker.replace("|", "\\|"))
            else:
                out.append(rendering)
            out.append(piece)
        markdown = "".join(out)
    ungrounded = [Ungrounded(section.title, c, failures[c]) for c in dict.fromkeys(found)]
    note = (
        f"> {WARNING_SIGN} {len(ungrounded)} citation(s) in this section could not be "
        "verified against the code; they are marked where they appear."
    )
    return (
        replace(
            section,
            markdown=markdown.rstrip("\n") + "\n\n" + note + "\n",
            warnings=section.warnings
            + tuple(
                f"Unverified citation {code(u.citation.label())}: {u.reason}" for u in ungrounded
            ),
            citations=tuple(c for c in section.citations if c not in failures),
        ),
        ungrounded,
    )


def ground_section(
    section: SectionResult,
    contents: Mapping[str, bytes],
    unread: Collection[str],
    snapshot: Snapshot,
) -> tuple[SectionResult, list[Ungrounded], list[Citation]]:
    """Check a section's citations of the files in ``contents`` or ``unread``; mark failures.

    Citations of other paths come back unchecked, for a check against the whole
    snapshot (``snapshot`` here carries only its metadata, for the links).
    """
    cited = dict.fromkeys(section.citations)
    checkable = [c for c in cited if c.path in contents or c.path in unread]
    unchecked = [c for c in cited if not (c.path in contents or c.path in unread)]
    failures = dict(verify(checkable, contents, unread))
    marked, ungrounded = mark(section, failures, snapshot)
    return marked, ungrounded, unchecked


def ground(
    sections: Sequence[SectionResult], snapshot: Snapshot
) -> tuple[list[SectionResult], list[Ungrounded]]:
    """Check every citation of every section against ``snapshot`` in this process."""
    contents = {f.path: f.data for f in snapshot.files if f.data is not None}
    unread = {f.path for f in snapshot.files if f.data is None}
    cited = dict.fromkeys(c for s in sections for c in s.citations)
    failures = dict(verify(cited, contents, unread))
    out: list[SectionResult] = []
    ungrounded: list[Ungrounded] = []
    for section in sections:
        marked, found = mark(section, failures, snapshot)
        out.append(marked)
        ungrounded.extend(found)
    return out, ungrounded
