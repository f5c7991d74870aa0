"""Architecture: the internal import graph as Mermaid, central modules, cycles, entry points."""

from __future__ import annotations

import re

from docsgen.generator.dependency_graph import build_graph
from docsgen.generator.sections import architecture
from tests.support.citations import citation_problems, mermaid_blocks, mermaid_problems
from tests.support.polyglot import POLYGLOT_FILES
from tests.support.snapshots import model_of


def edges_of(files: dict[str, str | bytes]) -> set[tuple[str, str]]:
    return {(e.source, e.target) for e in build_graph(model_of(files)).edges}


def test_imports_resolve_to_the_repositorys_own_files_in_each_language() -> None:
    assert edges_of(POLYGLOT_FILES) == {
        ("app/cli.py", "app/server.py"),
        ("app/cli.py", "app/settings.py"),
        ("app/server.py", "app/settings.py"),
        ("app/urls.py", "app/views.py"),
        ("cmd/poly", "internal/store"),
        ("java/src/main/java/com/poly/App.java", "java/src/main/java/com/poly/util/Strings.java"),
        ("src/cli.rs", "src/config.rs"),
        ("src/lib.rs", "src/config.rs"),
        ("src/main.rs", "src/cli.rs"),
        ("src/main.rs", "src/config.rs"),
        ("web/server.ts", "web/config.ts"),
        ("web/server.ts", "web/util/index.ts"),
        ("web/util/index.ts", "web/config.ts"),
    }


def test_python_src_layout_relative_imports_and_submodules() -> None:
    files: dict[str, str | bytes] = {
        "src/pkg/__init__.py": "from .core import run\n",
        "src/pkg/core.py": "from . import util\nfrom ..pkg import helpers\nimport json\n",
        "src/pkg/util.py": "from pkg.sub import leaf\n",
        "src/pkg/helpers.py": "",
        "src/pkg/sub/__init__.py": "",
        "src/pkg/sub/leaf.py": "import pkg\n",
        "tests/test_core.py": "from pkg.core import run\n",
    }
    assert edges_of(files) == {
        ("src/pkg/__init__.py", "src/pkg/core.py"),
        ("src/pkg/core.py", "src/pkg/util.py"),
        ("src/pkg/core.py", "src/pkg/helpers.py"),
        ("src/pkg/util.py", "src/pkg/sub/leaf.py"),
        ("src/pkg/sub/leaf.py", "src/pkg/__init__.py"),
        ("tests/test_core.py", "src/pkg/core.py"),
    }


def test_typescript_extensions_index_files_and_workspace_packages() -> None:
    files: dict[str, str | bytes] = {
        "packages/core/package.json": '{"name": "@acme/core", "main": "src/index.ts"}',
        "packages/core/src/index.ts": "export * from './math.js';\n",
        "packages/core/src/math.ts": "export const one = 1;\n",
        "apps/web/main.tsx": "import { one } from '@acme/core';\nimport x from 'react';\n",
    }
    assert edges_of(files) == {
        ("packages/core/src/index.ts", "packages/core/src/math.ts"),
        ("apps/web/main.tsx", "packages/core/src/index.ts"),
    }


def test_rust_super_self_and_go_module_paths() -> None:
    files: dict[str, str | bytes] = {
        "Cargo.toml": '[package]\nname = "my-crate"\n',
        "src/lib.rs": "pub mod net;\n",
        "src/net/mod.rs": "mod tcp;\nuse self::tcp::Conn;\n",
        "src/net/tcp.rs": "use super::super::net;\n",
        "src/bin/tool.rs": "use my_crate::net::tcp;\n",
        "go.mod": "module example.org/m\n",
        "a/a.go": 'package a\nimport "example.org/m/b"\n',
        "b/b.go": "package b\n",
        "b/b_test.go": "package b\n",
    }
    assert edges_of(files) == {
        ("src/lib.rs", "src/net/mod.rs"),
        ("src/net/mod.rs", "src/net/tcp.rs"),
        ("src/net/tcp.rs", "src/net/mod.rs"),
        ("src/bin/tool.rs", "src/net/tcp.rs"),
        ("a", "b"),
    }


