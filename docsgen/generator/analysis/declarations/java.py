"""Java: public types and their public and protected members, with Javadoc.

What ``javadoc`` documents: ``public`` and ``protected`` types, constructors,
methods and fields (a subclass elsewhere sees the protected ones); members of
interfaces and annotation types are public unless declared ``private``.  A
file's module is its package, so a package's files are documented together;
the package's documentation is ``package-info.java``'s.  A ``module-info.java``
names its module and the packages it exports to everyone.
"""

from __future__ import annotations

from docsgen.generator.analysis.declarations.treesitter import (
    MAX_DEPTH,
    Collector,
    Declarations,
    Head,
    Node,
    Reading,
    Source,
    Walk,
    block_doc_above,
    child_of_type,
    header,
    line_of,
    named_children,
    preceding_comments,
    squash,
)
from docsgen.generator.analysis.file_analysis import Parameter

_TYPES = {
    "class_declaration": "class",
    "interface_declaration": "interface",
    "enum_declaration": "enum",
    "record_declaration": "class",
    "annotation_type_declaration": "interface",
}
_ANNOTATIONS = {"marker_annotation", "annotation"}
_VISIBLE = frozenset({"public", "protected"})


def _is_comment(node: Node) -> bool:
    return node.type in ("block_comment", "line_comment")


def javadoc(src: Source, node: Node) -> str | None:
    return block_doc_above(src, node, _is_comment)


def _modifiers(src: Source, node: Node) -> tuple[set[str], list[str], int]:
    """(keywords, annotations, byte where the signature starts, after the annotations)."""
    mods = next((c for c in node.children if c.type == "modifiers"), None)
    if mods is None:
        return set(), [], node.start_byte
    keywords = {src.text(c) for c in mods.children if c.type not in _ANNOTATIONS}
    annotations = [src.text(c) for c in mods.children if c.type in _ANNOTATIONS]
    start = next((c.start_byte for c in mods.children if c.type not in _ANNOTATIONS), None)
    if start is None:  # only annotations: the signature starts after them
        start = mods.end_byte
    return keywords, annotations, start


def parameters(src: Source, node: Node | None) -> tuple[Parameter, ...]:
    out: list[Parameter] = []
    for child in named_children(node) if node is not None else []:
        if child.type == "formal_parameter":
            name = child.child_by_field_name("name")
            type_node = child.child_by_field_name("type")
            out.append(
                Parameter(
                    src.text(name) if name is not None else "_",
                    annotation=squash(src.text(type_node), 120) if type_node is not None else None,
                )
            )
        elif child.type == "spread_parameter":
            declarator = next(
                (c for c in named_children(child) if c.type == "variable_declarator"), None
            )
            name = declarator.child_by_field_name("name") if declarator is not None else None
            type_node = next(
                (
                    c
                    for c in named_children(child)
                    if c.type not in ("variable_declarator", "modifiers")
                ),
                None,
            )
            out.append(
                Parameter(
                    src.text(name) if name is not None else "_",
                    "var-positional",
                    (src.text(type_node) + "...") if type_node is not None else None,
                )
            )
    return tuple(out)


def _returns(src: Source, node: Node) -> str | None:
    ret = node.child_by_field_name("type")
    return src.text(ret) if ret is not None else None


_DECLARATIONS = Declarations(doc=javadoc, parameters=parameters, returns=_returns)


def _top_level_type(w: Walk, node: Node, parent: str | None, depth: int) -> None:
    _type(w.c, node, parent, depth, implicit_public=False)


