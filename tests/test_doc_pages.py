"""The documentation cut into pages (CONTRACT §11): order, slugs, symbols, links, parts.

Plain sections written here show each rule; flask and serde_json show them on
the generator's real output.
"""

from __future__ import annotations

import asyncio
import pickle
import re
from concurrent.futures import ProcessPoolExecutor
from functools import cache

import pytest

from docsgen.generator.engine.memo import Memo
from docsgen.generator.engine.run import Engine
from docsgen.generator.markdown import WARNING_SIGN, Piece
from docsgen.generator.pages import (
    MAX_PAGE_BYTES,
    Page,
    cut_pieces,
    is_page_link,
    paginate,
    pieces_to_cut,
    remember_piece_cuts,
)
from docsgen.generator.pipeline import GeneratedDocs
from docsgen.generator.sections.base import SectionResult, assemble
from docsgen.render import page_html, render_html
from tests.support import projects
from tests.support.generation import document, fetch, pool

__all__ = ["pool"]

_HREF = re.compile(r'<a href="([^"]*)"')
_ID = re.compile(r'<h[1-6] id="([^"]*)"')


def _api(*modules: str, opening: str = "The public API of 2 module(s).\n") -> SectionResult:
    return SectionResult("API Reference", "api-reference", opening + "\n" + "\n".join(modules))


def _python_module(name: str, entries: str) -> str:
    return f"### `{name}`\n\n*Python* · `src/{name}.py` — `src/{name}.py:1`\n\nThe {name} module.\n\n{entries}"


def _sections(*api_modules: str) -> list[SectionResult]:
    return [
        SectionResult("Overview", "overview", "What it is.\n"),
        SectionResult("Getting Started", "getting-started", "### Install\n\nRun it.\n"),
        _api(*api_modules),
        SectionResult("Dependencies", "dependencies", "None.\n"),
    ]


PKG = _python_module(
    "pkg",
    "#### `Thing`\n\n```python\nclass Thing(Base)\n```\n\n`src/pkg.py:3`\n\n"
    "A thing. It does things.\n\n"
    "##### `Thing.run`\n\n```python\ndef run(self) -> None\n```\n\n*method* · `src/pkg.py:9`\n\n"
    "Runs [`Thing`](#pkg.Thing); see [`Other`](#pkg.sub.Other) and "
    "[the guide](#getting-started), or [installing](#install).\n\n"
    "```python\n# a comment, not a heading; [`x`](#pkg.sub.Other) stays as written\n```\n\n"
    "#### `LIMIT`\n\n*constant* `LIMIT = 3` · `src/pkg.py:20`\n",
)
SUB = _python_module(
    "pkg.sub",
    "#### `Other`\n\n```python\nclass Other\n```\n\n`src/pkg/sub.py:1`\n\n"
    "Another one, used by [`pkg`](#pkg).\n\n"
    "#### `Thing`\n\nDocumented as [`pkg.Thing`](#pkg.Thing) · `src/pkg/sub.py:2`\n",
)
RUST = (
    "### `demo::de`\n\n*Rust* · `src/de.rs` — `src/de.rs:1`\n\nDeserializing.\n\n"
    "#### `from_str`\n\n```rust\npub fn from_str<'a, T>(s: &'a str) -> Result<T>\n```\n\n"
    "`src/de.rs:40`\n\nDeserialize an instance of type `T` from a string.\n\n"
    "#### `Deserializer`\n\n```rust\npub struct Deserializer<R>\n```\n\n`src/de.rs:5`\n\n"
    "##### `Deserializer::new`\n\n```rust\npub fn new(read: R) -> Self\n```\n\n"
    "*method* · `src/de.rs:9`\n"
)


def _page(pages: tuple[Page, ...], slug: str) -> Page:
    return next(p for p in pages if p.slug == slug)


def test_pages_come_in_reading_order_with_stable_slugs_and_parents() -> None:
    pages = paginate(_sections(PKG, SUB, RUST))
    assert [(p.slug, p.title, p.parent) for p in pages] == [
        ("overview", "Overview", None),
        ("getting-started", "Getting Started", None),
        ("dependencies", "Dependencies", None),
        ("api-reference", "API Reference", None),
        ("api-pkg", "pkg", "api-reference"),
        ("api-pkg.sub", "pkg.sub", "api-reference"),
        ("api-demo--de", "demo::de", "api-reference"),
    ]
    assert pages == paginate(_sections(PKG, SUB, RUST))
    # Each page opens with its own title; the headings under it move up.
    assert (
        _page(pages, "getting-started").markdown == "# Getting Started\n\n## Install\n\nRun it.\n"
    )
    assert _page(pages, "api-pkg").markdown.startswith("# `pkg`\n\n*Python* · ")
    parent = _page(pages, "api-reference").markdown
    assert parent.startswith("# API Reference\n\nThe public API of 2 module(s).\n")
    assert (
        "- [`pkg`](api-pkg)\n- [`pkg.sub`](api-pkg.sub)\n- [`demo::de`](api-demo--de)\n" in parent
    )