def test_the_polyglot_diagram_is_valid_mermaid_with_cited_central_modules() -> None:
    result = architecture.build(model_of(POLYGLOT_FILES))
    # 16 linked modules: more than a readable diagram holds, grouped by folder; the group
    # of five modules is drawn on its own too.
    overview, inside_app = mermaid_blocks(result.markdown)
    assert mermaid_problems(overview) == mermaid_problems(inside_app) == []
    assert 'm_web["web/"]' in overview
    assert 'm_cmd_poly -->|"1"| m_internal_store' in overview
    assert "#### Inside `app/`" in result.markdown
    assert "m_app_cli_py --> m_app_settings_py" in inside_app
    assert "| `src/config.rs` | 3 |" in result.markdown
    assert citation_problems(result.citations, POLYGLOT_FILES.get) == []  # type: ignore[arg-type]


def test_entry_points_of_every_kind_are_listed_and_cited() -> None:
    md = architecture.build(model_of(POLYGLOT_FILES)).markdown
    section = md[md.index("### Entry points") :]
    for expected in (
        "`polyglot` → `app.cli:main`: console script declared in `pyproject.toml:21`",
        "`poly-legacy` → `app.legacy:main`: console script declared in `setup.cfg:11`",
        "`poly-web` → `./dist/cli.js`: command (`bin`) declared in `package.json:5`",
        "`poly-cli` → `src/main.rs`: binary target declared in `Cargo.toml:17`",
        "`cmd/poly/`: Go `main` package, `func main` at `cmd/poly/main.go:12`",
        "`src/main.rs`: Rust binary, `fn main` at `src/main.rs:5`",
        "Java `main` method at `java/src/main/java/com/poly/App.java:22`",
    ):
        assert expected in section
    # A ``__main__`` guard in a module is no way in: named apart, not listed.
    assert "- `app/cli.py`" not in section
    assert (
        '1 module of the product also runs code when run as a script (`if __name__ == "__main__":`'
        ", a demonstration or a self-test rather than a way in): `app/cli.py` (`app/cli.py:23`)."
    ) in section


def test_a_large_graph_is_grouped_by_folder_with_counted_arrows() -> None:
    files: dict[str, str | bytes] = {}
    for p in range(6):
        files[f"lib/pkg{p}/__init__.py"] = ""
        for m in range(10):
            target = f"pkg{(p + 1) % 6}.mod{m}"
            files[f"lib/pkg{p}/mod{m}.py"] = f"from {target} import x\n"
    files["lib/setup.py"] = ""
    result = architecture.build(model_of(files))
    [diagram] = mermaid_blocks(result.markdown)
    assert mermaid_problems(diagram) == []
    nodes = re.findall(r'^ {4}\w+\["([^"]*)"\]$', diagram, re.M)
    assert nodes == [f"lib/pkg{p}/" for p in range(6)]
    assert 'm_lib_pkg0 -->|"10"| m_lib_pkg1' in diagram
    assert "grouped by folder" in result.markdown
    assert "60 modules" in result.markdown


def test_cycles_and_unresolved_relative_imports() -> None:
    files: dict[str, str | bytes] = {
        "a.ts": "import { b } from './b';\nimport { gone } from './missing';\n",
        "b.ts": "import { a } from './a';\n",
    }
    result = architecture.build(model_of(files))
    assert "### Import cycles" in result.markdown
    assert "`a.ts` (`a.ts:1`) ↔ `b.ts` (`b.ts:1`)" in result.markdown
    assert result.warnings == (
        "1 relative import(s) name no file of the repository (generated code, or a broken "
        "import): `./missing` (`a.ts:2`).",
    )
    assert citation_problems(result.citations, files.get) == []  # type: ignore[arg-type]


def test_no_imports_between_modules_is_said_plainly() -> None:
    result = architecture.build(model_of({"a.py": "import json\n", "b.go": "package b\n"}))
    assert "No module of the repository imports another one." in result.markdown
    assert "```mermaid" not in result.markdown
    assert not architecture.SECTION.applies(model_of({"README.md": "# x\n"}))


def test_type_checking_imports_are_edges_but_make_no_cycle() -> None:
    files: dict[str, str | bytes] = {
        "a.py": "import b\n",
        "b.py": "import typing\nif typing.TYPE_CHECKING:\n    import a\n",
    }
    assert edges_of(files) == {("a.py", "b.py"), ("b.py", "a.py")}
    assert "### Import cycles" not in architecture.build(model_of(files)).markdown


def test_requiring_a_data_file_is_not_a_broken_import() -> None:
    files: dict[str, str | bytes] = {
        "package.json": '{"name": "x"}\n',
        "lib/a.js": "const pkg = require('../package.json');\nconst b = require('./b');\n",
        "lib/b.js": "module.exports = 1;\n",
    }
    result = architecture.build(model_of(files))
    assert result.warnings == ()
    assert edges_of(files) == {("lib/a.js", "lib/b.js")}
