"""Diagrams a person can read, on real projects: at most 20 nodes each, valid, cited; no
cycle or entry point made of imports under a ``__main__`` guard, ``TYPE_CHECKING`` or in
a function."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from docsgen.generator.model import RepositoryModel, build_model
from docsgen.generator.sections import architecture, how_it_works
from tests.support import projects
from tests.support.citations import (
    citation_problems,
    markdown_citations,
    mermaid_blocks,
    mermaid_problems,
)
from tests.support.generation import snapshot_of
from tests.support.snapshots import model_of

PROJECTS = ["flask", "httpx", "rich", "express", "serde_json", "go-cmp"]
MAX_DIAGRAM_NODES = 20
_NODE = re.compile(r'^ {4}\w+\["', re.M)


@cache
def project_model(name: str) -> tuple[RepositoryModel, Path]:
    root = projects.checkout(name)
    return build_model(snapshot_of(root, name)), root


def read_from(root: Path):  # type: ignore[no-untyped-def]
    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(errors="replace") if file.is_file() else None

    return read


def part(markdown: str, heading: str) -> str:
    """The text under a ``###`` heading, up to the next one."""
    if heading not in markdown:
        return ""
    rest = markdown[markdown.index(heading) + len(heading) :]
    end = rest.find("\n### ")
    return rest if end == -1 else rest[:end]


@pytest.mark.parametrize("project", PROJECTS)
def test_every_diagram_is_valid_small_and_every_citation_holds(project: str) -> None:
    model, root = project_model(project)
    for section in (architecture, how_it_works):
        if not section.SECTION.applies(model):
            continue
        result = section.build(model)
        for diagram in mermaid_blocks(result.markdown):
            assert mermaid_problems(diagram) == []
            assert len(_NODE.findall(diagram)) <= MAX_DIAGRAM_NODES
        assert citation_problems(result.citations, read_from(root)) == []


@pytest.mark.parametrize("project", PROJECTS)
def test_no_cycle_or_entry_point_is_made_of_imports_that_are_no_structure(project: str) -> None:
    model, _ = project_model(project)
    md = architecture.build(model).markdown
    kinds = {(path, i.line): i.kind for path, a in model.analyses.items() for i in a.imports}
    for path, line in markdown_citations(part(md, "### Import cycles")):
        assert kinds[(path, line)] not in ("main", "local", "typing"), (path, line)
    entries = part(md, "### Entry points")
    listed = entries.split("\n\n")[1] if "\n\n" in entries.strip() else entries
    assert "__main__` guard" not in listed
    for line in listed.splitlines():
        # ``python -m`` runs a ``__main__.py``: a way in, not a guard in a module.
        assert "runs as a script" not in line


def test_rich_demo_blocks_are_named_apart_and_make_no_cycle() -> None:
    model, _ = project_model("rich")
    md = architecture.build(model).markdown
    entries = part(md, "### Entry points")
    assert entries.count("\n- ") == 1  # ``python -m rich`` alone
    assert "- `python -m rich` runs `rich/__main__.py`" in entries
    assert re.search(r"\n4\d modules of the product also run code when run as a script", entries)
    # The imports under the demo blocks were a 53-module "cycle"; what is left is small.
    cycles = part(md, "### Import cycles")
    assert all(line.count("↔") < 10 for line in cycles.splitlines())
    assert 'under `if __name__ == "__main__":`' in md


def test_httpx_draws_its_own_modules_and_its_transports_package() -> None:
    model, _ = project_model("httpx")
    md = architecture.build(model).markdown
    overview = mermaid_blocks(md)[0]
    assert "m_httpx__client_py -->" in overview  # modules, not one box per folder
    assert "#### Inside `httpx/_transports/`" in md
    assert "tests/" not in overview
    hierarchy = part(md, "### Class hierarchy")
    assert "- `Client` (`httpx/_client.py:574`) derives from `BaseClient`" in hierarchy
    assert "- `AsyncClient` (`httpx/_client.py:1320`) derives from `BaseClient`" in hierarchy


def test_flask_class_hierarchy_draws_the_application_and_blueprint_bases() -> None:
    model, _ = project_model("flask")
    md = architecture.build(model).markdown
    hierarchy = part(md, "### Class hierarchy")
    assert "- `Flask` (`src/flask/app.py:79`) derives from `App`" in hierarchy
    assert "- `App` (`src/flask/sansio/app.py:59`) derives from `Scaffold`" in hierarchy
    [diagram] = mermaid_blocks(hierarchy)
    assert diagram.startswith("flowchart BT")
    assert "m_Flask --> m_App" in diagram


def test_cycles_are_listed_where_they_matter_with_a_note_of_the_language() -> None:
    # Rust modules may use each other freely: no cycle is a finding there.
    rust = model_of(
        {
            "Cargo.toml": '[package]\nname = "demo"\n',
            "src/lib.rs": "mod a;\nmod b;\n",
            "src/a.rs": "use crate::b::B;\npub struct A;\n",
            "src/b.rs": "use crate::a::A;\npub struct B;\n",
        }
    )
    md = architecture.build(rust).markdown
    assert "m_src_a_rs --> m_src_b_rs" in md and "m_src_b_rs --> m_src_a_rs" in md
    assert "### Import cycles" not in md
    javascript = model_of(
        {
            "package.json": '{"name": "demo", "main": "a.js"}\n',
            "a.js": "const b = require('./b');\nmodule.exports = 1;\n",
            "b.js": "const a = require('./a');\nmodule.exports = 2;\n",
        }
    )
    cycles = part(architecture.build(javascript).markdown, "### Import cycles")
    assert "`a.js` (`a.js:1`) ↔ `b.js` (`b.js:1`)" in cycles
    assert "TYPE_CHECKING" not in cycles and "__main__" not in cycles
    python = model_of(
        {
            "a.py": "import b\n",
            "b.py": "import a\n\ndef f():\n    import c\n",
            "c.py": "import b\n",
        }
    )
    md = architecture.build(python).markdown
    cycles = part(md, "### Import cycles")
    assert "`a.py` (`a.py:1`) ↔ `b.py` (`b.py:1`)" in cycles
    assert "`c.py`" not in cycles  # b imports c only when f runs
    assert "TYPE_CHECKING" in cycles
    assert "(1 inside functions) are not part of the structure" in md


def test_serde_json_lists_no_cycle_and_no_python_note() -> None:
    model, _ = project_model("serde_json")
    md = architecture.build(model).markdown
    assert "### Import cycles" not in md
    assert "TYPE_CHECKING" not in md and "__main__" not in md
