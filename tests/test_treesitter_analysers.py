"""TypeScript/JavaScript, Go, Rust and Java: what is public, with signatures and doc comments."""

from __future__ import annotations

from docsgen.generator.analysis.declarations import analyse
from docsgen.generator.analysis.file_analysis import Symbol


def symbols(path: str, language: str, source: str) -> dict[str, Symbol]:
    return {s.qualname: s for s in analyse(path, source, language).symbols}


def test_typescript_lists_exports_and_public_members_with_tsdoc() -> None:
    found = symbols(
        "src/api.ts",
        "TypeScript",
        "/** Adds. @param a first */\n"
        "export function add(a: number, b = 2, ...rest: number[]): number { return a; }\n"
        "function hidden() {}\n"
        "export { hidden as shown };\n"
        "export abstract class Base<T> {\n"
        "  /** Runs. */\n  abstract run(x: T): void;\n"
        "  protected guarded(): void {}\n  #secret = 1;\n  static count = 0;\n}\n"
        "export enum Color { Red, Green = 'g' }\n"
        "export { helper } from './helpers';\n"
        "export default function () {}\n",
    )
    assert list(found) == [
        "add",
        "Base",
        "Base.run",
        "Base.count",
        "Color",
        "Color.Red",
        "Color.Green",
        "helper",
        "default",
        "hidden",
        "shown",
    ]
    assert not found["hidden"].public  # exported only as ``shown``, a re-export of it
    assert found["shown"].kind == "reexport" and found["shown"].target == "hidden"
    add = found["add"]
    assert add.signature == "function add(a: number, b = 2, ...rest: number[]): number"
    # The doc comment is kept whole, its tags with it: rendering parses them.
    assert add.doc == "Adds. @param a first"
    assert [(p.name, p.kind, p.annotation, p.default) for p in add.parameters] == [
        ("a", "positional-or-keyword", "number", None),
        ("b", "positional-or-keyword", None, "2"),
        ("rest", "var-positional", "number[]", None),
    ]
    assert found["Base"].signature == "abstract class Base<T>"
    assert found["Base.run"].doc == "Runs."
    assert found["helper"].kind == "reexport" and found["helper"].target == "./helpers.helper"


def test_javascript_commonjs_exports_are_public() -> None:
    found = symbols(
        "lib/index.js",
        "JavaScript",
        "/** Pads. */\nfunction pad(s, n = 1) {}\nfunction internal() {}\n"
        "exports.shout = (s) => s.toUpperCase();\nmodule.exports.pad = pad;\n",
    )
    assert list(found) == ["shout", "pad"]
    assert found["pad"].signature == "function pad(s, n = 1)"
    assert found["pad"].doc == "Pads."
    assert found["shout"].signature == "shout(s)"


def test_go_exports_capitalised_names_with_their_doc_comments() -> None:
    result = analyse(
        "store/kv.go",
        "// Package store keeps values.\npackage store\n\n"
        "// Store holds values.\n// It is safe for concurrent use.\n"
        "type Store struct {\n\tItems map[string]string\n\tmu sync.Mutex\n}\n\n"
        "// Get returns a value.\n"
        'func (s *Store) Get(key string) (string, bool) { return "", false }\n'
        "func (s *Store) lock() {}\n\n"
        "// Getter gets.\ntype Getter interface {\n\tGet(key string) (string, bool)\n}\n\n"
        "const (\n\t// Limit is the most items.\n\tLimit = 10\n\tsecret = 1\n)\n",
        "Go",
    )
    found = {s.qualname: s for s in result.symbols}
    assert list(found) == ["Store", "Store.Items", "Store.Get", "Getter", "Getter.Get", "Limit"]
    assert (result.module, result.doc) == ("store", "Package store keeps values.")
    assert found["Store"].doc == "Store holds values.\nIt is safe for concurrent use."
    assert found["Store.Get"].signature == "func (s *Store) Get(key string) (string, bool)"
    assert found["Store.Get"].returns == "(string, bool)"
    assert found["Limit"].doc == "Limit is the most items."


def test_rust_lists_pub_items_and_inherent_methods_with_doc_comments() -> None:
    result = analyse(
        "src/net/mod.rs",
        "//! Networking.\n\n/// A socket.\n#[derive(Debug)]\n"
        "pub struct Socket { pub port: u16, fd: i32 }\n"
        "impl Socket {\n    /// Opens one.\n    pub fn open(port: u16) -> Self { todo!() }\n"
        "    fn raw(&self) {}\n}\n"
        "impl Drop for Socket { fn drop(&mut self) {} }\n"
        "pub(crate) fn internal() {}\n"
        "/// Things that connect.\npub trait Connect { fn connect(&self) -> bool; }\n",
        "Rust",
    )
    found = {s.qualname: s for s in result.symbols}
    assert list(found) == ["Socket", "Socket.port", "Socket.open", "Connect", "Connect.connect"]
    assert (result.module, result.doc) == ("crate::net", "Networking.")
    assert found["Socket"].doc == "A socket."
    assert found["Socket.open"].signature == "pub fn open(port: u16) -> Self"
    assert found["Socket.open"].doc == "Opens one."


def test_modules_nested_deeper_than_the_walk_goes_are_listed_but_not_entered() -> None:
    depth = 30
    source = "".join(f"pub mod m{i} {{\n" for i in range(depth)) + "pub fn deep() {}\n"
    source += "}\n" * depth
    result = analyse("src/lib.rs", source, "Rust")
    modules = [s.qualname for s in result.symbols if s.kind == "module"]
    # The walk enters 20 levels below the top: 21 modules are listed, nothing inside.
    assert modules == [".".join(f"m{i}" for i in range(n + 1)) for n in range(21)]
    assert [s.kind for s in result.symbols] == ["module"] * 21


def test_java_lists_public_types_and_members_with_javadoc() -> None:
    result = analyse(
        "src/com/acme/Bank.java",
        "package com.acme;\n\n/** A bank.\n * @since 1 */\npublic class Bank {\n"
        "  /** Opens an account. */\n  @Override\n  public Account open(String owner, int... ids) "
        "{ return null; }\n"
        "  private void audit() {}\n  int packagePrivate;\n"
        "  public interface Listener { void changed(Account a); }\n}\n"
        "class Hidden {}\n",
        "Java",
    )
    found = {s.qualname: s for s in result.symbols}
    assert list(found) == ["Bank", "Bank.open", "Bank.Listener", "Bank.Listener.changed"]
    assert result.module == "com.acme"
    assert found["Bank"].doc == "A bank.\n@since 1"
    open_ = found["Bank.open"]
    assert open_.signature == "public Account open(String owner, int... ids)"
    assert open_.decorators == ("@Override",)
    assert [(p.name, p.kind) for p in open_.parameters] == [
        ("owner", "positional-or-keyword"),
        ("ids", "var-positional"),
    ]


def test_other_languages_are_not_analysed() -> None:
    result = analyse("main.c", "int main(void) { return 0; }\n", "C")
    assert not result.analysed
    assert result.symbols == ()
