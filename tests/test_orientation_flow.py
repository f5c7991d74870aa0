"""How it works: the static call chains from the entry points, every hop cited where it is."""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ProcessPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from docsgen.generator.analysis import analyse_file
from docsgen.generator.engine.run import Engine
from docsgen.generator.model import RepositoryModel, build_model
from docsgen.generator.sections import SECTIONS, how_it_works
from tests.support import projects
from tests.support.citations import citation_problems, markdown_citations, mermaid_blocks
from tests.support.generation import document, fetch, pool, section, snapshot_of
from tests.support.snapshots import model_of

__all__ = ["pool"]

_CHAIN = re.compile(r"^(`[^`]+`(?: → `[^`]+`)+)$", re.M)


@cache
def project_model(name: str) -> tuple[RepositoryModel, Path]:
    root = projects.checkout(name)
    return build_model(snapshot_of(root, name)), root


def reader(root: Path):  # type: ignore[no-untyped-def]
    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(errors="replace") if file.is_file() else None

    return read


def chains(markdown: str) -> list[str]:
    return _CHAIN.findall(markdown)


def test_the_section_comes_after_getting_started_and_before_the_architecture() -> None:
    keys = [s.key for s in SECTIONS]
    assert keys.index("getting_started") < keys.index("how_it_works") < keys.index("architecture")


def test_self_super_and_re_exported_calls_are_followed_parameters_and_docstrings_are_not() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "shop"\n[project.scripts]\nshop = "shop.cli:main"\n',
        "shop/__init__.py": "from .app import App\n",
        "shop/base.py": ("class Base:\n    def finish(self):\n        return 1\n"),
        "shop/app.py": (
            "from .base import Base\n"
            "from . import db\n"
            "\n"
            "class App(Base):\n"
            '    """Call it: ``App()(environ)``; see self.ignored(x)."""\n'
            "    def __call__(self, environ):\n"
            "        return self.handle(environ)\n"
            "\n"
            "    def handle(self, environ, db=None):\n"
            "        db.connect()  # the parameter, not the module\n"
            "        self.finish()\n"
            "        return super().finish()\n"
            "\n"
            "    def ignored(self, x):\n"
            "        return x\n"
        ),
        "shop/db.py": "def connect():\n    return None\n",
        "shop/cli.py": (
            "import shop\n\ndef main(argv=None):\n    app = shop.App()\n    app(argv)\n"
        ),
    }
    result = how_it_works.build(model_of(files))
    md = result.markdown
    # ``super().finish()`` and ``self.finish()`` are one callee, shown once; a class
    # without ``__init__`` is shown as itself.
    assert chains(md) == ["`App.__call__` → `App.handle` → `Base.finish`", "`cli.main` → `app.App`"]
    assert "### `App.__call__`: an instance of `shop.App` called (`__call__`)" in md
    assert "- `App.handle`, called at `shop/app.py:7`" in md
    assert "  - `Base.finish`, called at `shop/app.py:11`" in md
    assert "db.connect" not in md and "App.ignored" not in md
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_a_fallback_under_except_does_not_hide_the_import_it_stands_in_for() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "tool"\n[project.scripts]\ntool = "tool:main"\n',
        "tool/__init__.py": (
            "try:\n"
            "    from ._main import main\n"
            "except ImportError:\n"
            "    def main():\n"
            "        raise SystemExit(1)\n"
        ),
        "tool/_main.py": ("from ._work import run\n\ndef main():\n    run()\n"),
        "tool/_work.py": "def run():\n    return step()\n\ndef step():\n    return 1\n",
    }
    md = how_it_works.build(model_of(files)).markdown
    assert "### `_main.main`: console script `tool`" in md
    assert "`_main.main` → `_work.run` → `_work.step`" in md
    assert "declared in `pyproject.toml:4`" in md


def test_imports_are_told_apart_by_where_they_run() -> None:
    analysis = analyse_file(
        "pkg/mod.py",
        "import a\n"
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    import b\n"
        "def f():\n"
        "    import c\n"
        "class K:\n"
        "    import d\n"
        "    def m(self):\n"
        "        from . import e\n"
        'if __name__ == "__main__":\n'
        "    import g\n"
        "    def h():\n"
        "        import i\n",
    )
    kinds = {i.module or i.names[0]: i.kind for i in analysis.imports}
    assert kinds == {
        "a": "import",
        "typing": "from",
        "b": "typing",
        "c": "local",
        "d": "import",  # a class body runs when the module does
        "e": "local",
        "g": "main",
        "i": "main",  # the outermost guard names it
    }