def test_symbols_are_named_as_users_import_them_with_kind_citation_and_summary() -> None:
    pages = paginate(_sections(PKG, SUB, RUST))
    pkg = _page(pages, "api-pkg")
    facts = {s.qualname: (s.kind, s.citation, s.summary) for s in pkg.symbols}
    assert facts == {
        "pkg": ("module", "src/pkg.py:1", "The pkg module."),
        "pkg.Thing": ("class", "src/pkg.py:3", "A thing."),
        "pkg.Thing.run": (
            "method",
            "src/pkg.py:9",
            "Runs Thing; see Other and the guide, or installing.",
        ),
        "pkg.LIMIT": ("constant", "src/pkg.py:20", ""),
    }
    lines = pkg.markdown.split("\n")
    shown = {s.qualname: lines[s.line - 1] for s in pkg.symbols}
    assert shown == {"pkg": "# `pkg`", "pkg.Thing": "## `Thing`", "pkg.Thing.run": "### `Thing.run`",
                     "pkg.LIMIT": "## `LIMIT`"}  # fmt: skip
    rust = {s.qualname: (s.kind, s.citation) for s in _page(pages, "api-demo--de").symbols}
    assert rust == {
        "demo::de": ("module", "src/de.rs:1"),
        "demo::de::from_str": ("function", "src/de.rs:40"),
        "demo::de::Deserializer": ("struct", "src/de.rs:5"),
        "demo::de::Deserializer::new": ("method", "src/de.rs:9"),
    }
    # An entry that points elsewhere is a symbol of its own, without a kind.
    alias = next(s for s in _page(pages, "api-pkg.sub").symbols if s.qualname == "pkg.sub.Thing")
    assert (alias.kind, alias.citation, alias.summary) == (None, "src/pkg/sub.py:2", "")


def test_links_to_another_page_name_its_slug_and_those_on_the_page_stay_fragments() -> None:
    pages = paginate(_sections(PKG, SUB, RUST))
    pkg = _page(pages, "api-pkg").markdown
    assert "Runs [`Thing`](#pkg.Thing); see [`Other`](api-pkg.sub#pkg.sub.Other) and " in pkg
    assert "[the guide](getting-started), or [installing](getting-started#install)." in pkg
    assert "# a comment, not a heading; [`x`](#pkg.sub.Other) stays as written\n" in pkg
    sub = _page(pages, "api-pkg.sub").markdown
    assert "used by [`pkg`](api-pkg)." in sub
    assert "Documented as [`pkg.Thing`](api-pkg#pkg.Thing)" in sub
    assert is_page_link("api-pkg.sub#pkg.sub.Other") and is_page_link("api-pkg")
    assert not any(map(is_page_link, ["#pkg.Thing", "https://x.org/a", "../a.html#b", ""]))


def test_page_html_gives_each_symbol_heading_its_qualified_name_as_id() -> None:
    pages = paginate(_sections(PKG, SUB, RUST))
    html = page_html(_page(pages, "api-demo--de"))
    assert _ID.findall(html) == ["demo::de", "demo::de::from_str", "demo::de::Deserializer",
                                 "demo::de::Deserializer::new"]  # fmt: skip
    assert '<a href="api-pkg.sub#pkg.sub.Other"' in page_html(_page(pages, "api-pkg"))
    # Without ids given, a heading's id is its GitHub-style anchor.
    assert _ID.findall(render_html("# A b\n\n## `C.d`\n", {3: "x.C.d"})) == ["a-b", "x.C.d"]
    assert _ID.findall(render_html("# A b\n\n## `C.d`\n")) == ["a-b", "cd"]


