"""Rust: a file's items as the crate's public API needs them, with ``///`` docs.

Kept per file (the crate-wide resolution is ``docsgen.generator.surface.rust``):

- ``pub`` items (``pub(crate)`` and narrower are not public API), with their
  ``#[cfg(...)]`` conditions as decorators; ``#[doc(hidden)]`` and
  ``#[cfg(test)]`` items are left out, and so is what they contain;
- every ``mod``, private ones with ``public`` False; its ``target`` is the file
  it is read from: the ``#[path]`` attribute as written, "" for the default,
  None for an inline ``mod x { ... }``;
- every ``use`` as a ``reexport`` symbol: ``target`` its path as written, named
  as it is imported (``as`` renames), ``*`` for a glob; only ``pub use`` is public;
- ``#[macro_export]`` macros (the crate exports them at its root) and
  procedural macros, as ``macro``;
- the ``pub`` methods and constants of inherent ``impl`` blocks: under their
  type when the file declares it in the same module, else under an ``impl``
  symbol (not public; ``target`` the type's path as written) that the crate's
  surface attaches to the type wherever it is declared;
- trait implementations and ``#[derive]``s as ``impls``.

Each declaration is followed by its members, whatever lies between them in the
file (``impl Error`` after ``type Result``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from docsgen.generator.analysis.declarations.treesitter import (
    MAX_DEPTH,
    Collector,
    Declarations,
    Node,
    Source,
    clean_block_doc,
    clean_line_docs,
    header,
    line_of,
    named_children,
    parse,
    squash,
)
from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter, Symbol

_KINDS = {
    "function_item": "function",
    "function_signature_item": "function",
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "struct",
    "trait_item": "trait",
    "type_item": "type",
    "const_item": "constant",
    "static_item": "constant",
}
_TYPE_ITEMS = frozenset({"struct_item", "enum_item", "union_item", "trait_item", "type_item"})
_READ = frozenset({*_KINDS, "mod_item", "use_declaration", "impl_item", "macro_definition"})
_HIDDEN = re.compile(r"^doc\s*\(\s*hidden\s*\)$")
# ``#[cfg(test)]``, ``#[cfg(all(test, ...))]``: compiled for the crate's own tests only.
_CFG_TEST = re.compile(r"^cfg\s*\(\s*(?:all\s*\(\s*)?test\s*[,)]")
_PATH = re.compile(r'^path\s*=\s*"(.*)"$')
_DERIVE = re.compile(r"^derive\s*\((.*)\)$")
_PROC_MACRO = re.compile(r"^proc_macro(?:_attribute)?$")


def module_name(path: str) -> str:
    parts = path.split("/")
    if "src" in parts:
        parts = parts[parts.index("src") + 1 :]
    stem = parts[-1].rsplit(".", 1)[0]
    parts[-1] = stem
    if stem in ("lib", "main", "mod"):
        parts = parts[:-1]
    return "::".join(["crate", *parts])


def is_pub(src: Source, node: Node) -> bool:
    for child in node.children:
        if child.type == "visibility_modifier":
            return src.text(child).strip() == "pub"
    return False


def _is_doc(src: Source, node: Node, inner: bool) -> bool:
    """A doc comment, read from its first bytes: ``///`` or ``/**`` (not ``////``,
    ``/***``, ``/**/``), or ``//!`` and ``/*!`` for ``inner``."""
    if node.type not in ("line_comment", "block_comment"):
        return False
    head = src.data[node.start_byte : node.start_byte + 4]
    if inner:
        return head.startswith((b"//!", b"/*!"))
    if head.startswith(b"///"):
        return not head.startswith(b"////")
    return head.startswith(b"/**") and not head.startswith((b"/***", b"/**/"))


def _preamble(src: Source, node: Node) -> tuple[list[Node], list[str]]:
    """The outer doc comments and the attributes (``cfg(test)``, without ``#[ ]``) above
    an item, in order; plain comments between them do not count, as for the compiler."""
    docs: list[Node] = []
    attributes: list[str] = []
    sibling = node.prev_sibling
    while sibling is not None:
        if sibling.type == "attribute_item":
            attribute = next((c for c in sibling.children if c.type == "attribute"), None)
            if attribute is not None:
                attributes.append(" ".join(src.text(attribute).split()))
        elif sibling.type in ("line_comment", "block_comment"):
            if _is_doc(src, sibling, inner=False):
                docs.append(sibling)
        else:
            break
        sibling = sibling.prev_sibling
    docs.reverse()
    attributes.reverse()
    return docs, attributes


