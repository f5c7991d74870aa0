"""What a Rust file's analysis keeps for the crate's public API: items, modules, uses, impls."""

from __future__ import annotations

from docsgen.generator.analysis import analyse_file
from docsgen.generator.analysis.declarations.rust import analyse
from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.inputs import project


def symbols(text: str, path: str = "src/lib.rs") -> dict[str, Symbol]:
    return {s.qualname: s for s in analyse(path, text, "Rust").symbols}


def test_every_use_is_kept_with_its_path_and_only_pub_use_is_public() -> None:
    found = symbols(
        "pub use crate::de::{from_str, self, x::{a as b, c::*}, Deserializer};\n"
        "pub use self::index::Index as Idx;\nuse super::super::Private;\n"
        "pub(crate) use crate::inner::Semi;\nuse std::fmt::Write as _;\n"
    )
    uses = [(s.name, s.target, s.public) for s in found.values() if s.kind == "reexport"]
    assert uses == [
        ("from_str", "crate::de::from_str", True),
        ("de", "crate::de", True),
        ("b", "crate::de::x::a", True),
        ("*", "crate::de::x::c", True),
        ("Deserializer", "crate::de::Deserializer", True),
        ("Idx", "self::index::Index", True),
        ("Private", "super::super::Private", False),
        ("Semi", "crate::inner::Semi", False),
    ]


def test_modules_say_where_their_file_is_and_whether_they_are_public() -> None:
    found = symbols(
        '#[path = "core.rs"]\nmod imp;\npub mod de;\n#[doc(hidden)]\npub mod __private;\n'
        "pub(crate) mod inline {\n    //! Inside.\n    pub fn f() {}\n}\n"
    )
    modules = [(s.name, s.target, s.public) for s in found.values() if s.kind == "module"]
    assert modules == [("imp", "core.rs", False), ("de", "", True), ("__private", "", False),
                       ("inline", None, False)]  # fmt: skip
    assert found["inline.f"].parent == "inline" and found["inline.f"].public
    assert found["inline"].doc == "Inside."


def test_only_exported_macros_and_procedural_macros_are_macros() -> None:
    found = symbols(
        "/// Builds it.\n#[macro_export]\nmacro_rules! json { () => {} }\n"
        "macro_rules! local { () => {} }\n#[macro_export]\n#[doc(hidden)]\n"
        "macro_rules! internal { () => {} }\n#[proc_macro]\n"
        "pub fn sql(input: TokenStream) -> TokenStream { input }\n"
    )
    assert {q: s.kind for q, s in found.items()} == {"json": "macro", "sql": "macro"}
    assert found["json"].doc == "Builds it." and found["json"].signature == "macro_rules! json"


def test_methods_join_their_type_declared_here_or_an_impl_naming_a_type_from_elsewhere() -> None:
    result = analyse(
        "src/error.rs",
        "pub struct Error;\npub type Result<T> = std::result::Result<T, Error>;\n"
        "impl Error {\n    /// Line.\n    pub fn line(&self) -> usize { 0 }\n"
        "    fn private(&self) {}\n    #[doc(hidden)]\n    pub fn hidden(&self) {}\n}\n"
        "/// More of it.\nimpl<'a> super::Value<'a> {\n    pub fn get(&self) {}\n}\n"
        "impl super::Value<'static> {\n    pub fn take(self) {}\n}\n"
        "struct Secret;\nimpl Secret {\n    pub fn reveal(&self) {}\n}\n",
        "Rust",
    )
    assert [(s.qualname, s.parent, s.public) for s in result.symbols] == [
        ("Error", None, True),
        ("Error.line", "Error", True),
        ("Result", None, True),
        ("impl super::Value", None, False),
        ("impl super::Value.get", "impl super::Value", True),
        ("impl super::Value.take", "impl super::Value", True),
    ]
    container = result.symbols[3]
    assert (container.kind, container.name, container.target) == ("impl", "Value", "super::Value")
    assert container.doc == "More of it." and container.signature == "impl<'a> super::Value<'a>"


def test_trait_implementations_and_derives_are_kept_by_type() -> None:
    result = analyse(
        "src/map.rs",
        "#[derive(Clone, Debug)]\npub struct Map;\n"
        "impl<'a> IntoIterator for &'a Map {}\nimpl fmt::Display for crate::map::Map {}\n"
        "mod private {\n    impl Sealed for super::Map {}\n}\nimpl<T> Blanket for T {}\n"
        "impl Trait for (u8, u8) {}\n",
        "Rust",
    )
    assert result.impls == (
        ("", "Map", "Clone", 2),
        ("", "Map", "Debug", 2),
        ("", "Map", "IntoIterator", 3),
        ("", "crate::map::Map", "fmt::Display", 4),
        ("private", "super::Map", "Sealed", 6),
        ("", "T", "Blanket", 8),
    )
    kept = FileAnalysis.from_json(result.to_json())
    assert kept.impls == result.impls
    assert project(result, "surface").impls == result.impls
    assert analyse_file("src/map.rs", "#[derive(Clone)]\npub struct Map;\n").impls == (
        ("", "Map", "Clone", 2),
    )


def test_test_only_items_are_left_out_and_other_cfgs_are_kept_as_conditions() -> None:
    found = symbols(
        '#[cfg(test)]\nmod tests {\n    pub fn t() {}\n}\n#[cfg(all(test, feature = "x"))]\n'
        'pub fn only_tests() {}\n#[cfg(feature = "std")]\n#[inline]\n'
        "pub fn with_std<R>(r: R) -> R\nwhere\n    R: Read,\n{\n    r\n}\n"
    )
    assert list(found) == ["with_std"]
    assert found["with_std"].decorators == ('#[cfg(feature = "std")]',)
    assert found["with_std"].signature == "pub fn with_std<R>(r: R) -> R where R: Read"


def test_doc_comments_reach_their_item_across_attributes_and_plain_comments() -> None:
    found = symbols("/// Parses.\n// TODO: faster\n#[inline]\npub fn parse() {}\n")
    assert found["parse"].doc == "Parses."
