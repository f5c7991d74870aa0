"""How a summary reads, and where it goes: the Overview's two paragraphs, a module's top.

A summary carries its own mark (written by a language model, which one) and
its ⚠️ (sentences left out, or why there is none) in its Markdown, so they go
wherever the page goes: the page, ``docs.md``, the static site.  Its
``path:line`` citations are linked as every other citation and listed with
the section's, so the final grounding checks them too.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from docsgen.generator.markdown import WARNING_SIGN, Citation, code, escape, render_citation
from docsgen.generator.sections.base import SectionResult
from docsgen.narrative.pages import HOW, WHAT
from docsgen.narrative.verifier import Checked
from docsgen.snapshot import Snapshot

log = logging.getLogger(__name__)

OVERVIEW, API_REFERENCE = "Overview", "API Reference"


@dataclass(frozen=True)
class Summary:
    """One page's summary, ready to place: its Markdown with mark and warnings."""

    key: str  # the page's
    title: str
    markdown: str
    warnings: tuple[str, ...] = ()
    citations: tuple[Citation, ...] = ()
    kept: int = 0  # sentences kept
    dropped: int = 0  # sentences left out
    failure: str | None = None  # why there is no summary


def written(key: str, title: str, model: str, checked: Checked, snapshot: Snapshot) -> Summary:
    """The summary of a verified answer: its kept sentences, the mark, the ⚠️ for the rest."""
    who = f"the language model {code(model)}"
    if not checked.kept:
        reason = (
            f"none of the {checked.dropped} sentences it wrote could be checked against the code"
        )
        return failed(key, title, model, reason, dropped=checked.dropped)
    text = checked.rendered(lambda citation: render_citation(snapshot, citation))
    parts = [text, f"*Written by {who}; each sentence was checked against the code.*"]
    warnings: tuple[str, ...] = ()
    if checked.dropped:
        n = checked.dropped
        warning = (
            f"{n} {'sentence' if n == 1 else 'sentences'} by {who} "
            f"{'was' if n == 1 else 'were'} left out: "
            f"{'it' if n == 1 else 'they'} could not be checked against the code."
        )
        parts.append(f"> {WARNING_SIGN} {warning}")
        warnings = (warning,)
    return Summary(key, title, "\n\n".join(parts), warnings, checked.citations,
                   checked.kept, checked.dropped)  # fmt: skip


def failed(key: str, title: str, model: str, reason: str, dropped: int = 0) -> Summary:
    """No summary, and why (the model's failure, or no sentence that held)."""
    warning = f"No summary by the language model {code(model)}: {escape(reason)}."
    return Summary(key, title, f"> {WARNING_SIGN} {warning}", (warning,), (), 0, dropped, reason)


def place(
    sections: Sequence[SectionResult], summaries: Mapping[str, Summary]
) -> list[SectionResult]:
    """The sections with the summaries in place: "What it is" and "How it works" open the
    Overview; a module's summary follows its heading in the API Reference."""
    placed = []
    for section in sections:
        if section.title == OVERVIEW:
            section = _into_overview(section, summaries)
        elif section.title == API_REFERENCE:
            section = _into_modules(section, summaries)
        placed.append(section)
    return placed


def _into_overview(section: SectionResult, summaries: Mapping[str, Summary]) -> SectionResult:
    parts = []
    added = [s for s in (summaries.get(WHAT), summaries.get(HOW)) if s is not None]
    for summary in added:
        parts.append(f"### {summary.title}\n\n{summary.markdown}\n\n")
    if not added:
        return section
    return _with(section, "".join(parts) + section.markdown, added)


def _into_modules(section: SectionResult, summaries: Mapping[str, Summary]) -> SectionResult:
    markdown = section.markdown
    added: list[Summary] = []
    pieces: list[str] = []
    position = 0
    for key, summary in summaries.items():
        if not key.startswith("module:"):
            continue
        heading = f"### {code(summary.title)}\n"
        at = markdown.find("\n" + heading, position)
        if at < 0:  # the API Reference and the pages disagree: a bug, said and survived
            log.warning("no heading for the summary of %s in the API Reference", summary.title)
            continue
        end = at + 1 + len(heading)
        pieces += [markdown[position:end], f"\n{summary.markdown}\n"]
        position = end
        added.append(summary)
    if not added:
        return section
    pieces.append(markdown[position:])
    return _with(section, "".join(pieces), added)


def _with(section: SectionResult, markdown: str, added: Sequence[Summary]) -> SectionResult:
    return replace(
        section,
        markdown=markdown,
        warnings=section.warnings + tuple(w for s in added for w in s.warnings),
        citations=section.citations + tuple(c for s in added for c in s.citations),
    )
