"""The Overview of real projects: their own description first, then their key concepts.

Each project is documented by the real pipeline from its registry archive; the
Overview must open with what the project says it is (not a bar of links, not
escaped Markdown, not another project's description), name the public names
its users start with, link each to its API Reference entry, and cite only
lines that hold.
"""

from __future__ import annotations

import re
from concurrent.futures import ProcessPoolExecutor

import pytest

from docsgen.generator.manifests.identity import project_identity
from docsgen.generator.orientation.readme import as_markdown, link_definitions, paragraphs
from docsgen.generator.sections.overview import SECTION
from docsgen.render import render_html
from tests.support import projects
from tests.support.citations import citation_problems
from tests.support.generation import pool, section
from tests.support.orientation import documented
from tests.support.snapshots import model_of

__all__ = ["pool"]

# The first sentence, and the names a user of each starts with.
EXPECTED = {
    "flask": ("`Flask`: A simple framework for building complex web applications.",
              ["Flask", "Blueprint", "request"]),
    "httpx": ("`httpx`: The next generation HTTP client.", ["Client", "AsyncClient", "Response"]),
    "rich": ("`rich`: Render rich text, tables, progress bars, syntax highlighting, markdown and "
             "more to the terminal.", ["Console", "Table"]),
    "express": ("`express`: Fast, unopinionated, minimalist web framework.",
                ["express()", "Router"]),
    "serde_json": ("`serde_json`: A JSON serialization file format.",
                   ["from_str", "to_string", "Value"]),
    "go-cmp": ("The documentation of `github.com/google/go-cmp/cmp`", ["Diff", "Equal", "Option"]),
    "itsdangerous": ("`itsdangerous`: Safely pass data to untrusted environments and back.",
                     ["Signer", "Serializer"]),
}  # fmt: skip
# The README paragraph quoted after the description: the project's own.
README_QUOTES = {
    "flask": "> Flask is a lightweight [WSGI](https://wsgi.readthedocs.io/) web application",
    "httpx": "> HTTPX is a fully featured HTTP client library for Python 3. It includes "
    "**an integrated command line client**",
    "rich": "> Rich is a Python library for _rich_ text and beautiful formatting in the terminal.",
    "express": "> **Fast, unopinionated, minimalist web framework for [Node.js](http://nodejs.org).**",
    "serde_json": "> Serde JSON provides efficient, flexible, safe ways of converting data",
    # Named only under "Donate"; a motto ("... so better sign this") opens the README.
    "itsdangerous": "(`README.md:5`):\n\n> Various helpers to pass data to untrusted "
    "environments and to get it back safe and sound.",
}


def key_concepts(overview: str) -> dict[str, str]:
    """The Key concepts table's rows: the name shown -> the anchor it links to."""
    table = overview.split("### Key concepts", 1)[1].split("\n\n#", 1)[0]
    return dict(re.findall(r"^\| \[`([^`]+)`\]\(#([^)]+)\) \|", table, re.M))


def api_anchors(api: str) -> set[str]:
    """Every anchor the API Reference gives an entry: the qualified names of its modules'
    names (``### `module` `` then ``#### `name` ``)."""
    anchors: set[str] = set()
    module = None
    for line in api.splitlines():
        heading = re.match(r"^### `([^`]+)`", line)
        if heading:
            module = heading.group(1)
            continue
        entry = re.match(r"^#### `([^`]+)`", line)
        if entry and module:
            anchors.update(f"{module}{sep}{entry.group(1)}" for sep in (".", "::"))
    return anchors


@pytest.mark.parametrize("project", list(EXPECTED))
def test_the_overview_opens_with_the_projects_own_description_and_key_concepts(
    project: str, pool: ProcessPoolExecutor
) -> None:
    docs = documented(project, pool)
    overview = section(docs, "Overview")
    first, names = EXPECTED[project]
    assert overview.startswith(first), overview[:300]
    opening = overview.split("### Key concepts", 1)[0]
    # No link bar, no escaped Markdown.
    assert "\\[" not in opening and "\\(" not in opening and "\\*" not in opening
    assert "readme](" not in opening.lower() and " • " not in opening
    if project in README_QUOTES:
        assert README_QUOTES[project] in opening
    if project == "serde_json":
        assert "Serde is a framework" not in opening  # serde's description, not serde_json's
    assert "donate" not in opening.lower()
    concepts = key_concepts(overview)
    assert 5 <= len(concepts) <= 10, concepts
    for name in names:
        assert name in concepts, (name, concepts)
    # Each links to its entry in the API Reference, by its qualified name.
    anchors = api_anchors(section(docs, "API Reference"))
    unlinked = [a for a in concepts.values() if a not in anchors]
    assert unlinked == [], unlinked


