"""Rust: ``pub`` items (``pub(crate)`` and narrower are not public API), with ``///`` docs.

Methods come from inherent ``impl Type`` blocks (their ``pub fn``s) and from
``pub trait`` declarations; trait implementations for a type are not listed.
"""

from __future__ import annotations

from docsgen.generator.analysis.declarations.treesitter import (
    Collector,
    Declarations,
    Head,
    Node,
    Reading,
    Source,
    Walk,
    clean_block_doc,
    clean_line_docs,
    header,
    line_of,
    named_children,
    squash,
)
from docsgen.generator.analysis.file_analysis import Parameter

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
    "mod_item": "module",
    "macro_definition": "macro",
}


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
    if node.type not in ("line_comment", "block_comment"):
        return False
    marker = "inner_doc_comment_marker" if inner else "outer_doc_comment_marker"
    return any(child.type == marker for child in node.children)


def rust_doc(src: Source, node: Node) -> str | None:
    """``///`` lines or a ``/** */`` block above ``node``; attributes in between are skipped."""
    comments: list[Node] = []
    sibling = node.prev_sibling
    while sibling is not None and (
        sibling.type == "attribute_item" or _is_doc(src, sibling, inner=False)
    ):
        if sibling.type != "attribute_item":
            comments.append(sibling)
        sibling = sibling.prev_sibling
    if not comments:
        return None
    comments.reverse()
    if comments[-1].type == "block_comment":
        return clean_block_doc(src.text(comments[-1]))
    return clean_line_docs([src.text(c) for c in comments], "///")


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


def _item(w: Walk, node: Node, parent: str | None, depth: int) -> None:
    c, src = w.c, w.src
    kind = _KINDS[node.type]
    name = node.child_by_field_name("name")
    if name is None or not is_pub(src, node):
        return
    if kind == "function":
        _DECLARATIONS.function(c, "function", node, name, parent=parent)
        return
    if kind in ("type", "constant", "macro"):
        _DECLARATIONS.as_written(c, kind, node, name, parent=parent)
        return
    body = node.child_by_field_name("body")
    qualname = c.add(kind, name, parent=parent, doc=rust_doc(src, node),
                     signature=header(src, node, body))  # fmt: skip
    if body is None:
        return
    if kind == "trait":
        _trait(c, body, qualname)
    elif kind == "struct":
        _fields(c, body, qualname)
    elif kind == "enum":
        for variant in named_children(body):
            vname = variant.child_by_field_name("name")
            if variant.type == "enum_variant" and vname is not None:
                _DECLARATIONS.as_written(c, "variant", variant, vname, parent=qualname, limit=120)
    elif kind == "module":
        w.nested(body, qualname, depth)


def _fields(c: Collector, body: Node, owner: str) -> None:
    for field in named_children(body):
        name = field.child_by_field_name("name")
        if field.type == "field_declaration" and name is not None and is_pub(c.src, field):
            type_node = field.child_by_field_name("type")
            _DECLARATIONS.field(c, field, name, parent=owner, type_node=type_node)


def _trait(c: Collector, body: Node, owner: str) -> None:
    for item in named_children(body):
        name = item.child_by_field_name("name")
        if item.type in ("function_item", "function_signature_item") and name is not None:
            _DECLARATIONS.function(c, "method", item, name, parent=owner)


def _impl(w: Walk, node: Node, parent: str | None, depth: int) -> None:
    """The ``pub`` methods and constants of an inherent ``impl`` (a trait's are the trait's)."""
    c, src = w.c, w.src
    type_node = node.child_by_field_name("type")
    body = node.child_by_field_name("body")
    if node.child_by_field_name("trait") is not None or type_node is None or body is None:
        return
    owner = src.text(type_node).split("<", 1)[0].strip()
    for item in named_children(body):
        name = item.child_by_field_name("name")
        if name is None or not is_pub(src, item):
            continue
        if item.type == "function_item":
            _DECLARATIONS.function(c, "method", item, name, parent=owner)
        elif item.type == "const_item":
            _DECLARATIONS.as_written(c, "constant", item, name, parent=owner)


def _head(path: str, src: Source, root: Node) -> Head:
    """The module its path names (``module_name``), and its ``//!`` doc."""
    inner = [n for n in named_children(root) if _is_doc(src, n, inner=True)]
    doc = clean_line_docs([src.text(n) for n in inner], "//!") if inner else None
    return module_name(path), doc, line_of(inner[0]) if inner else None


READING = Reading(
    "rust", _DECLARATIONS, {"impl_item": _impl, **dict.fromkeys(_KINDS, _item)}, _head
)
analyse = READING.analyse
