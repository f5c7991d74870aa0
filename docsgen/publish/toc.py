"""The table of contents: pages in reading order, as a tree by their ``parent``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from docsgen.generator.markdown import escape


class Listed(Protocol):
    """What the contents show of a page (a generated page, or a stored one)."""

    @property
    def slug(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def parent(self) -> str | None: ...


@dataclass(frozen=True)
class Entry:
    """A page in the tree: its depth (0 at the top) and the entries under it."""

    page: Listed
    depth: int
    children: tuple[Entry, ...]


def tree(pages: Sequence[Listed]) -> tuple[Entry, ...]:
    """The pages as a tree, in reading order; a page whose parent is unknown is a top one."""
    slugs = {p.slug for p in pages}
    below: dict[str | None, list[Listed]] = {}
    for page in pages:
        parent = page.parent if page.parent in slugs and page.parent != page.slug else None
        below.setdefault(parent, []).append(page)

    def entries(parent: str | None, depth: int, seen: frozenset[str]) -> tuple[Entry, ...]:
        return tuple(
            Entry(p, depth, entries(p.slug, depth + 1, seen | {p.slug}))
            for p in below.get(parent, ())
            if p.slug not in seen  # a cycle of parents ends where it closes
        )

    return entries(None, 0, frozenset())


def walk(entries: Sequence[Entry]) -> list[Entry]:
    """Every entry, depth first: the reading order of the tree."""
    found: list[Entry] = []
    for entry in entries:
        found.append(entry)
        found += walk(entry.children)
    return found


def markdown_list(entries: Sequence[Entry], file_of: dict[str, str]) -> str:
    """The tree as a nested Markdown list of links to ``file_of[slug]``."""
    return "\n".join(
        f"{'  ' * e.depth}- [{escape(e.page.title)}]({file_of[e.page.slug]})" for e in walk(entries)
    )