def _each_item(src: Source, body: Node) -> Iterator[tuple[Node, list[Node], list[str]]]:
    """Each item of ``body`` with its outer doc comments and attributes: ``_preamble``
    in one pass over the body."""
    docs: list[Node] = []
    attributes: list[str] = []
    for node in body.children:
        kind = node.type
        if kind == "attribute_item":
            attribute = next((c for c in node.children if c.type == "attribute"), None)
            if attribute is not None:
                attributes.append(" ".join(src.text(attribute).split()))
        elif kind in ("line_comment", "block_comment"):
            if _is_doc(src, node, inner=False):
                docs.append(node)
        else:
            if node.is_named:
                yield node, docs, attributes
            docs, attributes = [], []


def _doc_of(src: Source, comments: Sequence[Node]) -> str | None:
    if not comments:
        return None
    if comments[-1].type == "block_comment":
        return clean_block_doc(src.text(comments[-1]))
    return clean_line_docs([src.text(c) for c in comments], "///")


def _inner_doc(src: Source, body: Node | None) -> str | None:
    """The ``//!`` lines a file or an inline module's body starts with."""
    inner = [n for n in named_children(body) if _is_doc(src, n, inner=True)] if body else []
    return clean_line_docs([src.text(n) for n in inner], "//!") if inner else None


def rust_doc(src: Source, node: Node) -> str | None:
    """``///`` lines or a ``/** */`` block above ``node``; attributes in between are skipped."""
    return _doc_of(src, _preamble(src, node)[0])


def parameters(src: Source, node: Node | None) -> tuple[Parameter, ...]:
    out: list[Parameter] = []
    for child in named_children(node) if node is not None else []:
        if child.type == "self_parameter":
            out.append(Parameter("self", annotation=squash(src.text(child))))
        elif child.type == "parameter":
            pattern = child.child_by_field_name("pattern")
            type_node = child.child_by_field_name("type")
            out.append(
                Parameter(
                    squash(src.text(pattern), 80) if pattern is not None else "_",
                    annotation=squash(src.text(type_node), 120) if type_node is not None else None,
                )
            )
        elif child.type == "variadic_parameter":
            out.append(Parameter("...", "var-positional"))
    return tuple(out)


def _returns(src: Source, node: Node) -> str | None:
    ret = node.child_by_field_name("return_type")
    return squash(src.text(ret), 120) if ret is not None else None


_DECLARATIONS = Declarations(doc=rust_doc, parameters=parameters, returns=_returns)


def _function(
    c: Collector, kind: str, node: Node, name: Node, parent: str | None,
    conditions: tuple[str, ...],
) -> None:  # fmt: skip
    _DECLARATIONS.function(c, kind, node, name, parent=parent, decorators=conditions)
    signature = c.symbols[-1].signature
    if signature is not None and signature.endswith(","):  # ``where T: Trait,`` before the body
        c.symbols[-1] = replace(c.symbols[-1], signature=signature.rstrip(","))


def _left_out(attributes: Sequence[str]) -> bool:
    """``#[doc(hidden)]`` or ``#[cfg(test)]``: not part of what users of the crate see."""
    return any(_HIDDEN.match(a) or _CFG_TEST.match(a) for a in attributes)


def _conditions(attributes: Sequence[str]) -> tuple[str, ...]:
    return tuple(f"#[{a}]" for a in attributes if a.startswith("cfg(") or a.startswith("cfg "))


def _path_text(src: Source, node: Node) -> str:
    return "".join(src.text(node).split())


def _joined(prefix: str, path: str) -> str:
    return f"{prefix}::{path}" if prefix and path else prefix or path


def _use_tree(
    src: Source, node: Node, prefix: str, depth: int = 0
) -> Iterator[tuple[str, str, Node]]:
    """(name imported, path as written, node) of each leaf of a ``use`` tree; ``*`` for a glob."""
    kind = node.type
    if depth > MAX_DEPTH:
        return
    if kind == "use_as_clause":
        named, alias = node.child_by_field_name("path"), node.child_by_field_name("alias")
        if named is not None and alias is not None and src.text(alias) != "_":
            yield src.text(alias), _joined(prefix, _path_text(src, named)), alias
    elif kind == "use_list":
        for child in named_children(node):
            yield from _use_tree(src, child, prefix, depth + 1)
    elif kind == "scoped_use_list":
        head, items = node.child_by_field_name("path"), node.child_by_field_name("list")
        inner = _joined(prefix, _path_text(src, head)) if head is not None else prefix
        if items is not None:
            yield from _use_tree(src, items, inner, depth + 1)
    elif kind == "use_wildcard":
        origin = next(iter(named_children(node)), None)
        yield "*", _joined(prefix, _path_text(src, origin)) if origin is not None else prefix, node
    elif kind in ("identifier", "scoped_identifier", "crate", "self", "super", "metavariable"):
        path = _joined(prefix, _path_text(src, node))
        if path.endswith("::self"):  # ``use a::{self}`` imports ``a``
            path = path.removesuffix("::self")
        yield path.rpartition("::")[2], path, node


