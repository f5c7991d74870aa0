"""A folder of Markdown files: ``index.md`` (the table of contents), one ``{slug}.md`` a page.

Links between pages point at the other files (``{slug}.md#anchor``), so the folder
reads the same in a Git host's file view, an editor, or a static site generator.
"""

from __future__ import annotations

from collections.abc import Sequence

from docsgen.generator.markdown import escape
from docsgen.generator.pages import Page
from docsgen.publish.links import check_slug
from docsgen.publish.llms import page_markdown, summary
from docsgen.publish.toc import markdown_list, tree

INDEX = "index.md"


def markdown_file(slug: str) -> str:
    return f"{check_slug(slug)}.md"


def index_markdown(title: str, pages: Sequence[Page]) -> str:
    """``index.md``: the project's title, what it is, and every page as a nested list."""
    files = {p.slug: markdown_file(p.slug) for p in pages}
    contents = markdown_list(tree(pages), files)
    first = pages[0] if pages else None
    return f"# {escape(title)}\n\n> {escape(summary(title, first))}\n\n## Contents\n\n{contents}\n"


def markdown_files(title: str, pages: Sequence[Page]) -> dict[str, str]:
    """File name → Markdown of the folder."""
    slugs = {p.slug for p in pages}
    files = {INDEX: index_markdown(title, pages)}
    for page in pages:
        files[markdown_file(page.slug)] = page_markdown(page, slugs, markdown_file)
    return files
