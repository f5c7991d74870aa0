"""Reading a published folder as a browser or a language model would: ids, links, llms.txt."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from docsgen.generator.markdown import anchor


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        # (tag, attribute, value) of every href and src
        self.refs: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in {"href", "src"} and value is not None:
                self.refs.append((tag, name, value))


@dataclass
class Folder:
    """A written folder; every file parsed once."""

    root: Path
    _html: dict[Path, _Html] = field(default_factory=dict)

    def html(self, path: Path) -> _Html:
        if path not in self._html:
            parsed = _Html()
            parsed.feed(path.read_text(encoding="utf-8"))
            self._html[path] = parsed
        return self._html[path]

    def markdown_anchors(self, path: Path, symbols: set[str]) -> set[str]:
        """What a fragment may name in a Markdown file: its symbols and its headings."""
        headings = re.findall(r"^#{1,6} (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
        return symbols | {anchor(h) for h in headings}

    def broken_html_links(self) -> list[str]:
        """Every relative href or src of every HTML file that names no file, or no id in it."""
        broken = []
        for page in sorted(self.root.glob("*.html")):
            for _, _, ref in self.html(page).refs:
                problem = self.resolve(page, ref)
                if problem:
                    broken.append(f"{page.name}: {ref} ({problem})")
        return broken

    def resolve(self, page: Path, ref: str) -> str | None:
        """None when ``ref`` (relative to ``page``) names a file of the folder and, if it
        has a fragment and the file is HTML, an id there; otherwise what is wrong."""
        parts = urlsplit(ref)
        if parts.scheme:
            return None
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_relative_to(self.root.resolve()):
            return "outside the folder"
        if not target.is_file():
            return "no such file"
        if parts.fragment and target.suffix == ".html":
            if unquote(parts.fragment) not in self.html(target).ids:
                return "no such anchor"
        return None

    def script_global(self, name: str, variable: str) -> Any:
        """The JSON a script of the site assigns to ``window.VARIABLE``."""
        text = (self.root / name).read_text(encoding="ascii")
        prefix = f"window.{variable} = "
        assert text.startswith(prefix) and text.endswith(";\n"), text[:80]
        return json.loads(text[len(prefix) : -2])


LINK_ITEM = re.compile(
    r"^- \[(?P<name>(?:[^\]\\]|\\.)+)\]\((?P<url>[^)\s]+)\)(?::\s(?P<notes>.+))?$"
)


@dataclass(frozen=True)
class LlmsTxt:
    title: str
    summary: str
    prose: tuple[str, ...]
    sections: dict[str, list[tuple[str, str]]]  # heading → (name, url) links

    @property
    def urls(self) -> list[str]:
        return [url for links in self.sections.values() for _, url in links]


def parse_llms_txt(text: str) -> LlmsTxt:
    """The llmstxt.org structure, checked block by block: an H1 title, a blockquote
    summary, prose, then H2 sections holding only ``- [name](url): notes`` lists."""
    assert text.endswith("\n") and not text.endswith("\n\n\n")
    blocks = text.rstrip("\n").split("\n\n")
    assert re.fullmatch(r"# \S[^\n]*", blocks[0]), blocks[0]
    assert re.fullmatch(r"> \S[^\n]*", blocks[1]), blocks[1]
    prose: list[str] = []
    sections: dict[str, list[tuple[str, str]]] = {}
    current: str | None = None
    for block in blocks[2:]:
        if block.startswith("## "):
            heading, _, block = block.partition("\n")
            current = heading[3:]
            assert current and current not in sections, heading
            sections[current] = []
            if not block:
                continue
        elif current is None:
            assert not block.startswith(("#", ">", "- ")), f"prose expected: {block!r}"
            prose.append(block)
            continue
        for line in block.splitlines():
            match = LINK_ITEM.match(line)
            assert match, f"not a link list item: {line!r}"
            sections[current].append((match["name"], match["url"]))
    assert sections, "no section of links"
    assert all(sections.values()), "a section without links"
    return LlmsTxt(blocks[0][2:], blocks[1][2:], tuple(prose), sections)