def _type_path(src: Source, node: Node | None) -> str | None:
    """The path of the type an ``impl`` is for, without references and generic arguments
    (``&'a Map<String, Value>`` -> ``Map``); None for tuples, slices, primitives."""
    while node is not None:
        if node.type in ("reference_type", "pointer_type", "generic_type"):
            node = node.child_by_field_name("type")
        elif node.type == "type_identifier":
            return src.text(node)
        elif node.type == "scoped_type_identifier":
            return _path_text(src, node)
        else:
            return None
    return None


def _private(c: Collector) -> None:
    """The symbol just added is kept for the crate's resolution, not as public API."""
    c.symbols[-1] = replace(c.symbols[-1], public=False)


class _Reader:
    """One walk over a file's items (and inline modules), then its inherent impls."""

    def __init__(self, c: Collector) -> None:
        self.c = c
        self.src = c.src
        self.impls: list[tuple[str, str, str, int]] = []
        # (module scope, type path, impl node, body) of each inherent impl, read last
        self.inherent: list[tuple[str, str, Node, Node]] = []
        self.types: dict[tuple[str, str], bool] = {}  # (scope, type name) -> pub

    def items(self, body: Node, scope: str, depth: int) -> None:
        c, src = self.c, self.src
        parent = scope or None
        for node, docs, attributes in _each_item(src, body):
            kind = node.type
            if kind not in _READ:
                continue
            hidden = any(_HIDDEN.match(a) for a in attributes)
            if any(_CFG_TEST.match(a) for a in attributes):
                continue
            if kind == "use_declaration":  # a hidden one still names what paths go through
                self.use(node, parent, is_pub(src, node) and not hidden, attributes)
                continue
            if kind == "mod_item":  # a hidden one is private: only a ``pub use`` shows its items
                self.module(node, parent, docs, attributes, hidden, depth)
                continue
            if kind == "impl_item":
                if not hidden:
                    self.impl(node, scope)
                continue
            name = node.child_by_field_name("name")
            if name is None:
                continue
            if kind in _TYPE_ITEMS:  # a private type's methods are not public either
                self.types.setdefault((scope, src.text(name)), False)
            if hidden:
                continue
            if kind == "macro_definition":
                if any(a.startswith("macro_export") for a in attributes):
                    c.add("macro", name, parent=parent, doc=_doc_of(src, docs),
                          signature=f"macro_rules! {src.text(name)}")  # fmt: skip
                continue
            if not is_pub(src, node):
                continue
            self.item(node, name, _KINDS[kind], parent, docs, attributes)
            if kind in _TYPE_ITEMS:
                self.types[(scope, src.text(name))] = True
                self.derives(scope, src.text(name), name, attributes)

    def item(
        self, node: Node, name: Node, kind: str, parent: str | None, docs: list[Node],
        attributes: list[str],
    ) -> None:  # fmt: skip
        c, src = self.c, self.src
        doc = _doc_of(src, docs)
        conditions = _conditions(attributes)
        if kind == "function":
            if any(_PROC_MACRO.match(a) for a in attributes):
                kind = "macro"  # ``#[proc_macro] pub fn json(...)`` is used as ``json!``
            _function(c, kind, node, name, parent, conditions)
            return
        if kind in ("type", "constant"):
            c.add(kind, name, parent=parent, doc=doc, decorators=conditions,
                  signature=squash(src.text(node), 160).rstrip(";"))  # fmt: skip
            return
        body = node.child_by_field_name("body")
        qualname = c.add(kind, name, parent=parent, doc=doc, decorators=conditions,
                         signature=header(src, node, body))  # fmt: skip
        if body is None:
            return
        for member, member_docs, member_attributes in _each_item(src, body):
            member_name = member.child_by_field_name("name")
            if member_name is None or _left_out(member_attributes):
                continue
            if kind == "trait" and member.type in ("function_item", "function_signature_item"):
                _function(
                    c, "method", member, member_name, qualname, _conditions(member_attributes)
                )
            elif kind == "struct" and member.type == "field_declaration" and is_pub(src, member):
                type_node = member.child_by_field_name("type")
                _DECLARATIONS.field(c, member, member_name, parent=qualname, type_node=type_node)
            elif kind == "enum" and member.type == "enum_variant":
                c.add("variant", member_name, parent=qualname, doc=_doc_of(src, member_docs),
                      signature=squash(src.text(member), 120))  # fmt: skip

    def module(
        self, node: Node, parent: str | None, docs: list[Node], attributes: list[str],
        hidden: bool, depth: int,
    ) -> None:  # fmt: skip
        src = self.src
        name = node.child_by_field_name("name")
        if name is None:
            return
        body = node.child_by_field_name("body")
        target = None
        if body is None:
            target = next((m[1] for a in attributes if (m := _PATH.match(a))), "")
        qualname = self.c.add(
            "module", name, parent=parent, doc=_doc_of(src, docs) or _inner_doc(src, body),
            target=target,
            decorators=_conditions(attributes), signature=header(src, node, body),
        )  # fmt: skip
        if hidden or not is_pub(src, node):
            _private(self.c)
        if body is not None and depth < MAX_DEPTH:
            self.items(body, qualname, depth + 1)

    def use(self, node: Node, parent: str | None, public: bool, attributes: list[str]) -> None:
        argument = node.child_by_field_name("argument")
        if argument is None:
            return
        conditions = _conditions(attributes)
        for name, path, leaf in _use_tree(self.src, argument, ""):
            self.c.add("reexport", leaf, name=name, parent=parent, target=path,
                       decorators=conditions)  # fmt: skip
            if not public:
                _private(self.c)

    def derives(self, scope: str, type_name: str, name: Node, attributes: list[str]) -> None:
        for attribute in attributes:
            if m := _DERIVE.match(attribute):
                for trait in m[1].split(","):
                    if trait.strip():
                        self.impls.append((scope, type_name, trait.strip(), line_of(name)))

    def impl(self, node: Node, scope: str) -> None:
        type_node = node.child_by_field_name("type")
        path = _type_path(self.src, type_node)
        trait = node.child_by_field_name("trait")
        if path is None or type_node is None:
            return
        if trait is not None:  # documented by the trait; the type lists it as implemented
            self.impls.append((scope, path, squash(self.src.text(trait), 120), line_of(node)))
            return
        body = node.child_by_field_name("body")
        if body is not None:
            self.inherent.append((scope, path, node, body))

    def inherent_impls(self) -> None:
        """The ``pub`` methods and constants of inherent impls, under their type."""
        c, src = self.c, self.src
        containers: dict[tuple[str, str], str] = {}
        for scope, path, node, body in self.inherent:
            members = [
                (item, name, _conditions(attributes))
                for item, _, attributes in _each_item(src, body)
                if item.type in ("function_item", "const_item")
                and (name := item.child_by_field_name("name")) is not None
                and is_pub(src, item)
                and not _left_out(attributes)
            ]
            if not members:
                continue
            type_name = path.removeprefix("self::")
            declared = self.types.get((scope, type_name))
            if declared is False:
                continue  # a private type of this module: none of its methods are reachable
            if declared:
                owner = f"{scope}.{type_name}" if scope else type_name
            elif (scope, path) in containers:
                owner = containers[(scope, path)]
            else:
                type_node = node.child_by_field_name("type")
                assert type_node is not None
                owner = containers[(scope, path)] = c.add(
                    "impl", type_node, name=f"impl {path}", parent=scope or None,
                    signature=header(src, node, body), doc=rust_doc(src, node), target=path,
                )  # fmt: skip
                c.symbols[-1] = replace(c.symbols[-1], name=path.rpartition("::")[2], public=False)
            for item, name, conditions in members:
                if item.type == "function_item":
                    _function(c, "method", item, name, owner, conditions)
                else:
                    c.add("constant", name, parent=owner, doc=rust_doc(src, item),
                          decorators=conditions,
                          signature=squash(src.text(item), 160).rstrip(";"))  # fmt: skip


