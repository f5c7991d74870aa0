"""A repository in Python, TypeScript, JavaScript, Go, Rust and Java gets API entries for each."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docsgen.generator.analysis.source import decode_source, split_lines
from docsgen.generator.engine.run import Engine
from docsgen.generator.grounding import name_on_line
from tests.support.generation import (
    CITATION,
    ENTRY,
    document,
    fetch,
    module_blocks,
    polyglot_repo,
    pool,
    section,
)
from tests.support.gitrepo import git

__all__ = ["pool"]


def entries(block: str) -> dict[str, tuple[str, str, str]]:
    """signature -> (kind, rest of the line) for each entry of a module block."""
    return {m["signature"]: (m["kind"], m["rest"], m["indent"]) for m in ENTRY.finditer(block)}


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
        "crate",
        "com.example",
    }

    python = entries(blocks["shapes.circle"])
    assert python["class Circle"][1].startswith(" — A circle given by its radius. — ")
    assert python["Circle.radius: float"][0] == "field"
    assert python["Circle.diameter: float"][0] == "property"
    scaled = "Circle.scaled(self, factor: float, /, *, keep_label: bool = True) -> Circle"
    assert "A copy of this circle with its radius multiplied by `factor`." in python[scaled][1]
    assert python[scaled][2] == "  "  # listed under its class
    area = "area(circle: Circle, *more: Circle, precision: int | None = None) -> float"
    assert "The total area of one or more circles." in python[area][1]
    assert (
        "⚠️ no documentation; described from the signature alone" in python["perimeter(circle)"][1]
    )
    assert python["UNIT = 1.0"][0] == "constant"
    assert "The radius of the unit circle." in python["UNIT = 1.0"][1]
    assert "re-export" in {kind for kind, _, _ in entries(blocks["shapes"]).values()}

    ts = entries(blocks["web/src/client"])
    assert "Options of a" in ts["interface ClientOptions"][1]
    assert "Base URL every request is relative to." in ts["baseUrl: string"][1]
    assert ts["type Json = string | number | boolean | null | Json[] | { [key: string]: Json }"]
    assert "Talks to the shapes service." in ts["class Client"][1]
    method = ts["async area(name: string, precision: number = 2): Promise<number>"]
    assert method[0] == "method" and "Fetches the area of a named shape." in method[1]
    assert "@param" not in method[1]
    assert "Makes a client with default options." in ts["makeClient(baseUrl: string): Client"][1]
    assert not any("secret" in s or "fetchJson" in s for s in ts)

    js = entries(blocks["web/src/format"])
    assert list(js) == ['function formatArea(value, unit = "m²")']
    assert "Formats an area for people." in js['function formatArea(value, unit = "m²")'][1]

    go = entries(blocks["geometry"])
    assert "Package geometry computes properties of rectangles." in blocks["geometry"]
    assert "Rect is an axis-aligned rectangle." in go["type Rect struct"][1]
    assert "Width of the rectangle." in go["Width float64"][1]
    assert "returns the rectangle's area" in go["func (r Rect) Area() float64"][1]
    assert "makes a square" in go["func NewSquare(side float64) Rect"][1]
    assert not any("helper" in s or "label" in s for s in go)

    rust = entries(blocks["crate"])
    assert "Triangles and their areas." in blocks["crate"]
    assert "A triangle given by its three sides." in rust["pub struct Triangle"][1]
    assert "Heron's formula" in rust["pub fn area(&self) -> f64"][1]
    assert "can form a triangle" in rust["pub fn is_valid(a: f64, b: f64, c: f64) -> bool"][1]
    assert not any("internal" in s or "semi" in s for s in rust)

    java = entries(blocks["com.example"])
    assert "Greets people by name." in java["public class Greeter"][1]
    assert "@author" not in java["public class Greeter"][1]
    assert "Makes a greeter" in java["public Greeter(String greeting)"][1]
    greet = java["public String greet(String name, int times)"]
    assert "Greets someone, several times." in greet[1] and "@param" not in greet[1]
    assert (
        "The greeting used when none is given."
        in java['public static final String DEFAULT = "Hello"'][1]
    )
    assert not any("packagePrivate" in s or "greeting;" in s for s in java)


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
