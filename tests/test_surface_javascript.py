"""The JavaScript/TypeScript API as users import it, against TypeDoc and Node.

TypeDoc (through the TypeScript compiler) says what an entry point exports
and which declaration each name is; every such name must be in our surface
of that module, resolved to the same declaration.  For a CommonJS package,
Node itself says what ``require("express")`` and the objects it exposes
(``app``, ``req``, ``res``, ``Router``) hold; every member the source
assigns by name must be documented as a member of its object, and those it
assigns under computed names must be covered by the module's note.
"""

from __future__ import annotations

import re
import subprocess
from functools import cache

import pytest

from docsgen.generator.analysis import analyse_source
from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.surface import Context, resolve_languages
from docsgen.generator.surface.fallback import resolve_by_file
from docsgen.generator.surface.model import PublicModule, Surface
from docsgen.generator.surface.roles import classify
from tests.support import oracles, projects

_LANGUAGES = ("JavaScript", "TypeScript")
EXPRESS_MODULES = (".", "./lib/application", "./lib/request", "./lib/response", "./lib/router")
# What ``express`` exposes as each object Node is asked about.
EXPRESS_OBJECTS = {
    "./lib/application": "application",
    "./lib/request": "request",
    "./lib/response": "response",
    "./lib/router": "Router",
}


@cache
def surface_of(project: str, without: str = "") -> tuple[Surface, dict[str, FileAnalysis]]:
    """The project's JavaScript and TypeScript surface, from the product files the real
    analyser reads (leaving out the folder ``without``)."""
    repo = projects.checkout(project)
    listed = subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotepath=off", "ls-files", "-z"],
        capture_output=True, check=True,
    ).stdout.decode().split("\0")[:-1]  # fmt: skip
    if without:
        listed = [p for p in listed if not p.startswith(without + "/")]
    texts = {p: (repo / p).read_text() for p in listed if p.rpartition("/")[2] == "package.json"}
    roles = classify(listed, texts)
    by_language: dict[str, list[FileAnalysis]] = {}
    analyses = {}
    for path in listed:
        if not roles.is_product(path):
            continue
        analysis = analyse_source(path, (repo / path).read_bytes())
        if analysis.language in _LANGUAGES and analysis.analysed:
            by_language.setdefault(analysis.language, []).append(analysis)
            analyses[path] = analysis
    context = Context(listed, texts, {p: a.module or p for p, a in analyses.items()}, roles)
    (surface,) = resolve_languages(by_language, context, resolve_by_file)
    return surface, analyses


def _declaration_line(analyses: dict[str, FileAnalysis], path: str, qualname: str) -> int:
    return next(s.line for s in analyses[path].symbols if s.qualname == qualname)


def _compare_with_typedoc(
    module: PublicModule, analyses: dict[str, FileAnalysis], theirs: dict[str, dict[str, object]]
) -> tuple[list[str], list[tuple[str, object, object]]]:
    ours = {n.name: n for n in module.names}
    missing, wrong = [], []
    for name, found in theirs.items():
        entry = ours.get(name)
        if entry is None:
            missing.append(name)
            continue
        target = entry.target
        where = (found["path"], found["line"])
        if not target.is_declaration:
            wrong.append((name, where, target))
            continue
        mine = (target.path, _declaration_line(analyses, target.path or "", target.qualname or ""))
        if mine != where:
            wrong.append((name, where, mine))
    return missing, wrong


@pytest.mark.parametrize(
    ("project", "without", "module", "entry"),
    [
        ("ky", "", "ky", "distribution/index.d.ts"),
        ("immer", "", "immer", "dist/immer.d.ts"),
        ("immer", "dist", "immer", "src/immer.ts"),
        # ``"types": {"require": "./index.d.cts", "default": "./index.d.ts"}``: the ES
        # module's declarations are documented.
        ("axios", "", "axios", "index.d.ts"),
    ],
    ids=[
        "ky-declarations",
        "immer-bundled-declarations",
        "immer-typescript-sources",
        "axios-es-module-declarations",
    ],
)
def test_every_name_typedoc_lists_is_ours_resolved_to_the_same_declaration(
    project: str, without: str, module: str, entry: str
) -> None:
    surface, analyses = surface_of(project, without)
    theirs = oracles.typedoc_declarations(project, entry)
    top = surface.module(module)
    assert top is not None and top.paths[0] == entry
    missing, wrong = _compare_with_typedoc(top, analyses, theirs)
    assert len(theirs) > 15
    assert missing == []
    assert wrong == []


