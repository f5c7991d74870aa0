"""JavaScript and TypeScript files: what each exports, its members, and its doc comments."""

from __future__ import annotations

from docsgen.generator.analysis.declarations import analyse
from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol


def analysed(source: str, path: str = "lib/app.js") -> FileAnalysis:
    language = "TypeScript" if path.endswith((".ts", ".tsx")) else "JavaScript"
    return analyse(path, source, language)


def symbols(source: str, path: str = "lib/app.js") -> dict[str, Symbol]:
    return {s.qualname: s for s in analysed(source, path).symbols}


def test_the_last_doc_block_before_a_declaration_is_its_doc_across_blank_lines() -> None:
    found = symbols(
        "'use strict';\n\n"
        "/** Not this one. */\n\n/** Adds two numbers. */\n\n"
        "// eslint-disable-next-line\n\n"
        "export function add(a, b) { return a + b; }\n\n"
        "/* a plain comment is no doc */\n"
        "export function sub(a, b) { return a - b; }\n",
        "src/math.js",
    )
    assert found["add"].doc == "Adds two numbers."
    assert found["sub"].doc is None


def test_a_tagged_file_doc_is_the_files_not_its_first_declarations() -> None:
    tagged = analysed("/** Math helpers. @packageDocumentation */\n\nexport const PI = 3.14;\n")
    assert tagged.doc == "Math helpers." and tagged.doc_line == 1
    assert tagged.symbols[0].doc is None
    plain = analysed("/** The circle constant. */\n\nexport const PI = 3.14;\n")
    assert plain.doc is None
    assert plain.symbols[0].doc == "The circle constant."
    before_imports = analysed("/** Math helpers. */\n\nimport x from 'x';\nexport const y = x;\n")
    assert before_imports.doc == "Math helpers."


def test_members_assigned_to_a_commonjs_export_are_its_members() -> None:
    found = symbols(
        "/** Application prototype. */\n\n"
        "var app = exports = module.exports = {};\n\n"
        "/**\n * Use middleware.\n */\n\n"
        "app.use = function use(fn) {};\n"
        "/** Get or header. */\n"
        "req.get =\nreq.header = function header(name) {};\n"
        "app.del = deprecate.function(app.delete, 'use delete');\n"
        "app['m-search'] = function () {};\n"
    )
    assert [q for q in found] == ["app", "app.use", "app.del", "app.m-search", "default"]
    assert found["app"].doc == "Application prototype." and not found["app"].public
    assert found["default"].kind == "reexport" and found["default"].target == "app"
    use = found["app.use"]
    assert (use.kind, use.parent, use.signature, use.doc) == ("method", "app", "use(fn)",
                                                              "Use middleware.")  # fmt: skip
    assert found["app.del"].kind == "attribute"


def test_prototype_assignments_and_property_definitions_are_members() -> None:
    found = symbols(
        "module.exports = Route;\n"
        "function Route(path) { this.path = path; }\n"
        "/** Dispatch. */\nRoute.prototype.dispatch = function dispatch(req) {};\n"
        "/** The protocol. */\ndefineGetter(Route, 'protocol', function protocol() {});\n"
        "Object.defineProperty(Route, 'secure', { get: function () {} });\n"
        "function defineGetter(obj, name, getter) {\n"
        "  Object.defineProperty(obj, name, { get: getter });\n}\n"
    )
    assert found["Route.dispatch"].doc == "Dispatch."
    assert found["Route.protocol"].kind == "property"
    assert found["Route.protocol"].doc == "The protocol."
    assert found["Route.secure"].kind == "property"
    assert "defineGetter" not in found  # not exported


def test_members_with_computed_names_are_kept_with_their_line() -> None:
    found = analysed(
        "var app = module.exports = {};\n"
        "methods.forEach(function (method) {\n"
        "  app[method] = function () {};\n"
        "});\n"
        "names.forEach(function (name) {\n"
        "  Object.defineProperty(exports, name, { get: function () {} });\n"
        "});\n"
        "function make() { var app = {}; app[x] = 1; return app; }\n"
        "app['literal'] = 1;\n"
        "const re = exports.re = [];\n"
        "re[index] = 1;\n"
    )
    assert found.dynamic_members == (
        ("app", 3, "app[method] = …"),
        ("", 6, "Object.defineProperty(exports, name, …)"),
    )


def test_names_exported_from_requires_are_re_exports_of_them() -> None:
    found = analysed(
        "var proto = require('./application');\n"
        "var bodyParser = require('body-parser');\n"
        "var { join, resolve: res } = require('path');\n"
        "exports.application = proto;\n"
        "exports.json = bodyParser.json;\n"
        "exports.query = require('./middleware/query');\n"
        "exports.Router = require('./router').Router;\n"
        "exports.resolve = res;\n"
    )
    targets = {s.name: s.target for s in found.symbols if s.kind == "reexport"}
    assert targets == {
        "application": "./application.default",
        "json": "body-parser.json",
        "query": "./middleware/query.default",
        "Router": "./router.Router",
        "resolve": "path.resolve",
    }


def test_a_variable_assigned_to_exports_where_it_is_declared_is_exported() -> None:
    found = symbols(
        "exports = module.exports = {};\n"
        "const re = exports.re = [];\n"
        "const src = exports.source = [];\n"
    )
    assert list(found) == ["re", "src", "source"]
    assert found["re"].public and found["re"].kind == "constant"
    assert not found["src"].public
    assert (found["source"].kind, found["source"].target) == ("reexport", "src")


def test_module_exports_of_a_require_exports_that_modules_names() -> None:
    found = analysed("'use strict';\n\nmodule.exports = require('./lib/express');\n", "index.js")
    assert found.star_imports == (("./lib/express", 3),)
    (default,) = found.symbols
    assert (default.name, default.kind, default.target) == (
        "default",
        "reexport",
        "./lib/express.default",
    )


def test_es_exports_of_imports_and_defaults_are_re_exports() -> None:
    found = analysed(
        "import ky, { Options as O } from './core.js';\n"
        "import * as hooks from './hooks.js';\n"
        "import type { Input } from './types.js';\n"
        "export { O as Options, hooks, Input };\n"
        "export default ky;\n"
        "export * from './errors.js';\n"
        "export * as utils from './utils.js';\n"
        "export { default as Ky, stop } from './ky.js';\n",
        "src/index.ts",
    )
    targets = {s.name: s.target for s in found.symbols}
    assert targets == {
        "Options": "./core.js.Options",
        "hooks": "./hooks.js.*",
        "Input": "./types.js.Input",
        "default": "./core.js.default",
        "utils": "./utils.js.*",
        "Ky": "./ky.js.default",
        "stop": "./ky.js.stop",
    }
    assert found.star_imports == (("./errors.js", 6),)
    assert found.exports is not None and "default" in found.exports


def test_a_default_exported_class_is_documented_as_default() -> None:
    found = symbols("/** A client. */\nexport default class Client {\n  get() {}\n}\n", "a.ts")
    assert list(found) == ["default", "default.get"]
    assert found["default"].signature == "class Client" and found["default"].doc == "A client."


def test_generic_call_signatures_on_their_own_lines_are_read() -> None:
    found = analysed(
        "export interface Produce {\n"
        "  <T>(base: T): T\n"
        "  <T, R>(base: T, recipe: R): T\n"
        "}\n"
        "export type Producer<T> = (draft: T) => T\n",
        "src/types.ts",
    )
    assert found.warnings == ()
    assert [s.name for s in found.symbols if s.parent is None] == ["Produce", "Producer"]
    assert found.symbols[-1].line == 5
