"""Go: exported (capitalised) functions, types, methods, constants and variables.

Doc comments are the ``//`` lines right above a declaration, as ``go doc``
reads them.  A file's module is its package: the directory plus the package
name, so all files of one package are documented together.
"""

from __future__ import annotations

from docsgen.generator.analysis.declarations.treesitter import (
    Declarations,
    Head,
    Node,
    Reading,
    Source,
    Walk,
    child_of_type,
    clean_block_doc,
    clean_line_docs,
    line_of,
    named_children,
    preceding_comments,
    squash,
)
from docsgen.generator.analysis.file_analysis import Parameter


def exported(name: str) -> bool:
    return bool(name) and name[0].isupper()


def _is_comment(node: Node) -> bool:
    return node.type == "comment"


def go_doc(src: Source, node: Node) -> str | None:
    comments = preceding_comments(node, _is_comment)
    if not comments:
        return None
    texts = [src.text(c) for c in comments]
    if texts[-1].startswith("/*"):
        return clean_block_doc("/**" + texts[-1][2:])
    return clean_line_docs([t for t in texts if t.startswith("//")], "//")


def parameters(src: Source, node: Node | None) -> tuple[Parameter, ...]:
    out: list[Parameter] = []
    for child in named_children(node) if node is not None else []:
        if child.type not in ("parameter_declaration", "variadic_parameter_declaration"):
            continue
        type_node = child.child_by_field_name("type")
        annotation = squash(src.text(type_node), 120) if type_node is not None else None
        kind = (
            "var-positional"
            if child.type == "variadic_parameter_declaration"
            else ("positional-or-keyword")
        )
        names = [c for c in named_children(child) if c.type == "identifier"]
        if child.type == "variadic_parameter_declaration" and annotation:
            annotation = "..." + annotation
        for name in names:
            out.append(Parameter(src.text(name), kind, annotation))
        if not names and annotation:
            out.append(Parameter("_", kind, annotation))
    return tuple(out)


def _receiver_type(src: Source, receiver: Node | None) -> str | None:
    if receiver is None:
        return None
    for param in named_children(receiver):
        type_node = param.child_by_field_name("type")
        if type_node is not None:
            text = src.text(type_node).lstrip("*").strip()
            return text.split("[", 1)[0]  # generic receivers: Tree[T]
    return None


def _returns(src: Source, node: Node) -> str | None:
    result = node.child_by_field_name("result")
    return squash(src.text(result), 120) if result is not None else None


_DECLARATIONS = Declarations(doc=go_doc, parameters=parameters, returns=_returns)


def _function(w: Walk, node: Node, parent: str | None, depth: int) -> None:
    name = node.child_by_field_name("name")
    if name is not None and exported(w.src.text(name)):
        _DECLARATIONS.function(w.c, "function", node, name)


def _method(w: Walk, node: Node, parent: str | None, depth: int) -> None:
    name = node.child_by_field_name("name")
    owner = _receiver_type(w.src, node.child_by_field_name("receiver"))
    if name is not None and owner and exported(w.src.text(name)) and exported(owner):
        _DECLARATIONS.function(w.c, "method", node, name, parent=owner)


def _head(path: str, src: Source, root: Node) -> Head:
    """The package's folder as the module (``module_name``), and the package doc."""
    package = doc = doc_line = None
    for node in named_children(root):  # the last package clause is the one that counts
        if node.type == "package_clause":
            ident = child_of_type(node, "package_identifier")
            package = src.text(ident) if ident is not None else None
            doc = go_doc(src, node)
            if doc is not None:
                doc_line = line_of(preceding_comments(node, _is_comment)[0])
    return Head(module_name(path, package), doc, doc_line, {"package": package})


def module_name(path: str, package: str | None) -> str:
    """The package's folder, as its import path ends; its name when that differs."""
    directory = path.rsplit("/", 1)[0] if "/" in path else ""
    if not directory:
        return package or path
    if package and package != directory.rsplit("/", 1)[-1]:
        return f"{directory} (package {package})"
    return directory


def _types(w: Walk, decl: Node, parent: str | None, depth: int) -> None:
    c, src = w.c, w.src
    grouped = any(child.type == "(" for child in decl.children)
    for spec in named_children(decl):
        if spec.type not in ("type_spec", "type_alias"):
            continue
        name = spec.child_by_field_name("name")
        type_node = spec.child_by_field_name("type")
        if name is None or not exported(src.text(name)):
            continue
        doc = go_doc(src, spec) if grouped else go_doc(src, decl)
        kind = {"struct_type": "struct", "interface_type": "interface"}.get(
            type_node.type if type_node is not None else "", "type"
        )
        if kind == "type":
            signature = squash("type " + src.text(spec), 160)
        else:
            body_start = type_node.start_byte if type_node is not None else spec.end_byte
            signature = squash("type " + src.span(spec.start_byte, body_start) + kind)
        qualname = c.add(kind, name, doc=doc, signature=signature)
        if type_node is None:
            continue
        if kind == "struct":
            fields = child_of_type(type_node, "field_declaration_list")
            for field in named_children(fields) if fields is not None else []:
                if field.type != "field_declaration":
                    continue
                field_type = field.child_by_field_name("type")
                for field_name in named_children(field):
                    if field_name.type == "field_identifier" and exported(src.text(field_name)):
                        _DECLARATIONS.field(
                            c, field, field_name, parent=qualname, type_node=field_type
                        )
        elif kind == "interface":
            for member in named_children(type_node):
                member_name = member.child_by_field_name("name")
                if member.type == "method_elem" and member_name is not None:
                    if exported(src.text(member_name)):
                        c.add(
                            "method",
                            member_name,
                            parent=qualname,
                            doc=go_doc(src, member),
                            signature=squash(src.text(member)),
                            parameters=parameters(src, member.child_by_field_name("parameters")),
                            returns=_returns(src, member),
                        )


def _values(w: Walk, decl: Node, parent: str | None, depth: int) -> None:
    c, src = w.c, w.src
    kind = "constant" if decl.type == "const_declaration" else "variable"
    grouped = any(child.type == "(" for child in decl.children)
    keyword = "const" if kind == "constant" else "var"
    specs = [s for s in named_children(decl) if s.type in ("const_spec", "var_spec")]
    if not specs:  # tree-sitter-go wraps grouped var specs in a var_spec_list
        specs = [
            s
            for child in named_children(decl)
            for s in named_children(child)
            if s.type == "var_spec"
        ]
        grouped = True
    for spec in specs:
        doc = go_doc(src, spec) if grouped else go_doc(src, decl)
        for name in named_children(spec):
            if name.type != "identifier":
                continue
            if exported(src.text(name)):
                c.add(kind, name, doc=doc, signature=squash(f"{keyword} {src.text(spec)}", 160))


READING = Reading(
    "go",
    _DECLARATIONS,
    {
        "function_declaration": _function,
        "method_declaration": _method,
        "type_declaration": _types,
        "const_declaration": _values,
        "var_declaration": _values,
    },
    _head,
)
analyse = READING.analyse