def test_a_repository_without_its_build_is_documented_from_its_sources() -> None:
    """immer's package.json names ``dist/``, which its repository does not hold: the
    entry point is followed to ``src/immer.ts`` and through its barrels."""
    surface, _ = surface_of("immer", "dist")
    assert [m.name for m in surface.modules] == ["immer"]
    top = surface.module("immer")
    assert top is not None
    names = {n.name: n for n in top.names}
    nothing = names["nothing"]  # export { NOTHING as nothing } from "./internal"
    assert (nothing.target.path, nothing.target.qualname) == ("src/utils/env.ts", "NOTHING")
    assert nothing.is_canonical and nothing.how == "re-export"


def _statically_assigned(source: str, variable: str, name: str) -> bool:
    """Whether the source assigns ``name`` to ``variable`` by name (``app.use =``,
    ``Route.prototype.x =``, ``defineGetter(req, 'ip', …)``), read from its text."""
    key = re.escape(name)
    assigned = rf"(?m)^\s*{variable}(?:\.prototype)?(?:\.{key}|\[['\"]{key}['\"]\])\s*="
    defined = rf"\(\s*{variable}\s*,\s*['\"]{key}['\"]"
    return re.search(assigned, source) is not None or re.search(defined, source) is not None


def test_express_is_documented_as_node_finds_it() -> None:
    surface, analyses = surface_of("express")
    node = oracles.commonjs_members("express", EXPRESS_MODULES)
    top = surface.module("express")
    assert top is not None and [m.name for m in surface.modules] == ["express"]
    ours = {n.name: n for n in top.names}
    # What ``express()`` is: ``module.exports = createApplication``.
    created = ours["default"].target
    assert (created.path, created.qualname) == ("lib/express.js", "createApplication")
    assert sorted(set(node["."]) - set(ours)) == []
    repo = projects.checkout("express")
    for module, exposed in EXPRESS_OBJECTS.items():
        entry = ours[exposed]
        target = entry.target
        assert target.is_declaration and entry.is_canonical, exposed
        documented = {
            s.name for s in analyses[target.path or ""].symbols if s.parent == target.qualname
        }
        source = (repo / (target.path or "")).read_text()
        variable = target.qualname or ""
        dynamic = [n for n in top.notes if n.startswith(f"`express.{exposed}` gets members")]
        for name in node[module]:
            if name in documented:
                continue
            assert not _statically_assigned(source, variable, name), (exposed, name)
            assert dynamic, (exposed, name)


def test_express_members_keep_the_jsdoc_above_them_across_blank_lines() -> None:
    _, analyses = surface_of("express")
    symbols = {s.qualname: s for s in analyses["lib/express.js"].symbols}
    assert (symbols["createApplication"].doc or "").startswith("Create an express application.")
    request = {s.qualname: s for s in analyses["lib/request.js"].symbols}
    assert (request["req.get"].doc or "").startswith("Return request header.")
    assert request["req.header"].doc == request["req.get"].doc
    assert request["req.ip"].kind == "property"
    assert (request["req.ip"].doc or "").startswith("Return the remote address")


def test_express_notes_say_where_names_are_computed() -> None:
    surface, _ = surface_of("express")
    top = surface.module("express")
    assert top is not None
    assert any("`app[method] = …`, `lib/application.js` line 490" in n for n in top.notes)
    assert any("`proto[method] = …`, `lib/router/index.js` line 519" in n for n in top.notes)


# --- the rules, on small packages -------------------------------------------------------