def in_tree_order(symbols: Sequence[Symbol]) -> list[Symbol]:
    """Each declaration followed by its members (nested ones too), in line order: an
    ``impl`` further down the file joins its type, whatever was declared in between."""
    known = {s.qualname for s in symbols}
    children: dict[str | None, list[Symbol]] = {}
    for s in symbols:
        children.setdefault(s.parent if s.parent in known else None, []).append(s)
    out: list[Symbol] = []
    expanded: set[str] = set()
    stack = [iter(sorted(children.get(None, ()), key=lambda s: s.line))]
    while stack:
        found = next(stack[-1], None)
        if found is None:
            stack.pop()
            continue
        out.append(found)
        if found.qualname not in expanded:
            expanded.add(found.qualname)
            stack.append(iter(sorted(children.get(found.qualname, ()), key=lambda s: s.line)))
    return out


def analyse(path: str, text: str, language: str) -> FileAnalysis:
    src, root = parse("rust", text)
    c = Collector(path, language, src)
    inner = [n for n in named_children(root) if _is_doc(src, n, inner=True)]
    reader = _Reader(c)
    reader.items(root, "", 0)
    reader.inherent_impls()
    c.symbols = in_tree_order(c.symbols)
    doc_line = line_of(inner[0]) if inner else None
    result = c.result(root, module_name(path), _inner_doc(src, root), doc_line)
    return replace(result, impls=tuple(reader.impls))