@pytest.mark.parametrize(
    ("project", "title", "chain"),
    [
        (
            "flask",
            "### `Flask.__call__`: an instance of `flask.Flask` called (`__call__`)",
            "`Flask.__call__` → `Flask.wsgi_app` → `Flask.full_dispatch_request` → "
            "`Flask.dispatch_request`",
        ),
        ("httpx", "### `_main.main`: console script `httpx`", "`_main.main` → `Client.__init__`"),
        ("rich", "### `rich.__main__`: `python -m rich`", "`rich.__main__` → `Console.__init__`"),
        (
            "go-cmp",
            "### `Diff`: `cmp.Diff`, a function the package exports",
            "`Diff` → `state.compareAny`",
        ),
        (
            "serde_json",
            "### `from_str`: `serde_json::from_str`, a function the crate exports",
            "`from_str` → `from_trait` → `Deserializer.end`",
        ),
        (
            "express",
            "### `createApplication`: `express()`, the function the package exports",
            "`createApplication` → `app.init` → `app.defaultConfiguration`",
        ),
    ],
)
def test_the_main_entry_points_chain_is_shown_with_every_hop_cited_where_it_is(
    project: str, title: str, chain: str
) -> None:
    model, root = project_model(project)
    result = how_it_works.build(model)
    md = result.markdown
    first = md.index("### ")
    assert md[first:].startswith(title)  # the main entry point comes first
    assert chains(md)[0].startswith(chain)
    assert len(mermaid_blocks(md)) == 1  # the main one is drawn
    # Every hop: cited at the line of the call, which names what it calls.
    assert citation_problems(result.citations, reader(root)) == []
    assert all(c.name for c in result.citations if c.line > 1)
    assert len(markdown_citations(md)) == len(result.citations)