def surface_from(files: dict[str, str]) -> Surface:
    texts = {p: t for p, t in files.items() if p.rpartition("/")[2] == "package.json"}
    by_language: dict[str, list[FileAnalysis]] = {}
    for path, text in files.items():
        analysis = analyse_source(path, text.encode())
        if analysis.language in _LANGUAGES:
            by_language.setdefault(analysis.language or "", []).append(analysis)
    context = Context(list(files), texts, {}, classify(files, texts))
    (surface,) = resolve_languages(by_language, context, resolve_by_file)
    return surface


def names_of(surface: Surface, module: str) -> dict[str, tuple[str | None, str | None]]:
    found = surface.module(module)
    assert found is not None, [m.name for m in surface.modules]
    return {n.name: (n.target.path, n.target.qualname or n.target.external) for n in found.names}


def test_each_subpath_of_exports_is_a_module_and_unreached_files_are_not() -> None:
    surface = surface_from({
        "package.json": '{"name": "@acme/kit", "exports": {".": {"types": "./index.d.ts", '
                        '"default": "./index.js"}, "./fp": "./fp.js", "./utils/*": "./utils/*.js",'
                        ' "./package.json": "./package.json"}}',
        "index.js": "export function run() {}\n",
        "index.d.ts": "/** Runs. */\nexport declare function run(): void;\n",
        "fp.js": "export { run as go } from './index.js';\n",
        "utils/strings.js": "export const pad = (s) => s;\n",
        "internal/helper.js": "export function helper() {}\n",
    })  # fmt: skip
    assert [m.name for m in surface.modules] == [
        "@acme/kit", "@acme/kit/fp", "@acme/kit/utils/strings"]  # fmt: skip
    top = surface.module("@acme/kit")
    assert top is not None and top.paths == ("index.d.ts", "index.js")
    assert names_of(surface, "@acme/kit") == {"run": ("index.d.ts", "run")}
    assert names_of(surface, "@acme/kit/fp") == {"go": ("index.js", "run")}
    assert surface.canonical[("index.d.ts", "run")] == "@acme/kit.run"


def test_a_package_json_without_a_name_marks_a_folder_not_a_package() -> None:
    surface = surface_from({
        "package.json": '{"name": "dual", "exports": {"import": "./dist/esm/index.js", '
                        '"require": "./dist/cjs/index.js"}}',
        "dist/esm/package.json": '{"type": "module"}',
        "dist/esm/index.js": "export const a = 1;\n",
        "dist/cjs/index.js": "exports.a = 1;\n",
    })  # fmt: skip
    assert [m.name for m in surface.modules] == ["dual"]
    top = surface.module("dual")
    assert top is not None and top.paths == ("dist/esm/index.js", "dist/cjs/index.js")
    assert names_of(surface, "dual") == {"a": ("dist/esm/index.js", "a")}


def test_a_js_specifier_in_typescript_names_the_typescript_file() -> None:
    surface = surface_from({
        "package.json": '{"name": "pkg", "types": "./dist/index.d.ts"}',
        "dist/index.d.ts": "export { Client } from './client.js';\nexport * from './errors.js';\n",
        "dist/client.d.ts": "export declare class Client {}\n",
        "dist/client.js": "export class Client {}\n",
        "dist/errors.d.ts": "export declare class HTTPError {}\nexport default 1;\n",
    })  # fmt: skip
    assert names_of(surface, "pkg") == {
        "Client": ("dist/client.d.ts", "Client"),
        "HTTPError": ("dist/errors.d.ts", "HTTPError"),  # ``export *`` leaves default out
    }


def test_entry_points_naming_a_missing_build_are_followed_to_the_sources() -> None:
    surface = surface_from({
        "package.json": '{"name": "pkg", "main": "./dist/cjs/index.js", '
                        '"types": "./dist/types/index.d.ts"}',
        "src/index.ts": "export * from './core';\nexport { default as make } from './make';\n",
        "src/core/index.ts": "export const VERSION = '1';\n",
        "src/make.ts": "export default function make() {}\n",
    })  # fmt: skip
    assert [m.name for m in surface.modules] == ["pkg"]
    assert names_of(surface, "pkg") == {
        "VERSION": ("src/core/index.ts", "VERSION"),
        "make": ("src/make.ts", "default"),
    }
    assert surface.canonical[("src/make.ts", "default")] == "pkg.make"


