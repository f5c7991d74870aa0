"""Doc comments in full: each language's conventions parsed into one model, rendered once.

``parse`` maps a language to its parser: Python docstrings (Google, NumPy,
Sphinx, through griffe's parsers), JSDoc/TSDoc and Javadoc tags, rustdoc's
sections and Go's doc comment conventions.
"""

from __future__ import annotations

from collections.abc import Callable

from docsgen.generator.docstrings import markdown_docs, python, tags
from docsgen.generator.docstrings.model import DocComment

PARSERS: dict[str, Callable[[str], DocComment]] = {
    "Python": python.parse,
    "TypeScript": tags.parse,
    "JavaScript": tags.parse,
    "Java": lambda text: tags.parse(text, html=True),
    "Rust": markdown_docs.rustdoc,
    "Go": markdown_docs.godoc,
}


def parse(language: str | None, text: str) -> DocComment:
    """The doc comment's parts; text in a language without a parser is its summary and
    description, as written."""
    parser = PARSERS.get(language or "")
    if parser is not None:
        return parser(text)
    first, _, rest = text.strip().partition("\n\n")
    return DocComment(summary=first.strip(), description=rest.strip())