def test_the_key_concepts_link_to_the_entries_they_name(pool: ProcessPoolExecutor) -> None:
    concepts = key_concepts(section(documented("flask", pool), "Overview"))
    assert concepts["Flask"] == "flask.Flask" and concepts["request"] == "flask.request"
    # A class without a docstring is described by its documented base, which the row names.
    flask = section(documented("flask", pool), "Overview")
    assert "*(the documentation of its base `Blueprint`, `src/flask/sansio/blueprints.py:119`)*" \
        in flask  # fmt: skip
    assert "flask.sansio.app.App" not in flask  # the base of ``Flask``: not a concept of its own
    concepts = key_concepts(section(documented("serde_json", pool), "Overview"))
    assert concepts["from_str"] == "serde_json::from_str"
    # The CommonJS default export is shown as users call it, and links to its entry.
    concepts = key_concepts(section(documented("express", pool), "Overview"))
    assert concepts["express()"] == "express.default"


@pytest.mark.parametrize("project", ["flask", "serde_json", "go-cmp"])
def test_the_key_concepts_uses_are_quoted_and_cited_where_they_are(
    project: str, pool: ProcessPoolExecutor
) -> None:
    docs = documented(project, pool)
    overview = next(s for s in docs.sections if s.title == "Overview")
    uses = overview.markdown.split("#### Where they are used", 1)[1].split("\n\n", 2)[1]
    assert uses.count("\n- ") >= 2
    if project == "flask":
        assert "- [`Flask`](#flask.Flask): `from flask import Flask` (`README.md:35`)" in uses
    if project == "go-cmp":
        assert "the runnable example `ExampleDiff_testing` (`cmp/example_test.go:25`)" in uses
    root = projects.checkout(project)

    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(errors="replace") if file.is_file() else None

    assert citation_problems(overview.citations, read) == []
    assert docs.ungrounded == ()


LINK_BAR_README = """\
[![PyPI](https://img.shields.io/pypi/v/x.svg)](https://pypi.org/project/x/) [![CI][ci-badge]][ci]

<p align="center"><img src="logo.svg"></p>

[English readme](https://example.org/README.md)
 • [简体中文 readme](https://example.org/README.cn.md)
 • [Deutsche readme](https://example.org/README.de.md)

* [Install](#install)
* [Usage](#usage)

# Widget

Widget draws *widgets* with `draw()`, built on [Tk][] and [Qt](https://qt.io),
see [the guide](docs/guide.md) or [this](javascript:alert(1)) <b>now</b>.

[Tk]: https://tk.org
"""


def test_the_first_paragraph_skips_badges_html_link_bars_and_lists_and_keeps_markdown() -> None:
    found = list(paragraphs(LINK_BAR_README))
    assert [p.line for p in found] == [14]
    quoted = as_markdown(found[0].lines, link_definitions(LINK_BAR_README))
    # The author's Markdown, with links to web pages only: a relative link and a script
    # link are reduced to their text; raw HTML stays as written (the page shows it as text).
    assert quoted == (
        "Widget draws *widgets* with `draw()`, built on [Tk](https://tk.org) and "
        "[Qt](https://qt.io), see the guide or this <b>now</b>."
    )
    assert "<b>" not in render_html(f"> {quoted}")


def test_the_paragraph_quoted_is_the_one_naming_the_project() -> None:
    readme = (
        "Serde is a framework for serializing data structures efficiently.\n\n"
        "- a list item that goes on\n  over a second line about serde_json\n\n"
        "Serde JSON provides efficient, flexible, safe ways of converting data.\n"
    )
    model = model_of({"README.md": readme, "Cargo.toml": CARGO})
    overview = SECTION.build(model).markdown
    assert overview.startswith("`serde_json`: A JSON serialization file format. (`Cargo.toml:4`)")
    assert "> Serde JSON provides efficient" in overview and "framework" not in overview


CARGO = '[package]\nname = "serde_json"\nversion = "1.0.0"\ndescription = "A JSON serialization file format"\n'


def test_a_projects_identity_comes_from_its_root_manifest() -> None:
    private = project_identity({"package.json": '{"name": "app", "private": true}'})
    assert private is not None and private.install_command() is None
    pom = project_identity({"pom.xml": (
        "<project><parent><artifactId>parent</artifactId></parent>\n"
        "  <artifactId>widget</artifactId>\n  <description>Draws widgets</description>\n"
        "</project>\n"
    )})  # fmt: skip
    assert pom is not None and pom.name is not None and pom.description is not None
    assert (pom.name.value, pom.name.line, pom.description.value) == ("widget", 2, "Draws widgets")
    # A manifest in a subfolder names an example, not the project.
    assert project_identity({"examples/app/pyproject.toml": '[project]\nname = "app"\n'}) is None
    go = project_identity({"go.mod": "module github.com/google/go-cmp\n\ngo 1.13\n"})
    assert go is not None and go.install_command() == "go get github.com/google/go-cmp"