def test_a_module_too_large_for_one_page_is_split_at_its_entries() -> None:
    doc = "Explains it at length. " * 400
    entries = "".join(
        f"#### `F{n}`\n\n```python\ndef F{n}()\n```\n\n*function* · `src/big.py:{n}`\n\n{doc}\n\n"
        f"##### `F{n}.member`\n\n*attribute* `member` · `src/big.py:{n}`\n\n"
        for n in range(120)
    )
    pages = paginate(_sections(_python_module("big", entries)))
    parts = [p for p in pages if p.parent == "api-reference"]
    assert len(parts) > 2
    # Each part is filled before the next begins.
    assert all(len(p.markdown.encode()) > MAX_PAGE_BYTES * 0.9 for p in parts[:-1])
    assert [p.slug for p in parts] == ["api-big"] + [
        f"api-big-{n}" for n in range(2, len(parts) + 1)
    ]
    assert [p.title for p in parts] == ["big"] + [
        f"big (part {n})" for n in range(2, len(parts) + 1)
    ]
    assert all(len(p.markdown.encode()) <= MAX_PAGE_BYTES for p in parts)
    assert parts[1].markdown.startswith("# `big` (part 2)\n\n## `F")
    names = [s.qualname for p in parts for s in p.symbols]
    expected = [f"big.F{n}{m}" for n in range(120) for m in ("", ".member")]
    assert names == ["big", *expected]  # each entry once, its members with it, in order
    listed = _page(pages, "api-reference").markdown
    assert "- [`big (part 2)`](api-big-2)" in listed


def test_a_heading_in_a_code_block_starts_no_module_page() -> None:
    examples = (
        "#### `setup`\n\n*function* · `src/tools.py:1`\n\nUse it so:\n\n"
        "```python\n### Step one\nsetup()\n```\n\n"
        "~~~~\n### still code\n~~~ (too short to close)\n~~~~\n\n"
        "#### `teardown`\n\n*function* · `src/tools.py:9`\n\n"
        "````\n### never closed\n"
    )
    pages = paginate(_sections(_python_module("tools", examples), _python_module("after", "")))
    modules = [p for p in pages if p.parent == "api-reference"]
    # The last fence is never closed: the ``###`` lines after it are code, as a reader
    # of the whole document sees them.
    assert [p.slug for p in modules] == ["api-tools"]
    text = modules[0].markdown
    assert "```python\n### Step one\nsetup()\n```" in text
    assert "~~~~\n### still code\n~~~ (too short to close)\n~~~~" in text
    assert "### `after`" in text
    assert [s.qualname for s in modules[0].symbols] == ["tools", "tools.setup", "tools.teardown"]


def test_a_memo_of_the_last_pages_gives_the_pages_cut_anew() -> None:
    memo = Memo()
    first = paginate(_sections(PKG, SUB, RUST), memo)
    assert first == paginate(_sections(PKG, SUB, RUST))
    again = paginate(_sections(PKG, SUB, RUST), memo)
    assert again == first
    # An unchanged module's page is the one cut before, not cut again.
    assert _page(again, "api-pkg").markdown is _page(first, "api-pkg").markdown
    # ``pkg.sub`` renamed: ``pkg``'s page is the same Markdown, but its links to the
    # module that went resolve no more, and those that stay still point to their pages.
    renamed = SUB.replace("### `pkg.sub`", "### `pkg.other`")
    changed = paginate(_sections(PKG, renamed, RUST), memo)
    assert changed == paginate(_sections(PKG, renamed, RUST))
    page = _page(changed, "api-pkg").markdown
    assert "[`Other`](#pkg.sub.Other)" in page
    assert "[the guide](getting-started)" in page
    assert _page(first, "api-pkg").markdown != page


def _pieced(*pieces: Piece) -> list[SectionResult]:
    api = assemble("API Reference", pieces)
    return [SectionResult("Overview", "overview", "What it is.\n"), api]


@pytest.mark.parametrize(
    "pieces",
    [
        # An opening, then one whole module per piece: read piece by piece.
        (Piece(None, ("The public API.",)), Piece("a", (PKG,)), Piece("b", (SUB,)),
         Piece("c", (RUST,))),
        # Two modules in one piece: read from the whole text.
        (Piece(None, ("The public API.",)), Piece("a", (PKG, SUB)), Piece("c", (RUST,))),
        # A piece that leaves a code block open swallows the modules after it.
        (Piece("a", (PKG + "\n```python\nopen = True",)), Piece("b", (SUB,))),
        # Text after the modules belongs to the last one.
        (Piece("a", (PKG,)), Piece(None, ("Closing words.",)), Piece("c", (RUST,))),
        # Nothing before the modules, and a piece with nothing in it.
        (Piece("a", (PKG,)), Piece("e", ("", "\n")), Piece("b", (SUB,))),
    ],
)  # fmt: skip
def test_pages_cut_piece_by_piece_are_those_cut_from_the_whole_text(
    pieces: tuple[Piece, ...],
) -> None:
    sections = _pieced(*pieces)
    memo = Memo()
    assert paginate(sections, memo, pieces) == paginate(sections)
    assert paginate(sections, memo, pieces) == paginate(sections)  # remembered
    # Cut elsewhere (a worker process) and remembered here: the same pages, and
    # nothing left to cut.
    elsewhere = Memo()
    todo = pieces_to_cut(pieces, elsewhere)
    assert [key for key, _ in todo] == [p.key for p in pieces if p.key is not None]
    remember_piece_cuts(elsewhere, pickle.loads(pickle.dumps(cut_pieces(todo))))
    assert pieces_to_cut(pieces, elsewhere) == []
    assert paginate(sections, elsewhere, pieces) == paginate(sections)


