"""A page as plain text, part by part: what full-text search reads."""

from __future__ import annotations

import re
from dataclasses import dataclass

from docsgen.generator.markdown import anchor
from docsgen.generator.pages.lines import ESCAPED, FENCE, HEADING, MARKUP_LINK, scan
from docsgen.generator.pages.model import Page


@dataclass(frozen=True)
class TextPart:
    """A page's text under one heading, as plain text: what full-text search reads."""

    anchor: str | None  # the heading's id (a symbol's qualified name); None: the page's top
    title: str  # the heading as plain text (for a symbol, its qualified name)
    text: str  # the text under it, code included, markup left out


_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def text_parts(page: Page) -> list[TextPart]:
    """``page`` cut at its headings, in order, each part as plain text."""
    symbols = {s.line: s.qualname for s in page.symbols}
    parts: list[TextPart] = []
    anchor_of: str | None = None
    title = page.title
    body: list[str] = []
    for number, (line, fenced) in enumerate(scan(page.markdown.split("\n")), start=1):
        heading = None if fenced else HEADING.match(line)
        if heading is None:
            if not (fenced and FENCE.match(line)) and not _TABLE_RULE.match(line.strip()):
                body.append(line if fenced else plain_text(line))
            continue
        if number > 1 or body:
            parts.append(TextPart(anchor_of, title, " ".join(" ".join(body).split())))
        anchor_of = symbols.get(number) or (anchor(heading.group(2)) if number > 1 else None)
        title = symbols.get(number) or plain_text(heading.group(2))
        body = []
    parts.append(TextPart(anchor_of, title, " ".join(" ".join(body).split())))
    return parts


def plain_text(markdown: str) -> str:
    """One line of Markdown as the text it shows: links as their text, no markup."""
    text = MARKUP_LINK.sub(r"\1", markdown.strip())
    text = text.lstrip(">#-+ ").replace("`", "").replace("*", "").replace("|", " ")
    return ESCAPED.sub(r"\1", text).strip()
