"""Rust ``use`` paths in the dependency graph: a path names a module, then an item and its
members; only the module part must be a file of the crate (or an inline ``mod``)."""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor

import pytest

from docsgen.generator.dependency_graph import ModuleGraph, build_graph
from docsgen.generator.model import build_model
from tests.support import projects
from tests.support.generation import fetch, pool, section
from tests.support.orientation import documented
from tests.support.snapshots import model_of

__all__ = ["pool"]

CRATE: dict[str, str | bytes] = {
    "Cargo.toml": '[package]\nname = "demo"\n',
    "src/lib.rs": (
        'mod chain;\nmod error;\nmod lexical;\n#[path = "plain.rs"]\nmod imp;\n'
        "use std::error::Error as StdError;\nuse other::deep as alias;\n"
        "pub struct Chain;\n"
        "mod facade {\n    pub mod core {}\n    pub use self::core::cell;\n}\n"
    ),
    "src/plain.rs": "pub fn f() {}\n",
    "src/chain.rs": (
        "use self::State::*;\nuse crate::StdError;\nuse crate::{Chain, facade::core};\n"
        "use crate::alias::Thing;\n"
        "enum State { A }\n"
        "#[cfg(test)]\nmod tests {\n    use super::*;\n}\n"
    ),
    "src/error.rs": (
        "use self::capture::Backtrace;\nuse crate::chain::Chain;\n"
        "mod capture {\n    pub struct Backtrace;\n}\n"
    ),
    "src/lexical/mod.rs": "mod float;\nmod math;\n",
    "src/lexical/float.rs": "",
    "src/lexical/math.rs": (
        "use super::float::Extended;\n"
        "mod small {\n    use super::*;\n    fn f() {\n        use super::large::CUTOFF;\n    }\n}\n"
        "mod large {\n    pub const CUTOFF: usize = 1;\n}\n"
    ),
}


def graph_of(files: dict[str, str | bytes]) -> ModuleGraph:
    return build_graph(model_of(files))


def edges(graph: ModuleGraph) -> set[tuple[str, str, int]]:
    return {(e.source, e.target, e.line) for e in graph.edges}


def unresolved(graph: ModuleGraph) -> list[tuple[str, int, str]]:
    return [(e.path, e.line, e.token) for e in graph.unresolved]


def test_use_paths_resolve_to_the_file_declaring_their_module() -> None:
    graph = graph_of(CRATE)
    assert unresolved(graph) == []
    found = edges(graph)
    # Items of the crate's root (a struct, a renamed ``use``, a module's alias): lib.rs.
    assert ("src/chain.rs", "src/lib.rs", 2) in found  # crate::StdError
    assert ("src/chain.rs", "src/lib.rs", 3) in found  # crate::{Chain, facade::core}
    assert ("src/chain.rs", "src/lib.rs", 4) in found  # crate::alias::Thing
    assert ("src/error.rs", "src/chain.rs", 2) in found  # a module's file, then its item
    assert ("src/lexical/math.rs", "src/lexical/float.rs", 1) in found
    assert ("src/lib.rs", "src/plain.rs", 5) in found  # ``#[path]`` names the module's file
    # An enum's variants, an inline module of the same file, a test module's ``super::*``:
    # the file itself, so no edge; and no edge from math.rs to its parent for the inline
    # ``small`` module's ``super::*``.
    assert not any(s == "src/error.rs" and t == "src/lib.rs" for s, t, _ in found)
    assert not any(s == "src/lexical/math.rs" and t != "src/lexical/float.rs"
                   for s, t, _ in found)  # fmt: skip


def test_a_path_through_a_module_that_is_not_there_is_reported() -> None:
    files = {**CRATE, "src/broken.rs": "use crate::nonexistent_module::X;\nuse crate::Y;\n"}
    files["src/lib.rs"] = str(files["src/lib.rs"]) + "mod broken;\n"
    # ``nonexistent_module`` is no module, nor a name lib.rs binds: a broken path.  ``Y``
    # may be any item of the root (the analysis does not keep private ones): not reported.
    assert unresolved(graph_of(files)) == [("src/broken.rs", 1, "crate::nonexistent_module::X")]
    files["src/broken.rs"] = "mod tests {\n    use super::super::X;\n}\n"
    assert unresolved(graph_of(files)) == []  # the crate's root, from a module inside broken


def real_graph(name: str) -> ModuleGraph:
    return build_graph(build_model(asyncio.run(fetch(projects.checkout(name)))))


@pytest.mark.parametrize("project", ["anyhow", "serde_json", "serde"])
def test_no_use_path_of_the_real_crates_is_reported_broken(project: str) -> None:
    assert unresolved(real_graph(project)) == []


def test_anyhows_items_lead_to_the_files_declaring_their_modules() -> None:
    graph = real_graph("anyhow")
    found = {(e.source, e.target, e.line, e.token) for e in graph.edges}
    assert ("src/chain.rs", "src/lib.rs", 2, "crate::StdError") in found
    assert ("src/context.rs", "src/lib.rs", 2, "crate") in found  # use crate::{Context, ...}
    assert ("src/context.rs", "src/error.rs", 1, "crate::error::ContextError") in found
    assert ("src/lib.rs", "src/chain.rs", 240, "chain") in found  # mod chain;
    # ``self::capture`` is the inline ``mod capture`` of backtrace.rs: no edge out of it.
    assert not any(e.source == "src/backtrace.rs" for e in graph.edges)


def test_the_architecture_of_anyhow_warns_of_no_broken_import(pool: ProcessPoolExecutor) -> None:
    # Built as the service builds it: from the analyses' graph facet alone.
    architecture = section(documented("anyhow", pool), "Architecture")
    assert "name no file of the repository" not in architecture
    assert "`src/lib.rs` | 6 | `crate::StdError` in `src/chain.rs:2`" in architecture