def test_slugs_that_would_collide_are_numbered_and_anchors_are_never_repeated() -> None:
    overloads = "#### `f`\n\n*function* · `src/a.py:1`\n\n#### `f`\n\n*function* · `src/a.py:5`\n"
    pages = paginate(_sections(
        _python_module("reference", ""), _python_module("a/b", overloads),
        _python_module("a-b", overloads)))  # fmt: skip
    assert [p.slug for p in pages][3:] == [
        "api-reference",
        "api-reference-2",
        "api-a-b",
        "api-a-b-2",
    ]
    qualnames = [s.qualname for p in pages for s in p.symbols]
    assert (
        sorted(qualnames) == sorted(set(qualnames)) == ["a-b", "a-b.f", "a/b", "a/b.f", "reference"]
    )
    for page in pages:
        ids = _ID.findall(page_html(page))
        symbols = {s.qualname for s in page.symbols}
        assert len([i for i in ids if i in symbols]) == len(symbols)


def test_each_page_counts_the_warnings_shown_on_it() -> None:
    warned = _python_module("warned", f"#### `g`\n\n> {WARNING_SIGN} Broken.\n")
    api = SectionResult(
        "API Reference", "api-reference",
        f"> {WARNING_SIGN} Not analysed.\n\n" + warned, ("Not analysed.", "Broken.", "Unseen."),
    )  # fmt: skip
    overview = SectionResult("Overview", "overview", f"> {WARNING_SIGN} Odd.\n", ("Odd.",))
    pages = paginate([overview, api])
    assert [(p.slug, p.warnings) for p in pages] == [
        ("overview", 1), ("api-reference", 2), ("api-warned", 1)
    ]  # fmt: skip


@cache
def _generated(project: str, executor: ProcessPoolExecutor) -> GeneratedDocs:
    repo = projects.checkout(project)
    return asyncio.run(document(asyncio.run(fetch(repo)), Engine(executor)))


@pytest.mark.parametrize("project", ["flask", "serde_json"])
def test_real_projects_pages_link_to_anchors_that_exist(
    project: str, pool: ProcessPoolExecutor
) -> None:
    docs = _generated(project, pool)
    pages = docs.pages
    assert pages == paginate(docs.sections)
    assert pages[0].slug == "overview"
    api = [p.slug for p in pages].index("api-reference")
    assert all(p.parent == "api-reference" for p in pages[api + 1 :])
    assert all(p.parent is None for p in pages[: api + 1])
    assert sum(p.warnings for p in pages) == sum(len(s.warnings) for s in docs.sections)
    ids = {p.slug: _ID.findall(page_html(p)) for p in pages}
    for page in pages:
        assert len(set(ids[page.slug])) == len(ids[page.slug]), page.slug
        for href in _HREF.findall(page_html(page)):
            if href.startswith("#"):
                assert href[1:] in ids[page.slug], (page.slug, href)
            elif is_page_link(href):
                slug, _, fragment = href.partition("#")
                assert slug != page.slug and slug in ids, (page.slug, href)
                assert not fragment or fragment in ids[slug], (page.slug, href)


def test_flask_and_serde_json_symbols_and_a_second_run_keeps_every_slug(
    pool: ProcessPoolExecutor,
) -> None:
    flask = _generated("flask", pool)
    symbols = {s.qualname: s for p in flask.pages for s in p.symbols}
    opener = symbols["flask.Flask.open_resource"]
    assert (opener.slug, opener.kind, opener.citation) == (
        "api-flask",
        "method",
        "src/flask/app.py:322",
    )
    assert opener.summary == "Open a resource file relative to root_path for reading."
    route = symbols["flask.sansio.scaffold.Scaffold.route"]
    assert (route.slug, route.kind) == ("api-flask.sansio.scaffold", "method")
    assert route.summary.startswith("Decorate a view function to register it")
    from_str = next(
        s for p in _generated("serde_json", pool).pages for s in p.symbols
        if s.qualname == "serde_json::from_str"
    )  # fmt: skip
    assert (from_str.slug, from_str.kind) == ("api-serde_json", "function")
    again = asyncio.run(document(asyncio.run(fetch(projects.checkout("flask"))), Engine(pool)))
    assert [(p.slug, p.title) for p in again.pages] == [(p.slug, p.title) for p in flask.pages]
    assert again.pages == flask.pages
