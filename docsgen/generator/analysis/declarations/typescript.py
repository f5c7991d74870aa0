"""TypeScript and JavaScript: what a module exports, with signatures and JSDoc/TSDoc.

Public means exported: ``export`` declarations and lists, ``export default``,
and for CommonJS ``module.exports``/``exports.name`` assignments.  Class
members are public unless ``private``/``protected`` or ``#private``.  When a
name has overloads, the first signature is listed (the implementation's own
signature is not callable from outside in TypeScript).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docsgen.generator.analysis.declarations.treesitter import (
    MAX_DEPTH,
    Collector,
    Declarations,
    Node,
    Source,
    block_doc_above,
    clean_block_doc,
    header,
    line_of,
    named_children,
    parse,
    squash,
)
from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter
from docsgen.generator.markdown import code

_FUNCTIONS = {"function_declaration", "generator_function_declaration", "function_signature"}
_CLASSES = {"class_declaration", "abstract_class_declaration", "class"}
_VARIABLES = {"lexical_declaration", "variable_declaration"}
_NAMESPACES = {"internal_module", "module"}
_FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}
_FILE_TAGS = ("@packageDocumentation", "@module", "@file", "@fileoverview")


def module_name(path: str) -> str:
    stem = path.rsplit(".", 1)[0]
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem


def _is_comment(node: Node) -> bool:
    return node.type == "comment"


def jsdoc(src: Source, node: Node) -> str | None:
    return block_doc_above(src, node, _is_comment)


def _type_text(src: Source, node: Node | None) -> str | None:
    if node is None:
        return None
    return squash(src.text(node)).removeprefix(":").strip() or None


def parameters(src: Source, node: Node | None) -> tuple[Parameter, ...]:
    if node is None:
        return ()
    out: list[Parameter] = []
    for child in named_children(node):
        kind = "positional-or-keyword"
        annotation = default = None
        if child.type in ("required_parameter", "optional_parameter"):
            target = child.child_by_field_name("pattern")
            annotation = _type_text(src, child.child_by_field_name("type"))
            value = child.child_by_field_name("value")
            default = squash(src.text(value), 120) if value is not None else None
        elif child.type == "assignment_pattern":
            target = child.child_by_field_name("left")
            value = child.child_by_field_name("right")
            default = squash(src.text(value), 120) if value is not None else None
        elif child.type in ("identifier", "rest_pattern", "object_pattern", "array_pattern"):
            target = child
        else:
            continue  # comments, decorators, ``this`` parameters
        if target is None:
            continue
        name = squash(src.text(target), 120)
        if target.type == "rest_pattern":
            kind, name = "var-positional", name.removeprefix("...")
        out.append(Parameter(name, kind, annotation, default))
    return tuple(out)


def _returns(src: Source, node: Node) -> str | None:
    return _type_text(src, node.child_by_field_name("return_type"))


_DECLARATIONS = Declarations(doc=jsdoc, parameters=parameters, returns=_returns)


def _accessibility(src: Source, member: Node) -> str:
    for child in member.children:
        if child.type == "accessibility_modifier":
            return src.text(child)
    return "public"


def _after_decorators(member: Node) -> int:
    for child in member.children:
        if child.type != "decorator":
            return child.start_byte
    return member.start_byte


@dataclass
class _Reader:
    c: Collector
    src: Source
    emitted: set[str] = field(default_factory=set)  # "parent.name" of every symbol listed
    exports: list[str] = field(default_factory=list)

    # --- collecting declarations and exports ----------------------------------------

    def statements(self, body: Node, parent: str | None, depth: int) -> None:
        """Read a program or namespace body: its declarations, then emit what it exports."""
        local: dict[str, tuple[Node, Node]] = {}
        exported: dict[str, None] = {}
        for node in named_children(body):
            if node.type == "export_statement":
                self.export_statement(node, local, exported, parent, depth)
            elif node.type == "expression_statement" and parent is None:
                self.commonjs(node, exported)
            else:
                for name, decl in self.declared(node):
                    local.setdefault(name, (decl, node))
        for name in exported:
            if name in local:
                decl, outer = local[name]
                self.declaration(decl, outer, parent, depth, only=name)

    def declared(self, node: Node) -> list[tuple[str, Node]]:
        if node.type == "ambient_declaration":
            return [pair for child in named_children(node) for pair in self.declared(child)]
        if node.type in _FUNCTIONS | _CLASSES | _NAMESPACES | {
            "interface_declaration",
            "type_alias_declaration",
            "enum_declaration",
        }:
            name = node.child_by_field_name("name")
            return [(self.src.text(name), node)] if name is not None else []
        if node.type in _VARIABLES:
            return [
                (self.src.text(d.child_by_field_name("name")), node)
                for d in named_children(node)
                if d.type == "variable_declarator"
                and d.child_by_field_name("name") is not None
                and d.child_by_field_name("name").type == "identifier"  # type: ignore[union-attr]
            ]
        return []

    def export_statement(
        self,
        node: Node,
        local: dict[str, tuple[Node, Node]],
        exported: dict[str, None],
        parent: str | None,
        depth: int,
    ) -> None:
        declaration = node.child_by_field_name("declaration")
        source = node.child_by_field_name("source")
        if declaration is not None:
            self.declaration(declaration, node, parent, depth)
            for name, _ in self.declared(declaration):
                self.exports.append(name)
            return
        value = node.child_by_field_name("value")
        is_default = any(child.type == "default" for child in node.children)
        if is_default and value is not None:
            if value.type == "identifier":
                exported[self.src.text(value)] = None
            elif value.type in _FUNCTION_VALUES | _CLASSES:
                self.declaration(value, node, parent, depth, default=True)
            self.exports.append("default")
            return
        clause = next((c for c in named_children(node) if c.type == "export_clause"), None)
        if clause is None:
            if source is not None:  # export * from "x" / export * as ns from "x"
                alias = next(
                    (c for c in named_children(node) if c.type == "namespace_export"), None
                )
                if alias is not None:
                    name_node = named_children(alias)[-1]
                    self.c.add(
                        "reexport",
                        name_node,
                        parent=parent,
                        target=self.src.text(source).strip("'\"") + ".*",
                    )
                else:
                    self.c.warnings.append(
                        f"{code(squash(self.src.text(node), 120))} (line {line_of(node)}) "
                        "re-exports every name of another module; they are not listed here."
                    )
            return
        for spec in named_children(clause):
            if spec.type != "export_specifier":
                continue
            spec_name = spec.child_by_field_name("name")
            alias = spec.child_by_field_name("alias")
            if spec_name is None:
                continue
            name = self.src.text(spec_name)
            self.exports.append(self.src.text(alias) if alias is not None else name)
            if source is not None:
                target = f"{self.src.text(source).strip(chr(39) + chr(34))}.{name}"
                self.c.add("reexport", alias or spec_name, parent=parent, target=target)
            else:
                exported[name] = None

    def commonjs(self, node: Node, exported: dict[str, None]) -> None:
        """``module.exports = {a, b}``, ``module.exports = a``, ``exports.a = ...``."""
        assignment = next(
            (c for c in named_children(node) if c.type == "assignment_expression"), None
        )
        if assignment is None:
            return
        left = assignment.child_by_field_name("left")
        right = assignment.child_by_field_name("right")
        if left is None or right is None:
            return
        target = self.src.text(left)
        if target == "module.exports":
            if right.type == "identifier":
                exported[self.src.text(right)] = None
                self.exports.append(self.src.text(right))
            elif right.type == "object":
                for entry in named_children(right):
                    if entry.type == "shorthand_property_identifier":
                        exported[self.src.text(entry)] = None
                        self.exports.append(self.src.text(entry))
                    elif entry.type == "pair":
                        key, value = (
                            entry.child_by_field_name("key"),
                            entry.child_by_field_name("value"),
                        )
                        if key is not None and value is not None and value.type == "identifier":
                            exported[self.src.text(value)] = None
                            self.exports.append(self.src.text(key))
        elif (
            target.startswith(("exports.", "module.exports.")) and left.type == "member_expression"
        ):
            prop = left.child_by_field_name("property")
            if prop is None:
                return
            name = self.src.text(prop)
            self.exports.append(name)
            doc = jsdoc(self.src, node)
            if right.type in _FUNCTION_VALUES:
                params = parameters(self.src, right.child_by_field_name("parameters"))
                self.c.add(
                    "function",
                    prop,
                    signature=self.arrow_signature(name, right),
                    parameters=params,
                    doc=doc,
                    returns=_type_text(self.src, right.child_by_field_name("return_type")),
                )
            elif right.type == "identifier":
                exported[self.src.text(right)] = None
            else:
                self.c.add("attribute", prop, signature=squash(self.src.text(node), 120), doc=doc)

    # --- emitting symbols ---------------------------------------------------------------

    def arrow_signature(self, name: str, fn: Node) -> str:
        params = fn.child_by_field_name("parameters") or fn.child_by_field_name("parameter")
        ret = fn.child_by_field_name("return_type")
        prefix = "async " if any(c.type == "async" for c in fn.children) else ""
        text = self.src.text(params) if params is not None else "()"
        if params is not None and params.type == "identifier":
            text = f"({text})"
        return squash(f"{prefix}{name}{text}{self.src.text(ret) if ret is not None else ''}")

    def declaration(
        self,
        decl: Node,
        outer: Node,
        parent: str | None,
        depth: int,
        only: str | None = None,
        default: bool = False,
    ) -> None:
        src, c = self.src, self.c
        if decl.type == "ambient_declaration":
            for child in named_children(decl):
                self.declaration(child, outer, parent, depth, only)
            return
        doc = jsdoc(src, outer)
        name_node = decl.child_by_field_name("name")
        name = None
        if name_node is None and default:
            name_node, name = decl, "default"
        if decl.type in _VARIABLES:
            self.variables(decl, doc, parent, only)
            return
        if name_node is None or self.seen(parent, name or src.text(name_node)):
            return
        if decl.type in _FUNCTIONS | _FUNCTION_VALUES:
            _DECLARATIONS.function(
                c, "function", decl, name_node, name=name, parent=parent, doc_node=outer
            )
        elif decl.type in _CLASSES:
            body = decl.child_by_field_name("body")
            decorators = tuple(src.text(d) for d in decl.children if d.type == "decorator")
            qualname = c.add(
                "class",
                name_node,
                name=name,
                parent=parent,
                doc=doc,
                decorators=decorators,
                signature=header(src, decl, body, _after_decorators(decl)),
            )
            if body is not None:
                self.class_body(body, qualname)
        elif decl.type == "interface_declaration":
            body = decl.child_by_field_name("body")
            qualname = c.add(
                "interface", name_node, parent=parent, doc=doc, signature=header(src, decl, body)
            )
            if body is not None:
                self.class_body(body, qualname)
        elif decl.type == "type_alias_declaration":
            c.add(
                "type",
                name_node,
                parent=parent,
                doc=doc,
                signature=squash(src.text(decl)).rstrip(";"),
            )
        elif decl.type == "enum_declaration":
            body = decl.child_by_field_name("body")
            qualname = c.add(
                "enum", name_node, parent=parent, doc=doc, signature=header(src, decl, body)
            )
            for member in named_children(body) if body is not None else []:
                target = (
                    member.child_by_field_name("name")
                    if member.type == "enum_assignment"
                    else member
                )
                if target is not None and target.type == "property_identifier":
                    c.add("field", target, parent=qualname, doc=jsdoc(src, member))
        elif decl.type in _NAMESPACES:
            qualname = c.add(
                "namespace",
                name_node,
                parent=parent,
                doc=doc,
                signature=header(src, decl, decl.child_by_field_name("body")),
            )
            body = decl.child_by_field_name("body")
            if body is not None and depth < MAX_DEPTH:
                self.statements(body, qualname, depth + 1)

    def seen(self, parent: str | None, name: str) -> bool:
        key = f"{parent}.{name}"
        if key in self.emitted:
            return True
        self.emitted.add(key)
        return False

    def variables(self, decl: Node, doc: str | None, parent: str | None, only: str | None) -> None:
        src = self.src
        is_const = any(child.type == "const" for child in decl.children)
        for declarator in named_children(decl):
            name_node = declarator.child_by_field_name("name")
            if declarator.type != "variable_declarator" or name_node is None:
                continue
            name = src.text(name_node)
            if name_node.type != "identifier" or (only is not None and name != only):
                continue
            if self.seen(parent, name):
                continue
            value = declarator.child_by_field_name("value")
            if value is not None and value.type in _FUNCTION_VALUES:
                self.c.add(
                    "function",
                    name_node,
                    parent=parent,
                    doc=doc,
                    signature=self.arrow_signature(name, value),
                    parameters=parameters(src, value.child_by_field_name("parameters")),
                    returns=_type_text(src, value.child_by_field_name("return_type")),
                )
            else:
                kind = "constant" if is_const else "variable"
                self.c.add(
                    kind,
                    name_node,
                    parent=parent,
                    doc=doc,
                    signature=squash(src.text(declarator), 120),
                )

    def class_body(self, body: Node, owner: str) -> None:
        src = self.src
        for member in named_children(body):
            name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
            if name_node is None or name_node.type == "private_property_identifier":
                continue
            if _accessibility(src, member) in ("private", "protected"):
                continue
            name = src.text(name_node)
            doc = jsdoc(src, member)
            if member.type in (
                "method_definition",
                "method_signature",
                "abstract_method_signature",
            ):
                if self.seen(owner, name):
                    continue
                _DECLARATIONS.function(
                    self.c,
                    "method",
                    member,
                    name_node,
                    parent=owner,
                    start=_after_decorators(member),
                )
            elif member.type in (
                "public_field_definition",
                "field_definition",
                "property_signature",
            ):
                if self.seen(owner, name):
                    continue
                self.c.add(
                    "field",
                    name_node,
                    parent=owner,
                    doc=doc,
                    signature=squash(
                        src.span(_after_decorators(member), member.end_byte), 120
                    ).rstrip(";"),
                    returns=_type_text(src, member.child_by_field_name("type")),
                )


def _file_doc(src: Source, root: Node) -> tuple[str | None, int | None]:
    first = next(iter(named_children(root)), None)
    if first is None or first.type != "comment" or not src.text(first).startswith("/**"):
        return None, None
    raw = src.text(first)
    following = first.next_named_sibling
    detached = following is None or following.start_point[0] > first.end_point[0] + 1
    if not (detached or any(tag in raw for tag in _FILE_TAGS)):
        return None, None
    doc = clean_block_doc(raw)
    if doc is None:
        for tag in ("@fileoverview", "@file", "@module"):
            if tag in raw:
                doc = clean_block_doc("/**" + raw.split(tag, 1)[1])
                break
    return doc, line_of(first)


def analyse(path: str, text: str, language: str) -> FileAnalysis:
    if path.endswith(".tsx"):
        grammar = "tsx"
    elif language == "TypeScript":
        grammar = "typescript"
    else:
        grammar = "javascript"
    src, root = parse(grammar, text)
    collector = Collector(path, language, src)
    reader = _Reader(collector, src)
    reader.statements(root, None, 0)
    doc, doc_line = _file_doc(src, root)
    exports = tuple(dict.fromkeys(reader.exports))
    return collector.result(root, module_name(path), doc, doc_line, exports)
