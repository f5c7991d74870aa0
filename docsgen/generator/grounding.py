"""The final check: every citation of every section resolves against the snapshot.

A citation ``path:line`` (with the name it vouches for) is grounded when the
file is in the snapshot and was read, the line exists, and the name appears
on that line as a whole word.  Whatever fails is not silently dropped: the
citation is replaced in the Markdown by a ⚠️ saying why, it leaves the
section's citation list, and it counts as one of the section's warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from docsgen.generator.analysis.source import decode_source, split_lines
from docsgen.generator.markdown import WARNING_SIGN, Citation, code, render_citation
from docsgen.generator.sections.base import SectionResult
from docsgen.snapshot import Snapshot

_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class Ungrounded:
    """A citation the check could not resolve, and why."""

    section: str
    citation: Citation
    reason: str


def name_on_line(name: str, line: str) -> bool:
    """``name`` occurs in ``line`` and is not part of a longer identifier."""
    start = line.find(name)
    while start != -1:
        end = start + len(name)
        before = line[start - 1] if start > 0 else ""
        after = line[end] if end < len(line) else ""
        word_start = not _WORD.match(name[0]) or not (before and _WORD.match(before))
        word_end = not _WORD.match(name[-1]) or not (after and _WORD.match(after))
        if word_start and word_end:
            return True
        start = line.find(name, start + 1)
    return False


def verify(
    citations: Iterable[Citation], files: Mapping[str, bytes | None]
) -> list[tuple[Citation, str]]:
    """The citations that do not resolve, with the reason.

    ``files`` maps every path of the snapshot that a citation names to its bytes
    (None when the snapshot did not read the file); a path absent from it is not
    in the snapshot.
    """
    lines: dict[str, list[str]] = {}
    failures: list[tuple[Citation, str]] = []
    for citation in citations:
        reason = None
        if citation.path not in files:
            reason = f"no file {code(citation.path)} in the snapshot"
        elif files[citation.path] is None:
            reason = f"the content of {code(citation.path)} was not read"
        else:
            text = lines.get(citation.path)
            if text is None:
                data = files[citation.path] or b""
                text = lines[citation.path] = split_lines(decode_source(citation.path, data)[0])
            if not 1 <= citation.line <= len(text):
                reason = f"{code(citation.path)} has {len(text)} lines, not {citation.line}"
            elif citation.name is not None and not name_on_line(
                citation.name, text[citation.line - 1]
            ):
                reason = f"line {citation.line} does not mention {code(citation.name)}"
        if reason is not None:
            failures.append((citation, reason))
    return failures


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
                out.append(
                    f"{WARNING_SIGN} {code(citation.label())} (unverified: {failures[citation]})"
                )
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


def ground(
    sections: Sequence[SectionResult], snapshot: Snapshot
) -> tuple[list[SectionResult], list[Ungrounded]]:
    """Check every citation of every section against ``snapshot`` in this process."""
    files = {f.path: f.data for f in snapshot.files}
    cited = dict.fromkeys(c for s in sections for c in s.citations)
    failures = dict(verify(cited, files))
    out: list[SectionResult] = []
    ungrounded: list[Ungrounded] = []
    for section in sections:
        marked, found = mark(section, failures, snapshot)
        out.append(marked)
        ungrounded.extend(found)
    return out, ungrounded
