"""Table cells: Markdown from the repository that cannot break a table row."""

from __future__ import annotations

from docsgen.generator.markdown import code


def cell_code(text: str) -> str:
    """An inline code span safe inside a table cell (pipes escaped, one line)."""
    flat = " ".join(text.split())
    return code(flat).replace("|", "\\|")
