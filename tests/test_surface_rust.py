"""The Rust API as users import it, against rustdoc, and the compiler's rules one by one.

rustdoc (``cargo doc``'s ``all.html``, each item's source link) says which
items of a crate users can name, where, and which declaration each is:
every one must be a public name of ours under the same path, resolved to that
declaration; and ours must show nothing rustdoc hides (private modules,
``#[doc(hidden)]``) beyond what a feature left off by default brings.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from functools import cache

import pytest

from docsgen.generator.analysis.declarations.rust import analyse
from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.api_entries import render
from docsgen.generator.surface.model import STAR, SUBMODULE, PublicName, Surface, Target
from docsgen.generator.surface.roles import classify
from docsgen.generator.surface.rust import resolve
from tests.support import oracles, projects

CRATE = "serde_json"
# Crates checked against rustdoc (serde_json, and two Rust 2015/2018 crates it depends
# on), with the crates rustdoc needs to build each.  serde itself is left out: 17 of the
# 60 items rustdoc lists for it are made by its own macros, which are not followed.
CRATES = {"serde_json": ("serde", "itoa", "ryu"), "itoa": (), "ryu": ()}
# rustdoc's kinds of item -> ours
KINDS = {"fn": "function", "struct": "struct", "enum": "enum", "trait": "trait", "type": "type",
         "macro": "macro", "constant": "constant", "static": "constant", "union": "struct"}  # fmt: skip


@cache
def surface_of(project: str) -> tuple[Surface, dict[str, FileAnalysis], dict[str, str]]:
    repo = projects.checkout(project)
    listed = subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotepath=off", "ls-files", "-z"],
        capture_output=True, check=True,
    ).stdout.decode().split("\0")[:-1]  # fmt: skip
    texts = {p: (repo / p).read_text() for p in listed if p.rpartition("/")[2] == "Cargo.toml"}
    roles = classify(listed, texts)
    code = [p for p in listed if p.endswith(".rs") and roles.is_product(p)]
    analyses = {p: analyse(p, (repo / p).read_text(), "Rust") for p in code}
    return resolve(analyses.values(), texts), analyses, texts


def declared(analyses: dict[str, FileAnalysis], target: Target) -> Symbol | None:
    analysis = analyses.get(target.path or "")
    return (
        next((s for s in analysis.symbols if s.qualname == target.qualname), None)
        if analysis
        else None
    )


def public_names(surface: Surface) -> dict[str, PublicName]:
    return {n.qualified: n for m in surface.modules for n in m.names}


@pytest.mark.parametrize("crate", sorted(CRATES))
def test_every_item_rustdoc_lists_is_ours_under_its_path_resolved_to_its_declaration(
    crate: str,
) -> None:
    surface, analyses, _ = surface_of(crate)
    theirs = oracles.rustdoc_declarations(crate, CRATES[crate])
    ours = public_names(surface)
    assert theirs
    missing, wrong = [], []
    for path, (kind, file, first, last) in sorted(theirs.items()):
        name = ours.get(f"{crate}::{path}")
        if name is None:
            missing.append(path)
            continue
        symbol = declared(analyses, name.target)
        where = (name.target.path, symbol.kind if symbol else None, symbol.line if symbol else 0)
        if where[:2] != (f"src/{file}", KINDS[kind]) or not first <= where[2] <= last:
            wrong.append((path, (f"src/{file}", KINDS[kind], first, last), where))
    assert missing == []
    assert wrong == []
    assert surface.module(crate) is not None and surface.separator == "::"


def _features_on(texts: dict[str, str]) -> set[str]:
    features = tomllib.loads(texts["Cargo.toml"]).get("features", {})
    on, todo = set(), ["default"]
    while todo:
        feature = todo.pop()
        if feature in features and feature not in on:
            on.add(feature)
            todo.extend(features[feature])
    return on


def _gated_off(symbols: list[Symbol], on: set[str]) -> bool:
    """Whether one of the symbols is compiled only with a feature left off by default."""
    wanted = [
        m[1]
        for s in symbols
        for d in s.decorators
        if (m := re.fullmatch(r'#\[cfg\(feature = "([\w-]+)"\)\]', d))
    ]
    return any(feature not in on for feature in wanted)


@pytest.mark.parametrize("crate", sorted(CRATES))
def test_ours_shows_no_private_module_and_nothing_hidden_beyond_features_off_by_default(
    crate: str,
) -> None:
    surface, analyses, texts = surface_of(crate)
    theirs = oracles.rustdoc_declarations(crate, CRATES[crate])
    their_modules = {crate} | {
        "::".join((crate, *path.split("::")[:i]))
        for path in theirs
        for i in range(1, path.count("::") + 1)
    }
    assert {m.name for m in surface.modules} == their_modules
    on = _features_on(texts)
    listed = [(f"src/{file}", first, last) for _, file, first, last in theirs.values()]
    not_theirs = []
    for module in surface.modules:
        here = analyses[module.paths[0]].symbols
        for name in module.names:
            if name.how == SUBMODULE or name.qualified.removeprefix(crate + "::") in theirs:
                continue
            target = declared(analyses, name.target)
            if target is not None and any(
                name.target.path == file and first <= target.line <= last
                for file, first, last in listed
            ):
                # Another path of an item rustdoc lists: rustdoc shows a ``pub use`` of an
                # item public elsewhere as a re-export line of the module, not as an item.
                assert not name.is_canonical, name.qualified
                continue
            written = [s for s in here if s.name == name.name and s.line == name.line]
            if not _gated_off(written + ([target] if target else []), on):
                not_theirs.append(name.qualified)
    assert not_theirs == []


def members(analyses: dict[str, FileAnalysis], name: PublicName) -> dict[str, Symbol]:
    """The methods and constants documented under a name: its own, and those of the
    ``impl`` blocks attached to it from elsewhere."""
    found = {}
    for target in (name.target, *name.members):
        for s in analyses[target.path or ""].symbols:
            if s.parent == target.qualname and s.kind in ("method", "constant"):
                found[s.name] = s
    return found


@pytest.mark.parametrize("crate", sorted(CRATES))
def test_the_methods_rustdoc_shows_on_each_type_and_trait_are_its_members_here(
    crate: str,
) -> None:
    surface, analyses, texts = surface_of(crate)
    theirs = oracles.rustdoc_members(crate, CRATES[crate])
    names = public_names(surface)
    on = _features_on(texts)
    missing, not_theirs = {}, {}
    for path, methods in sorted(theirs.items()):
        ours = members(analyses, names[f"{crate}::{path}"])
        if lost := sorted(set(methods) - set(ours)):
            missing[path] = lost
        if more := [m for m in sorted(set(ours) - set(methods)) if not _gated_off([ours[m]], on)]:
            not_theirs[path] = more
    assert missing == {}
    assert not_theirs == {}


def test_a_type_alias_between_a_type_and_its_impl_does_not_take_its_methods() -> None:
    _, analyses, _ = surface_of(CRATE)
    reference = render(analyses["src/error.rs"])
    members = [b.qualname for b in reference.members_of("Error")]
    assert {"Error.line", "Error.column", "Error.classify"} <= set(members)
    assert reference.members_of("Result") == []
    order = [b.qualname for b in reference.blocks]
    assert order.index("Result") > order.index("Error.column")


def test_hidden_trait_methods_and_sealed_traits_are_left_out() -> None:
    surface, analyses, _ = surface_of(CRATE)
    read = next(s for s in analyses["src/read.rs"].symbols if s.qualname == "Read")
    assert not [s for s in analyses["src/read.rs"].symbols if s.parent == read.qualname]
    slice_read = public_names(surface)[f"{CRATE}::de::SliceRead"]
    assert slice_read.implements and not any("Sealed" in t for t in slice_read.implements)


# --- the compiler's rules, one crate each ------------------------------------------------

CARGO = '[package]\nname = "my-crate"\nversion = "0.1.0"\n'


def surface(files: dict[str, str]) -> Surface:
    analyses = [analyse(p, text, "Rust") for p, text in files.items() if p.endswith(".rs")]
    texts = {p: text for p, text in files.items() if p.endswith("Cargo.toml")}
    return resolve(analyses, texts)


def where(name: PublicName) -> tuple[str | None, str | None]:
    return (name.target.path, name.target.qualname)


def test_a_private_modules_items_are_public_only_through_pub_use() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": "mod inner;\npub mod outer;\npub use inner::Thing;\n"
                      "pub use self::inner::helper as renamed;\npub(crate) fn internal() {}\n"
                      "pub(crate) mod cratewide;\npub(super) fn up() {}\n",
        "src/inner.rs": "pub struct Thing;\npub fn helper() {}\npub struct NotExported;\n",
        "src/outer/mod.rs": "pub mod deep;\npub fn f() {}\npub(in crate::outer) fn g() {}\n",
        "src/outer/deep.rs": "pub struct D;\n",
        "src/cratewide.rs": "pub fn c() {}\n",
    })  # fmt: skip
    assert [m.name for m in found.modules] == ["my_crate", "my_crate::outer",
                                               "my_crate::outer::deep"]  # fmt: skip
    names = public_names(found)
    assert sorted(names) == ["my_crate::Thing", "my_crate::outer", "my_crate::outer::deep",
                             "my_crate::outer::deep::D", "my_crate::outer::f",
                             "my_crate::renamed"]  # fmt: skip
    assert where(names["my_crate::Thing"]) == ("src/inner.rs", "Thing")
    assert names["my_crate::Thing"].is_canonical
    assert where(names["my_crate::renamed"]) == ("src/inner.rs", "helper")
    assert names["my_crate::Thing"].target.module == "my_crate::inner"


def test_glob_reexports_bring_in_public_names_through_nested_modules() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": "mod value;\npub use crate::value::*;\n",
        "src/value.rs": "pub struct Value;\npub fn to_value() {}\nfn private() {}\n"
                        "pub(crate) fn semi() {}\npub use self::nested::*;\n"
                        "mod nested {\n    pub fn deep() {}\n}\n",
    })  # fmt: skip
    top = found.module("my_crate")
    assert top is not None
    assert {n.name: (n.how, where(n)) for n in top.names} == {
        "Value": (STAR, ("src/value.rs", "Value")),
        "to_value": (STAR, ("src/value.rs", "to_value")),
        "deep": (STAR, ("src/value.rs", "nested.deep")),
    }


def test_exported_macros_are_at_the_root_and_hidden_or_test_items_are_not_public() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": "#[macro_use]\nmod macros;\n#[doc(hidden)]\npub mod __private {\n"
                      "    pub fn x() {}\n}\n#[doc(hidden)]\npub fn hidden() {}\n"
                      "#[cfg(test)]\nmod tests {\n    pub fn t() {}\n}\npub struct Shown {\n"
                      "    pub a: u8,\n    #[doc(hidden)]\n    pub b: u8,\n}\n",
        "src/macros.rs": "/// Builds JSON.\n#[macro_export(local_inner_macros)]\n"
                         "macro_rules! json { () => {} }\n"
                         "#[macro_export]\n#[doc(hidden)]\nmacro_rules! json_internal { () => {} }\n"
                         "macro_rules! local { () => {} }\n",
    })  # fmt: skip
    names = public_names(found)
    assert sorted(names) == ["my_crate::Shown", "my_crate::json"]
    assert where(names["my_crate::json"]) == ("src/macros.rs", "json")
    lib = analyse("src/lib.rs", "pub struct Shown {\n    pub a: u8,\n    #[doc(hidden)]\n"
                  "    pub b: u8,\n}\n", "Rust")  # fmt: skip
    assert [s.qualname for s in lib.symbols] == ["Shown", "Shown.a"]


def test_impl_blocks_elsewhere_are_members_and_implemented_traits_are_listed() -> None:
    files = {
        "Cargo.toml": CARGO,
        "src/lib.rs": "pub mod value;\nmod extra;\nmod sealed {\n    pub trait Sealed {}\n}\n",
        "src/value.rs": "/// A value.\n#[derive(Clone, Debug)]\npub struct Value;\n"
                        "impl Value {\n    pub fn get(&self) {}\n    fn private(&self) {}\n}\n"
                        "pub trait Shape {}\n",
        "src/extra.rs": "use crate::value::Value;\nuse std::fmt;\n"
                        "impl Value {\n    /// Whether it is null.\n"
                        "    pub fn is_null(&self) -> bool { true }\n}\n"
                        "impl fmt::Display for Value {}\nimpl crate::value::Shape for Value {}\n"
                        "impl crate::sealed::Sealed for Value {}\n",
    }  # fmt: skip
    value = public_names(surface(files))["my_crate::value::Value"]
    assert value.members == (Target("src/extra.rs", "impl Value", "my_crate::extra"),)
    assert value.implements == ("Clone", "Debug", "fmt::Display", "crate::value::Shape")
    extra = render(analyse("src/extra.rs", files["src/extra.rs"], "Rust"))
    assert [b.qualname for b in extra.members_of("impl Value")] == ["impl Value.is_null"]
    own = render(analyse("src/value.rs", files["src/value.rs"], "Rust"))
    assert [b.qualname for b in own.members_of("Value")] == ["Value.get"]


def test_the_library_is_cargos_lib_target_and_binaries_are_not_api() -> None:
    found = surface({
        "Cargo.toml": '[package]\nname = "x-y"\n\n[lib]\nname = "xy_api"\npath = "src/api.rs"\n'
                      '\n[[bin]]\nname = "tool"\npath = "src/main.rs"\n',
        "src/api.rs": "pub fn f() {}\n",
        "src/main.rs": "pub fn main_helper() {}\nfn main() {}\n",
        "build.rs": "pub fn build() {}\n",
    })  # fmt: skip
    assert sorted(public_names(found)) == ["xy_api::f"]


def test_a_lib_rs_without_a_manifest_is_a_crate_named_after_its_folder() -> None:
    found = surface({"mylib/src/lib.rs": "pub fn f() {}\n"})
    assert sorted(public_names(found)) == ["mylib::f"]


def test_modules_are_found_as_the_compiler_finds_them() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": '#[path = "platform/unix.rs"]\npub mod sys;\npub mod inline {\n'
                      "    pub fn i() {}\n    pub mod nested;\n}\npub mod a;\n",
        "src/platform/unix.rs": "pub fn open() {}\npub mod helpers;\n",
        "src/platform/helpers.rs": "pub fn h() {}\n",
        "src/inline/nested.rs": "pub fn n() {}\n",
        "src/a.rs": "pub mod b;\n",
        "src/a/b.rs": "pub struct B;\npub use super::super::top_level as also;\n",
    })  # fmt: skip
    names = public_names(found)
    assert where(names["my_crate::sys::open"]) == ("src/platform/unix.rs", "open")
    assert where(names["my_crate::sys::helpers::h"]) == ("src/platform/helpers.rs", "h")
    assert where(names["my_crate::inline::i"]) == ("src/lib.rs", "inline.i")
    assert where(names["my_crate::inline::nested::n"]) == ("src/inline/nested.rs", "n")
    assert where(names["my_crate::a::b::B"]) == ("src/a/b.rs", "B")
    assert where(names["my_crate::a::b::also"]) == (None, None)  # no such item: noted
    (note,) = next(m for m in found.modules if m.name == "my_crate::a::b").notes
    assert "super::super::top_level" in note


def test_an_item_under_two_cfgs_is_public_when_either_is_and_keeps_its_condition() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": '#[cfg(feature = "std")]\npub mod ser;\n#[cfg(not(feature = "std"))]\n'
                      'mod ser;\n#[cfg(feature = "raw")]\npub fn raw() {}\n',
        "src/ser.rs": "pub fn to_string() {}\n",
    })  # fmt: skip
    assert "my_crate::ser::to_string" in public_names(found)
    lib = analyse("src/lib.rs", '#[cfg(feature = "raw")]\npub fn raw() {}\n', "Rust")
    assert lib.symbols[0].decorators == ('#[cfg(feature = "raw")]',)


def test_each_item_is_documented_under_its_shortest_name_and_outside_names_stay_outside() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": "pub mod map;\npub use map::Map;\npub use serde::{Serialize, de::Error as DeError};\n",
        "src/map.rs": "pub struct Map;\n",
    })  # fmt: skip
    names = public_names(found)
    assert names["my_crate::map::Map"].canonical == "my_crate::Map"
    assert names["my_crate::Map"].is_canonical
    assert names["my_crate::Serialize"].target == Target(external="serde::Serialize")
    assert names["my_crate::DeError"].target == Target(external="serde::de::Error")
    assert found.canonical[("src/map.rs", "Map")] == "my_crate::Map"


def test_glob_cycles_end() -> None:
    found = surface({
        "Cargo.toml": CARGO,
        "src/lib.rs": "pub mod a;\npub mod b;\n",
        "src/a.rs": "pub use crate::b::*;\npub fn in_a() {}\n",
        "src/b.rs": "pub use crate::a::*;\npub fn in_b() {}\n",
    })  # fmt: skip
    names = public_names(found)
    assert where(names["my_crate::a::in_b"]) == ("src/b.rs", "in_b")
    assert where(names["my_crate::b::in_a"]) == ("src/a.rs", "in_a")


def test_use_paths_of_a_2015_crate_start_at_its_root() -> None:
    files = {
        "src/lib.rs": "mod inner;\npub mod api {\n    pub use inner::Thing;\n"
                      "    pub use self::local::Here;\n    mod local {\n        pub struct Here;\n"
                      "    }\n}\n",
        "src/inner.rs": "pub struct Thing;\n",
    }  # fmt: skip
    old = public_names(surface({"Cargo.toml": CARGO, **files}))
    assert where(old["my_crate::api::Thing"]) == ("src/inner.rs", "Thing")
    assert where(old["my_crate::api::Here"]) == ("src/lib.rs", "api.local.Here")
    edition = public_names(surface({"Cargo.toml": CARGO + 'edition = "2021"\n', **files}))
    assert edition["my_crate::api::Thing"].target == Target(external="inner::Thing")


def test_a_crate_reexporting_another_crate_of_the_workspace_points_into_it() -> None:
    found = surface({
        "Cargo.toml": '[workspace]\nmembers = ["facade", "core-impl"]\n',
        "facade/Cargo.toml": '[package]\nname = "facade"\nedition = "2021"\n',
        "facade/src/lib.rs": "pub use core_impl::Engine;\npub use ::core_impl::helpers;\n"
                             "pub use core_impl::helpers::h as shortcut;\n",
        "core-impl/Cargo.toml": '[package]\nname = "core-impl"\nedition = "2021"\n',
        "core-impl/src/lib.rs": "pub struct Engine;\npub mod helpers {\n    pub fn h() {}\n}\n",
    })  # fmt: skip
    names = public_names(found)
    assert where(names["facade::Engine"]) == ("core-impl/src/lib.rs", "Engine")
    assert names["facade::Engine"].canonical == "core_impl::Engine"  # as short: its own crate's
    assert names["facade::helpers"].how == SUBMODULE
    assert names["facade::helpers"].target.module == "core_impl::helpers"
    assert names["facade::shortcut"].canonical == "facade::shortcut"
    assert sorted(m.name for m in found.modules) == ["core_impl", "core_impl::helpers", "facade"]
