"""Which names of a README's code are the project's own (the key concepts' README evidence):
a path's head says whose a name is, an import binds a name for its code block, a macro is
shown by its call, and a path's segment is only a type's or a module's name."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

from docsgen.generator.orientation.key_concepts import _STRINGS, _mentions
from tests.support.generation import pool, section
from tests.support.orientation import documented

__all__ = ["pool"]

HEADS = {"crate", "self", "super", "anyhow", "flask", "express", "cmp"}


def shown(code: str, kind: str = "struct") -> list[tuple[int, str]]:
    """The (line, name) of ``code`` naming an item of the project of this kind."""
    return [(m.line, m.word) for m in _mentions(code, HEADS) if m.names(kind)]


def test_a_path_is_the_projects_only_under_its_own_head() -> None:
    code = "let e: anyhow::Error = x;\nlet f: std::error::Error;\nlet g = crate::Error::msg(1);"
    assert [(line, w) for line, w in shown(code) if w == "Error"] == [(0, "Error"), (2, "Error")]
    assert ("Diff", 0) in [(w, line) for line, w in shown('if d := cmp.Diff(a, b); d != "" {}')]
    assert "print" not in {w for _, w in shown("console.print(1)\nConsole().print(2)")}
    assert "request" not in {w for _, w in shown("self.request.args")}  # Python's self


def test_an_import_from_another_package_binds_the_name_for_its_block() -> None:
    rust = "use thiserror::Error;\n\n#[derive(Error, Debug)]\npub enum FormatError {}"
    assert "Error" not in {w for _, w in shown(rust)}
    python = "from other_pkg import Error\nfrom flask import (\n    Flask,\n)\nraise Error()"
    assert [(line, w) for line, w in shown(python) if w in ("Error", "Flask")] == [(2, "Flask")]
    js = "import { Router } from 'other'\nRouter()"
    assert [(line, w) for line, w in shown(js) if w == "Router"] == []
    js = "const { Router } = require('express')\nRouter()"
    assert [(line, w) for line, w in shown(js) if w == "Router"] == [(0, "Router"), (1, "Router")]
    js = "import express, { Router } from 'express'\nRouter()"
    assert [(line, w) for line, w in shown(js) if w == "Router"] == [(0, "Router"), (1, "Router")]
    assert "Context" in {w for _, w in shown("use anyhow::{Context, Result};")}


def test_a_macro_is_shown_by_its_call_and_a_path_segment_by_its_members() -> None:
    code = 'use anyhow::Result;\nreturn Err(anyhow!("no"));\nlet x = a != b;'
    assert shown(code, "macro") == [(1, "anyhow")]
    assert ("anyhow", 0) not in [(w, line) for line, w in shown(code, "function")]
    assert (0, "Value") in shown("Value::Null", "enum")
    assert (0, "from_str") in shown("anyhow::from_str::<Value>(s)", "function")
    assert (0, "error") not in shown("error::Kind", "function")


def test_anyhows_concepts_are_shown_by_their_own_readme_lines(pool: ProcessPoolExecutor) -> None:
    overview = section(documented("anyhow", pool), "Overview")
    uses = overview.split("#### Where they are used", 1)[1]
    assert "use thiserror::Error;" not in uses  # thiserror's Error, not anyhow's
    assert "- [`anyhow`](#anyhow::anyhow): `return Err(anyhow!(" in uses
    assert "- [`Result`](#anyhow::Result): `use anyhow::Result;` (`README.md:32`)" in uses


def test_a_readmes_import_names_the_project_in_all_its_code() -> None:
    # zod's README imports ``z`` once, and its later blocks (formatted by Prettier) use it.
    own = HEADS | {"z"}
    code = "const user = z\n  .object({ name: z.string() })\n  .array();\nlet s: string;"
    mentions = [(m.line, m.word) for m in _mentions(code, own) if m.names("constant")]
    # ``.array()`` is a schema's method, not ``z.array``; ``string`` alone is TypeScript's.
    assert [(line, w) for line, w in mentions if w in ("object", "string", "array")] == [
        (1, "object"),
        (1, "string"),
    ]


def test_a_name_in_a_string_is_text_not_a_use() -> None:
    python = 'logger.log(loglevel, \'Retrying %s: attempt\', Retrying)\nprint("Flask \\" app")'
    assert [(line, w) for line, w in shown(python) if w in ("Retrying", "Flask")] == [
        (0, "Retrying")
    ]
    # Rust's single quote opens a lifetime as often as a character: only "…" is a string.
    rust = "fn f<'a>(v: &'a Value) -> &'a str { \"Value\" }"
    found = [m.word for m in _mentions(rust, HEADS, _STRINGS["rust"]) if m.word == "Value"]
    assert found == ["Value"]


def test_tenacitys_concepts_are_shown_by_its_testcode_blocks(pool: ProcessPoolExecutor) -> None:
    overview = section(documented("tenacity", pool), "Overview")
    concepts, uses = overview.split("#### Where they are used", 1)
    # ``@retry`` fills the README's testcode blocks: the first concept.
    assert concepts.split("|---|---|---|---|\n", 1)[1].startswith("| [`retry`](#tenacity.retry) |")
    assert "- [`retry`](#tenacity.retry): `from tenacity import retry` (`README.rst:29`)" in uses
    # A log message naming ``Retrying`` is no use of the class.
    assert "'Retrying %s" not in uses
    assert "- [`Retrying`](#tenacity.Retrying): `retryer = Retrying(" in uses
