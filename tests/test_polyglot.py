"""A repository in Python, TypeScript, JavaScript, Go, Rust and Java gets API entries for each."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docsgen.generator.analysis.source import decode_source, split_lines
from docsgen.generator.engine.run import Engine
from docsgen.generator.grounding import name_on_line
from tests.support.generation import (
    CITATION,
    ApiEntry,
    api_entries,
    document,
    fetch,
    module_blocks,
    polyglot_repo,
    pool,
    section,
)
from tests.support.gitrepo import git

__all__ = ["pool"]


def entries(block: str) -> dict[str, ApiEntry]:
    """The module block's entries by the name their heading shows."""
    return api_entries(block)


async def test_each_language_yields_entries_with_signatures_and_doc_comments(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    docs = await document(await fetch(polyglot_repo(tmp_path)), Engine(pool))
    api = section(docs, "API Reference")
    blocks = module_blocks(api)
    assert set(blocks) == {
        "shapes",
        "shapes.circle",
        "web/src/client",
        "web/src/format",
        "geometry",
        "triangles",
        "com.example",
    }

    # The package re-exports Circle and area: documented there in full, pointed to here.
    top = entries(blocks["shapes"])
    assert top["Circle"].declaration == "@dataclass(frozen=True)\nclass Circle"
    # The whole documentation, not only its first paragraph.
    assert top["Circle"].doc == "A circle given by its radius.\n\nThe radius must not be negative."
    assert top["Circle.radius"].kind == "field" and top["Circle.radius"].level == 5
    assert top["Circle.radius"].declaration == "radius: float"
    assert top["Circle.diameter"].kind == "property"
    assert top["Circle.diameter"].declaration == "diameter: float"
    scaled = top["Circle.scaled"]
    assert scaled.declaration == (
        "def scaled(self, factor: float, /, *, keep_label: bool = True) -> Circle"
    )
    assert scaled.doc == "A copy of this circle with its radius multiplied by `factor`."
    assert top["area"].declaration == (
        "def area(circle: Circle, *more: Circle, precision: int | None = None) -> float"
    )
    assert top["area"].doc == "The total area of one or more circles."
    circle = entries(blocks["shapes.circle"])
    assert circle["Circle"].alias_of == "shapes.Circle"
    assert circle["area"].alias_of == "shapes.area"
    assert circle["perimeter"].doc == ""  # no documentation, and no warning for it
    assert "⚠️" not in blocks["shapes.circle"]
    assert "**Documentation:** 0 of 1 public" in blocks["shapes.circle"]
    assert circle["UNIT"].kind == "constant" and circle["UNIT"].declaration == "UNIT = 1.0"
    assert circle["UNIT"].doc == "The radius of the unit circle."

    ts = entries(blocks["web/src/client"])
    assert "Options of a" in ts["ClientOptions"].doc
    assert ts["ClientOptions"].declaration.startswith("interface ClientOptions")
    assert ts["ClientOptions.baseUrl"].doc == "Base URL every request is relative to."
    assert ts["Json"].declaration == (
        "type Json = string | number | boolean | null | Json[] | { [key: string]: Json }"
    )
    assert ts["Client"].doc == "Talks to the shapes service.\n\nCreate one per base URL."
    method = ts["Client.area"]
    assert method.kind == "method"
    assert method.declaration == "async area(name: string, precision: number = 2): Promise<number>"
    assert "Fetches the area of a named shape." in method.doc and "@param" not in method.doc
    assert "Makes a client with default options." in ts["makeClient"].doc
    assert not any("secret" in s or "fetchJson" in s for s in ts)

    js = entries(blocks["web/src/format"])
    assert list(js) == ["formatArea"]
    assert js["formatArea"].declaration == 'function formatArea(value, unit = "m²")'
    assert "Formats an area for people." in js["formatArea"].doc

    go = entries(blocks["geometry"])
    assert "Package geometry computes properties of rectangles." in blocks["geometry"]
    assert "Rect is an axis-aligned rectangle." in go["Rect"].doc
    assert go["Rect"].declaration == "type Rect struct"
    assert "Width of the rectangle." in go["Rect.Width"].doc
    assert go["Rect.Area"].declaration == "func (r Rect) Area() float64"
    assert "returns the rectangle's area" in go["Rect.Area"].doc
    assert "makes a square" in go["NewSquare"].doc
    assert not any("helper" in s or "label" in s for s in go)

    rust = entries(blocks["triangles"])
    assert "Triangles and their areas." in blocks["triangles"]
    assert "A triangle given by its three sides." in rust["Triangle"].doc
    assert rust["Triangle::area"].declaration == "pub fn area(&self) -> f64"
    assert "Heron's formula" in rust["Triangle::area"].doc
    assert "can form a triangle" in rust["is_valid"].doc
    assert not any("internal" in s or "semi" in s for s in rust)

    java = entries(blocks["com.example"])
    assert "Greets people by name." in java["Greeter"].doc
    assert "@author" not in java["Greeter"].doc
    assert "Makes a greeter" in java["Greeter.Greeter"].doc
    greet = java["Greeter.greet"]
    assert greet.declaration == "public String greet(String name, int times)"
    assert "Greets someone, several times." in greet.doc and "@param" not in greet.doc
    assert java["Greeter.DEFAULT"].doc == "The greeting used when none is given."
    assert not any("packagePrivate" in s for s in java)


async def test_every_citation_of_the_polyglot_docs_resolves(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path)
    docs = await document(await fetch(repo), Engine(pool))
    assert docs.ungrounded == ()
    cited = [c for s in docs.sections for c in s.citations]
    assert len(cited) > 30
    for citation in cited:
        lines = split_lines(decode_source(citation.path, (repo / citation.path).read_bytes())[0])
        assert 1 <= citation.line <= len(lines), citation
        if citation.name is not None:
            assert name_on_line(citation.name, lines[citation.line - 1]), citation
    # And read back from the Markdown itself: every path:line shown exists.
    shown = list(CITATION.finditer(docs.content))
    assert len(shown) >= len(cited)
    for match in shown:
        lines = (repo / match["path"]).read_text(encoding="utf-8").split("\n")
        assert 1 <= int(match["line"]) <= len(lines), match.group(0)
    assert git(repo, "status", "--porcelain") == ""