def test_a_javascript_packages_exported_function_is_followed_through_its_files() -> None:
    files: dict[str, str | bytes] = {
        "package.json": '{"name": "web", "main": "index.js"}\n',
        "index.js": "module.exports = require('./lib/web');\n",
        "lib/web.js": (
            "var mixin = require('merge-descriptors');\n"
            "var proto = require('./app');\n"
            "var util = require('./util');\n"
            "exports = module.exports = create;\n"
            "function create() {\n"
            "  var app = function (req) { app.handle(req); };  // runs later, per request\n"
            "  mixin(app, proto, false);\n"
            "  app.init();\n"
            "  util.log('made');\n"
            "  return app;\n"
            "}\n"
        ),
        "lib/app.js": (
            "var app = exports = module.exports = {};\n"
            "app.init = function init() {\n"
            "  this.settings = {};\n"
            "  this.configure('x');  // a string: 'this.nothing()'\n"
            "};\n"
            "app.configure = function configure(name) {\n"
            "  return name;\n"
            "};\n"
            "app.handle = function handle(req) {\n"
            "  return req;\n"
            "};\n"
        ),
        "lib/util.js": "exports.log = function log(text) {\n  return text;\n};\n",
    }
    result = how_it_works.build(model_of(files))
    md = result.markdown
    assert "### `create`: `web()`, the function the package exports" in md
    assert chains(md) == ["`create` → `app.init` → `app.configure`"]
    assert "- `exports.log`, called at `lib/web.js:9`" in md
    assert "app.handle" not in md  # called in the function ``create`` makes, not by it
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_go_receivers_stated_types_and_results_are_followed_function_literals_are_not() -> None:
    files: dict[str, str | bytes] = {
        "go.mod": "module example.com/shop\n\ngo 1.21\n",
        "cmd/shop/main.go": (
            "package main\n"
            "\n"
            "func main() {\n"
            "\ts := newServer()\n"
            "\ts.Run()\n"
            "\tgo func() { s.Stop() }() // a literal: runs when it is called\n"
            '\tlog("started") // "s.Stop()" in a string\n'
            "}\n"
        ),
        "cmd/shop/server.go": (
            "package main\n"
            "\n"
            "type server struct{ name string }\n"
            "\n"
            "func newServer() *server {\n"
            "\treturn &server{}\n"
            "}\n"
            "\n"
            "func (s *server) Run() {\n"
            "\tvar other server\n"
            "\tother.listen()\n"
            "}\n"
            "\n"
            "func (s *server) listen() {}\n"
            "\n"
            "func (s *server) Stop() {}\n"
            "\n"
            "func log(text string) {}\n"
        ),
    }
    result = how_it_works.build(model_of(files))
    md = result.markdown
    assert "### `main`: `func main` of `cmd/shop/`" in md
    assert chains(md) == ["`main` → `server.Run` → `server.listen`"]
    assert "- `newServer`, called at `cmd/shop/main.go:4`" in md
    assert "- `log`, called at `cmd/shop/main.go:7`" in md
    assert "server.Stop" not in md
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_rust_methods_constructors_uses_and_closures_are_followed_across_modules() -> None:
    files: dict[str, str | bytes] = {
        "Cargo.toml": '[package]\nname = "shop"\nversion = "0.1.0"\n',
        "src/main.rs": (
            "mod shop;\n"
            "use crate::shop::Store;\n"
            "use shop::helpers::log;\n"
            "fn main() {\n"
            '    let mut store = Store::new("corner");\n'
            "    store.open();\n"
            "    let names: Vec<String> = Vec::new();\n"
            "    names.iter().for_each(|n| log(n));\n"
            '    println!("store.close()"); // store.close() in a comment\n'
            "}\n"
        ),
        "src/shop/mod.rs": (
            "pub mod helpers;\n"
            "pub struct Store {\n"
            "    name: String,\n"
            "}\n"
            "impl Store {\n"
            "    pub fn new(name: &str) -> Self {\n"
            "        Store { name: name.to_string() }\n"
            "    }\n"
            "    pub fn open(&mut self) {\n"
            "        self.prepare();\n"
            "    }\n"
            "    fn prepare(&self) {\n"
            "        Self::check(&self.name);\n"
            "    }\n"
            "    fn check(name: &str) {}\n"
            "    pub fn close(&self) {}\n"
            "}\n"
        ),
        "src/shop/helpers.rs": 'pub fn log(text: &str) {\n    println!("{}", text);\n}\n',
    }
    result = how_it_works.build(model_of(files))
    md = result.markdown
    assert "### `main`: `fn main` of `src/main.rs`" in md
    assert chains(md) == ["`main` → `Store.open` → `Store.prepare` → `Store.check`"]
    assert "- `Store.new`, called at `src/main.rs:5`" in md
    assert "- `log`, called at `src/main.rs:8`" in md  # in a closure, imported by ``use``
    assert "Store.close" not in md  # named in a string and a comment only
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_a_rust_librarys_exports_are_followed_through_re_exports_and_inline_modules() -> None:
    files: dict[str, str | bytes] = {
        "Cargo.toml": '[package]\nname = "tiny-json"\nversion = "0.1.0"\n',
        "src/lib.rs": (
            "mod parse;\n"
            "mod write;\n"
            "pub use crate::parse::{from_text, read_bytes};\n"
            "pub fn to_text(v: &str) -> String {\n"
            "    write::render(v)\n"
            "}\n"
        ),
        "src/parse.rs": (
            "pub fn from_text(s: &str) -> u32 {\n"
            "    inner::decode(s)\n"
            "}\n"
            "pub fn read_bytes(b: &[u8]) -> u32 {\n"
            '    inner::decode("")\n'
            "}\n"
            "mod inner {\n"
            "    pub fn decode(s: &str) -> u32 {\n"
            "        super::check(s);\n"
            "        0\n"
            "    }\n"
            "}\n"
            "fn check(s: &str) {}\n"
        ),
        "src/write.rs": (
            "pub fn render(v: &str) -> String {\n"
            "    String::new()\n"
            "}\n"
            "fn sample() -> u32 {\n"
            '    crate::read_bytes(b"")\n'
            "}\n"
        ),
    }
    result = how_it_works.build(model_of(files))
    md = result.markdown
    # A tie in size goes to the export the crate calls itself; one chain per road.
    first = md.index("### ")
    assert md[first:].startswith(
        "### `read_bytes`: `tiny_json::read_bytes`, a function the crate exports"
    )
    assert chains(md) == ["`read_bytes` → `decode` → `check`", "`to_text` → `render`"]
    assert "### `from_text`" not in md  # the same road as ``read_bytes``
    assert "- `check`, called at `src/parse.rs:9`" in md  # ``super::`` from ``mod inner``
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_a_local_bound_once_to_a_new_instance_leads_to_its_classs_methods() -> None:
    files: dict[str, str | bytes] = {
        "pyproject.toml": '[project]\nname = "tool"\n[project.scripts]\ntool = "tool.cli:main"\n',
        "tool/__init__.py": "",
        "tool/client.py": (
            "class Client:\n"
            "    def send(self):\n"
            "        return self.encode()\n"
            "\n"
            "    def encode(self):\n"
            "        return b''\n"
            "\n"
            "    def close(self):\n"
            "        pass\n"
        ),
        "tool/cli.py": (
            "from .client import Client\n"
            "\n"
            "def main(flag=False):\n"
            "    with Client() as client:\n"
            "        client.send()\n"
            "    other = Client()\n"
            "    if flag:\n"
            "        other = None  # bound twice: not followed\n"
            "    other.close()\n"
        ),
    }
    md = how_it_works.build(model_of(files)).markdown
    assert chains(md) == ["`cli.main` → `Client.send` → `Client.encode`"]
    assert "- `Client.send`, called at `tool/cli.py:5`" in md
    assert "Client.close" not in md


@pytest.mark.parametrize(
    ("project", "titles"),
    [
        # A library's exported types' methods are entries too; one whose tree another
        # shows (``ExecuteC``, which ``Execute`` calls) is left out.
        ("cobra", ["`cobra.Command.GenBashCompletionFile`", "`cobra.Command.Execute`"]),
        ("uuid", ["`uuid.NewDCEGroup`", "`uuid.NewDCEPerson`"]),
        # Methods a standard interface names (``fmt`` calls ``Frame.Format``) come last.
        ("pkg-errors", ["`errors.Errorf`", "`errors.New`"]),
    ],
)
def test_a_go_librarys_entries_are_named_by_their_package_in_a_whole_run(
    project: str, titles: list[str], pool: ProcessPoolExecutor
) -> None:
    # The section reads the analyses' "calls" facet only: the package's name must be in it.
    repo = projects.checkout(project)
    docs = asyncio.run(document(asyncio.run(fetch(repo)), Engine(pool)))
    md = section(docs, "How it works")
    headings = re.findall(r"^### `[^`]+`: (`[^`]+`),", md, re.M)
    assert headings == titles