def test_without_a_package_each_file_is_a_module_of_its_exports() -> None:
    surface = surface_from({
        "src/a.ts": "export const a = 1;\nexport { b } from './b';\n",
        "src/b.ts": "export const b = 2;\nconst hidden = 3;\n",
    })  # fmt: skip
    assert [m.name for m in surface.modules] == ["src/a", "src/b"]
    assert names_of(surface, "src/b") == {"b": ("src/b.ts", "b")}
    assert surface.canonical[("src/b.ts", "b")] == "src/b.b"  # its own module: shorter


def test_star_exports_outside_the_repository_and_cycles_are_noted_not_followed() -> None:
    surface = surface_from({
        "package.json": '{"name": "pkg", "main": "a.js"}',
        "a.js": "export * from './b.js';\nexport * from 'lodash';\nexport const a = 1;\n",
        "b.js": "export * from './a.js';\nexport const b = 2;\n",
    })  # fmt: skip
    assert names_of(surface, "pkg") == {"a": ("a.js", "a"), "b": ("b.js", "b")}
    top = surface.module("pkg")
    assert top is not None
    assert any("export * from 'lodash'" in note for note in top.notes)


def test_names_that_cannot_be_read_and_packages_of_one_name_are_said_so() -> None:
    surface = surface_from({
        "package.json": '{"name": "pkg", "main": "index.js"}',
        "index.js": "const internal = require('./internal');\n"
                    "module.exports = { tokens: internal.t, made: internal.made };\n",
        "internal.js": "exports.t = {};\nObject.assign(exports, { made: 1 });\n",
        "vendor/pkg/package.json": '{"name": "pkg", "main": "index.js"}',
        "vendor/pkg/index.js": "exports.old = 1;\n",
    })  # fmt: skip
    assert [m.name for m in surface.modules] == ["pkg", "pkg (vendor/pkg)"]
    assert names_of(surface, "pkg") == {
        "tokens": ("internal.js", "t"),
        "made": (None, "internal.made"),
    }
    top = surface.module("pkg")
    assert top is not None and top.notes == (
        "`pkg.made` is `made` of `internal.js`, which does not export it in a way that can "
        "be read.",
    )


def test_commonjs_default_and_members_as_require_gives_them() -> None:
    surface = surface_from({
        "package.json": '{"name": "srv"}',
        "index.js": "module.exports = require('./lib/srv');\n",
        "lib/srv.js": "exports = module.exports = create;\n"
                      "function create() {}\n"
                      "exports.proto = require('./proto');\n",
        "lib/proto.js": "var proto = module.exports = {};\n"
                        "proto.listen = function listen(port) {};\n"
                        "['get', 'put'].forEach(function (m) { proto[m] = function () {}; });\n",
    })  # fmt: skip
    assert names_of(surface, "srv") == {
        "default": ("lib/srv.js", "create"),
        "proto": ("lib/proto.js", "proto"),
    }
    top = surface.module("srv")
    assert top is not None
    assert top.notes == (
        "`srv.proto` gets members computed when the code runs (`proto[m] = …`, "
        "`lib/proto.js` line 3): they cannot be listed.",
    )


def test_a_packages_test_file_and_type_tests_are_not_its_product() -> None:
    roles = classify(
        ["index.js", "index.d.ts", "test.js", "index.test-d.ts", "src/a.test.ts"],
        {"package.json": '{"name": "x", "main": "index.js"}'},
    )
    assert [p for p in roles.of if roles.is_product(p)] == ["index.js", "index.d.ts"]
    assert {r.where for r in roles.reasons if r.role == "test"} == {
        "test.*", "*.test-d.*", "*.test.js / *.spec.js"}  # fmt: skip