def _type(c: Collector, node: Node, parent: str | None, depth: int, implicit_public: bool) -> None:
    src = c.src
    keywords, annotations, start = _modifiers(src, node)
    if not _visible(keywords, implicit_public):
        return
    name = node.child_by_field_name("name")
    body = node.child_by_field_name("body")
    if name is None:
        return
    kind = _TYPES[node.type]
    qualname = c.add(
        kind,
        name,
        parent=parent,
        doc=javadoc(src, node),
        decorators=tuple(annotations),
        signature=header(src, node, body, start),
    )
    if body is None or depth >= MAX_DEPTH:
        return
    members_public = kind == "interface"
    members = named_children(body)
    declarations = child_of_type(body, "enum_body_declarations")
    if node.type == "enum_declaration":
        for constant in members:
            cname = constant.child_by_field_name("name")
            if constant.type == "enum_constant" and cname is not None:
                _DECLARATIONS.as_written(c, "field", constant, cname, parent=qualname, limit=120)
        members = named_children(declarations) if declarations is not None else []
    for member in members:
        if member.type in _TYPES:
            _type(c, member, qualname, depth + 1, members_public)
            continue
        mkeywords, mannotations, mstart = _modifiers(src, member)
        if not _visible(mkeywords, members_public):
            continue
        if member.type in (
            "method_declaration",
            "constructor_declaration",
            "annotation_type_element_declaration",
        ):
            mname = member.child_by_field_name("name")
            if mname is None:
                continue
            mkind = "constructor" if member.type == "constructor_declaration" else "method"
            _DECLARATIONS.function(
                c,
                mkind,
                member,
                mname,
                parent=qualname,
                start=mstart,
                decorators=tuple(mannotations),
            )
        elif member.type in ("field_declaration", "constant_declaration"):
            type_node = member.child_by_field_name("type")
            for declarator in named_children(member):
                dname = declarator.child_by_field_name("name")
                if declarator.type == "variable_declarator" and dname is not None:
                    _DECLARATIONS.field(
                        c,
                        member,
                        dname,
                        parent=qualname,
                        type_node=type_node,
                        signature=squash(src.span(mstart, member.end_byte), 160).rstrip(";"),
                    )


def _visible(keywords: set[str], implicit_public: bool) -> bool:
    """Whether a declaration is part of the API: public or protected, or public by default
    (an interface's members) and not private."""
    return bool(keywords & _VISIBLE) or (implicit_public and "private" not in keywords)


def _dotted_name(node: Node) -> Node | None:
    return child_of_type(node, "scoped_identifier", "identifier")


def _exported_packages(src: Source, module: Node) -> tuple[str, ...]:
    """The packages a module declaration exports to every module (``exports x;``, not
    ``exports x to y;``)."""
    body = child_of_type(module, "module_body")
    exported = []
    for directive in named_children(body) if body is not None else []:
        if directive.type != "exports_module_directive":
            continue
        if any(child.type == "to" for child in directive.children):
            continue  # a qualified export: only the modules named may read it
        name = _dotted_name(directive)
        if name is not None:
            exported.append(src.text(name))
    return tuple(exported)


def _head(path: str, src: Source, root: Node) -> Head:
    """The package as the module (else the file's folder, dotted); the package doc, from
    ``package-info.java``; a ``module-info.java``'s module and exports."""
    package = doc = doc_line = None
    exports: tuple[str, ...] | None = None
    package_info = path.rpartition("/")[2] == "package-info.java"
    for node in named_children(root):  # the last package declaration is the one that counts
        if node.type in ("package_declaration", "module_declaration"):
            name = _dotted_name(node)
            package = src.text(name) if name is not None else None
            if package_info or node.type == "module_declaration":
                doc = javadoc(src, node)
                if doc is not None:
                    doc_line = line_of(preceding_comments(node, _is_comment)[-1])
            if node.type == "module_declaration":
                exports = _exported_packages(src, node)
    directory = path.rsplit("/", 1)[0] if "/" in path else ""
    module = package or directory.replace("/", ".") or path
    extra: dict[str, object] = {"package": package}
    if exports is not None:
        extra["exports"] = exports
    return Head(module, doc, doc_line, extra)


READING = Reading("java", _DECLARATIONS, dict.fromkeys(_TYPES, _top_level_type), _head)
analyse = READING.analyse
