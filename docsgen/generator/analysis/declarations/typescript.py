"""TypeScript and JavaScript: what a module exports, with signatures and JSDoc/TSDoc.

Public means exported: ``export`` declarations and lists, ``export default``,
and for CommonJS ``module.exports``/``exports.name`` assignments.  A local
declaration exported under another name (``export { a as b }``, ``export
default a``, ``module.exports = a``) is kept, not public, and the name it is
exported under is a re-export of it; so is a name exported from an import or
a ``require``.  A re-export's ``target`` is ``<specifier>.<name>`` (``name``
``default``, or ``*`` for the whole module), or a local name alone.
``export * from`` (and ``module.exports = require(...)``) are star imports,
resolved across files (``docsgen.generator.surface.javascript``).

Members assigned at the top level to a declaration of the file (``app.use =
function …``, ``Route.prototype.dispatch = …``, ``Object.defineProperty(req,
"ip", …)``) are members of it, as TypeScript reads JavaScript; assignments
whose names are computed (``app[method] = …``) cannot be listed and are kept
as ``dynamic_members``.  Class members are public unless ``private``/
``protected`` or ``#private``.  In an ambient namespace (``declare
namespace``, or any namespace of a ``.d.ts``) every declaration is exported,
``export`` or not, as TypeScript reads it.  A namespace merged with a
function, class, enum or variable of its name (``declare function dayjs``
with ``declare namespace dayjs { class Dayjs … }``) is listed as that one,
its declarations members of it (``dayjs.Dayjs``), as TypeScript merges them.

When a name has overloads, every overload signature is listed, one a line in
source order (the implementation's own signature is not callable from outside
in TypeScript); its parameters are those of all of them, each under its first
declaration, and its doc comment the first an overload has (TypeDoc shows
each signature's own; an entry has one documentation, and an undocumented
first overload must not leave it without).  A declaration's doc comment is
the last ``/** */`` block before it, blank lines between allowed, as
TypeScript attaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from docsgen.generator.analysis.declarations.treesitter import (
    MAX_DEPTH,
    Collector,
    Declarations,
    Node,
    Source,
    clean_block_doc,
    header,
    line_of,
    named_children,
    parse,
    squash,
)
from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter

_FUNCTIONS = {"function_declaration", "generator_function_declaration", "function_signature"}
_CLASSES = {"class_declaration", "abstract_class_declaration", "class"}
_VARIABLES = {"lexical_declaration", "variable_declaration"}
_NAMESPACES = {"internal_module", "module"}
# What a namespace of the same name merges into (TypeScript's declaration merging).
_VALUES = _FUNCTIONS | _CLASSES | _VARIABLES | {"enum_declaration"}
_TYPES = {"interface_declaration", "type_alias_declaration"}
_DECLARATION_STATEMENTS = _VALUES | _NAMESPACES | _TYPES | {"ambient_declaration"}
# Overload signatures: when a name has some, they are what callers see.
_SIGNATURES = {"function_signature", "method_signature", "abstract_method_signature"}
_METHODS = {"method_definition", "method_signature", "abstract_method_signature"}
_FUNCTION_VALUES = {"arrow_function", "function_expression", "function", "generator_function"}
_SCOPES = _FUNCTION_VALUES | {
    "function_declaration",
    "generator_function_declaration",
    "method_definition",
}
_FILE_TAGS = ("@packageDocumentation", "@module", "@file", "@fileoverview")
_MODULE_OBJECTS = ("exports", "module.exports")
_DECLARATION_FILES = (".d.ts", ".d.mts", ".d.cts")
MODULE = ""  # the module's own exports, as the object of a dynamic member


def module_name(path: str) -> str:
    stem = path.rsplit(".", 1)[0]
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem


def _is_doc_block(text: str) -> bool:
    return text.startswith("/**") and not text.startswith("/**/")


def _is_file_doc(src: Source, comment: Node) -> bool:
    """Whether a ``/**`` comment is the file's doc rather than its next declaration's:
    the file's first one, when it has a file tag or no declaration follows it."""
    if comment.parent is None or comment.parent.type != "program":
        return False
    before = comment.prev_named_sibling
    while before is not None:
        if before.type not in ("comment", "hash_bang_line") or _is_doc_block(src.text(before)):
            return False
        before = before.prev_named_sibling
    if any(tag in src.text(comment) for tag in _FILE_TAGS):
        return True
    after = comment.next_named_sibling
    return (
        after is None
        or after.type == "import_statement"
        or (after.type == "comment" and _is_doc_block(src.text(after)))
        or (after.type == "expression_statement" and after.named_children[0].type == "string")
    )


def jsdoc(src: Source, node: Node) -> str | None:
    """The last ``/** */`` block among the comments right before ``node``."""
    sibling = node.prev_sibling
    while sibling is not None and sibling.type == "comment":
        text = src.text(sibling)
        if _is_doc_block(text):
            return None if _is_file_doc(src, sibling) else clean_block_doc(text)
        sibling = sibling.prev_sibling
    return None


def _overloads(declarations: list[tuple[Node, Node]]) -> list[tuple[Node, Node]]:
    """The declarations of one function callers see: its overload signatures when it has
    some (the implementation's own signature is not callable from outside), else the
    first (a getter and its setter are listed once)."""
    signatures = [pair for pair in declarations if pair[0].type in _SIGNATURES]
    return signatures or declarations[:1]


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


def _interface(src: Source, decl: Node) -> str:
    """An interface's header, with the call and construct signatures of its body: how
    its values are called (chalk's ``ChalkInstance``: ``(...text: unknown[]): string``),
    which no member's entry shows."""
    body = decl.child_by_field_name("body")
    written = header(src, decl, body)
    calls = [
        squash(src.text(m)).rstrip(";,")
        for m in (named_children(body) if body is not None else [])
        if m.type in ("call_signature", "construct_signature")
    ]
    return f"{written} {{ {'; '.join(calls)} }}" if calls else written


def _function_type_parameters(src: Source, annotation: Node | None) -> tuple[Parameter, ...]:
    """The parameters of a field typed as a function (``hex: (color: string) => this``):
    what its ``@param`` tags describe."""
    kind = next(iter(named_children(annotation)), None) if annotation is not None else None
    if kind is None or kind.type != "function_type":
        return ()
    return parameters(src, kind.child_by_field_name("parameters"))


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


def _chain(node: Node) -> tuple[list[Node], Node]:
    """``a = b = value``: the assigned places, and the value."""
    lefts = []
    while node.type == "assignment_expression":
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            break
        lefts.append(left)
        node = right
    return lefts, node


def _string(src: Source, node: Node | None) -> str | None:
    """A string literal's text, or None for anything else."""
    if node is None or node.type != "string":
        return None
    return src.text(node)[1:-1]


def _required(src: Source, node: Node) -> str | None:
    """``require("x")``: its specifier."""
    if node.type != "call_expression":
        return None
    function = node.child_by_field_name("function")
    arguments = node.child_by_field_name("arguments")
    if function is None or arguments is None or src.text(function) != "require":
        return None
    args = named_children(arguments)
    return _string(src, args[0]) if len(args) == 1 else None


@dataclass
class _Member:
    """A member assigned to a top-level declaration of the file."""

    name: str
    name_node: Node
    value: Node | None  # None: a property defined by a call (``Object.defineProperty``)
    statement: Node  # where its doc comment stands


@dataclass
class _Reader:
    c: Collector
    src: Source
    emitted: set[str] = field(default_factory=set)  # "parent.name" of every symbol listed
    exports: list[str] = field(default_factory=list)
    stars: list[tuple[str, int]] = field(default_factory=list)
    # Top-level declarations exported under another name only: kept, not public.
    hidden: set[str] = field(default_factory=set)
    bindings: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (spec, name)
    members: dict[str, list[_Member]] = field(default_factory=dict)  # object -> its members
    calls: list[tuple[Node, Node]] = field(default_factory=list)  # (call, statement)
    top: dict[str, str] = field(default_factory=dict)  # top-level name -> qualname listed
    # Top-level functions that define properties (``defineGetter(obj, name, fn)``).
    definers: set[str] = field(default_factory=set)
    # Every declaration of each name in a scope (the qualname of the namespace, or None
    # for the file), exported or not, in source order: (declaration, its statement).
    scopes: dict[str | None, dict[str, list[tuple[Node, Node]]]] = field(default_factory=dict)
    # Scopes whose declarations are all exported: ambient namespaces.
    ambient: set[str] = field(default_factory=set)
    declaration_file: bool = False  # a ``.d.ts``: its namespaces are ambient

    # --- collecting declarations and exports ----------------------------------------

    def statements(self, body: Node, parent: str | None, depth: int) -> None:
        """Read a program or namespace body: its declarations, then emit what it exports."""
        local: dict[str, tuple[Node, Node]] = {}
        exported: list[tuple[str, str, Node]] = []  # (exported as, local name, where)
        self.scopes[parent] = self.scope(body)
        for node in named_children(body):
            if node.type == "export_statement":
                self.export_statement(node, exported, parent, depth)
            elif node.type == "import_statement":
                self.imports(node)
            elif node.type == "expression_statement" and parent is None:
                self.expression(node, exported)
            elif parent in self.ambient and node.type in _DECLARATION_STATEMENTS:
                self.declaration(node, node, parent, depth)  # exported without ``export``
            else:
                if parent is None and node.type in _VARIABLES:
                    self.variable_exports(node, exported)
                for name, decl in self.declared(node):
                    local.setdefault(name, (decl, node))
                if parent is None and node.type == "function_declaration":
                    name_node = node.child_by_field_name("name")
                    if b"defineProperty" in self.src.data[node.start_byte : node.end_byte]:
                        self.definers.add(self.src.text(name_node))
        if parent is None:
            for call, statement in self.calls:
                self.defined_by_call(call, statement, exported)
        public = {name for exported_as, name, _ in exported if exported_as == name}
        for exported_as, name, where in exported:
            if name in local:
                decl, outer = local[name]
                self.declaration(decl, outer, parent, depth, only=name)
                if exported_as != name:
                    if name not in public:
                        self.hidden.add(f"{parent}.{name}" if parent else name)
                    self.c.add("reexport", where, name=exported_as, parent=parent, target=name)
            elif name in self.bindings:
                spec, imported = self.bindings[name]
                self.reexport(exported_as, where, parent, f"{spec}.{imported}")

    def scope(self, body: Node) -> dict[str, list[tuple[Node, Node]]]:
        """Every declaration of each name in a body, exported or not, in source order:
        overloads, and a namespace merged with the function, class or value of its name."""
        found: dict[str, list[tuple[Node, Node]]] = {}
        for node in named_children(body):
            inner: Node | None = node
            if node.type == "export_statement":
                if any(child.type == "default" for child in node.children):
                    continue  # ``export default function f``: named ``default``
                inner = node.child_by_field_name("declaration")
            if inner is None or inner.type not in _DECLARATION_STATEMENTS:
                continue
            for name, decl in self.declared(inner):
                found.setdefault(name, []).append((decl, node))
        return found

    def merged_value(self, parent: str | None, name: str) -> tuple[Node, Node] | None:
        """The function, class, enum or variable a namespace of this name merges into."""
        return next(
            (pair for pair in self.scopes.get(parent, {}).get(name, ()) if pair[0].type in _VALUES),
            None,
        )

    def merge_namespaces(
        self, parent: str | None, name: str, owner: str, primary: Node, depth: int
    ) -> None:
        """The declarations of the other namespaces of ``name`` (``primary`` is the one
        listed as ``owner``) are members of ``owner``, as TypeScript merges them: ``export
        = dayjs`` with ``declare function dayjs`` and ``declare namespace dayjs { class
        Dayjs … }`` exports the function with ``dayjs.Dayjs``."""
        for decl, _ in self.scopes.get(parent, {}).get(name, ()):
            if decl.type in _NAMESPACES and decl.start_byte != primary.start_byte:
                self.namespace_body(decl, owner, parent, depth)

    def namespace_body(self, decl: Node, owner: str, scope: str | None, depth: int) -> None:
        """A namespace's declarations, as members of ``owner``; in an ambient namespace
        (``declare namespace``, any in a ``.d.ts`` or in an ambient one) all of them are
        exported."""
        outer = decl.parent
        if (
            self.declaration_file
            or (outer is not None and outer.type == "ambient_declaration")
            or scope in self.ambient
        ):
            self.ambient.add(owner)
        body = decl.child_by_field_name("body")
        if body is not None and depth < MAX_DEPTH:
            self.statements(body, owner, depth + 1)

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
            found = []
            for d in named_children(node):
                name = d.child_by_field_name("name")
                if d.type != "variable_declarator" or name is None or name.type != "identifier":
                    continue
                if self.src.text(name) not in self.bindings:
                    found.append((self.src.text(name), node))
            return found
        return []

    def imports(self, node: Node) -> None:
        """What an ``import`` binds: local name -> (specifier, imported name)."""
        spec = _string(self.src, node.child_by_field_name("source"))
        for child in named_children(node):
            if child.type == "import_require_clause":  # import x = require("y")
                source = _string(self.src, child.child_by_field_name("source"))
                names = named_children(child)
                if source is not None and names and names[0].type == "identifier":
                    self.bindings[self.src.text(names[0])] = (source, "default")
            if child.type != "import_clause" or spec is None:
                continue
            for part in named_children(child):
                if part.type == "identifier":
                    self.bindings[self.src.text(part)] = (spec, "default")
                elif part.type == "namespace_import":
                    self.bindings[self.src.text(named_children(part)[-1])] = (spec, "*")
                elif part.type == "named_imports":
                    for item in named_children(part):
                        name = item.child_by_field_name("name")
                        alias = item.child_by_field_name("alias") or name
                        if item.type == "import_specifier" and name is not None:
                            self.bindings[self.src.text(alias)] = (spec, self.src.text(name))

    def reference(self, value: Node) -> str | None:
        """What a value names in another module, as a re-export target: ``require("x")``,
        ``require("x").y``, or ``m.y`` where ``m`` is a module bound by ``require``/import."""
        spec = _required(self.src, value)
        if spec is not None:
            return f"{spec}.default"
        if value.type != "member_expression":
            return None
        obj, prop = value.child_by_field_name("object"), value.child_by_field_name("property")
        if obj is None or prop is None or prop.type != "property_identifier":
            return None
        spec = _required(self.src, obj)
        if spec is not None:
            return f"{spec}.{self.src.text(prop)}"
        bound = self.bindings.get(self.src.text(obj)) if obj.type == "identifier" else None
        if bound is not None and bound[1] in ("default", "*"):
            return f"{bound[0]}.{self.src.text(prop)}"
        return None

    def reexport(self, name: str, where: Node, parent: str | None, target: str) -> None:
        self.c.add("reexport", where, name=name, parent=parent, target=target)

    def export_statement(
        self, node: Node, exported: list[tuple[str, str, Node]], parent: str | None, depth: int
    ) -> None:
        declaration = node.child_by_field_name("declaration")
        source = _string(self.src, node.child_by_field_name("source"))
        is_default = any(child.type == "default" for child in node.children)
        if declaration is not None:
            if is_default:  # export default class Foo {}
                self.declaration(declaration, node, parent, depth, default=True)
                self.exports.append("default")
                return
            self.declaration(declaration, node, parent, depth)
            for name, _ in self.declared(declaration):
                self.exports.append(name)
            return
        value = node.child_by_field_name("value")
        if value is None and any(child.type == "=" for child in node.children):
            value = node.named_children[-1] if node.named_children else None  # export = x
            is_default = value is not None
        if is_default and value is not None:
            self.default_export(value, node, exported, parent, depth)
            return
        clause = next((c for c in named_children(node) if c.type == "export_clause"), None)
        if clause is None:
            if source is None:
                return
            alias = next((c for c in named_children(node) if c.type == "namespace_export"), None)
            if alias is not None:  # export * as ns from "x"
                name_node = named_children(alias)[-1]
                self.exports.append(self.src.text(name_node))
                self.reexport(self.src.text(name_node), name_node, parent, f"{source}.*")
            elif parent is None:  # export * from "x"
                self.stars.append((source, line_of(node)))
            return
        for spec in named_children(clause):
            spec_name = spec.child_by_field_name("name")
            if spec.type != "export_specifier" or spec_name is None:
                continue
            alias = spec.child_by_field_name("alias")
            name = self.src.text(spec_name)
            exported_as = self.src.text(alias) if alias is not None else name
            self.exports.append(exported_as)
            if source is not None:
                self.reexport(exported_as, alias or spec_name, parent, f"{source}.{name}")
            else:
                exported.append((exported_as, name, alias or spec_name))

    def default_export(
        self,
        value: Node,
        statement: Node,
        exported: list[tuple[str, str, Node]],
        parent: str | None,
        depth: int,
    ) -> None:
        """``export default x``, ``export = x``, ``module.exports = x``."""
        self.exports.append("default")
        target = self.reference(value)
        if value.type == "identifier":
            exported.append(("default", self.src.text(value), value))
        elif target is not None:
            spec = _required(self.src, value)
            if spec is not None and parent is None:  # the other module's names are ours
                self.stars.append((spec, line_of(value)))
            self.reexport("default", value, parent, target)
        elif value.type in _FUNCTION_VALUES | _CLASSES:
            self.declaration(value, statement, parent, depth, default=True)
        elif value.type == "object" and statement.type == "expression_statement":
            self.exports.pop()  # module.exports = {a, b}: its keys are the names
            self.object_exports(value, statement, exported)
        else:
            self.c.add(
                "variable",
                value,
                name="default",
                parent=parent,
                doc=jsdoc(self.src, statement),
                signature=squash(self.src.text(statement), 120).rstrip(";"),
            )

    def object_exports(
        self, value: Node, statement: Node, exported: list[tuple[str, str, Node]]
    ) -> None:
        """``module.exports = {a, b: c, d() {}}``."""
        for entry in named_children(value):
            if entry.type == "shorthand_property_identifier":
                name = self.src.text(entry)
                exported.append((name, name, entry))
                self.exports.append(name)
            elif entry.type == "method_definition":
                name_node = entry.child_by_field_name("name")
                if name_node is not None:
                    self.exports.append(self.src.text(name_node))
                    _DECLARATIONS.function(self.c, "function", entry, name_node)
            elif entry.type == "pair":
                key, item = entry.child_by_field_name("key"), entry.child_by_field_name("value")
                if key is not None and item is not None and key.type == "property_identifier":
                    self.named_export(key, self.src.text(key), item, entry, exported)

    def expression(self, node: Node, exported: list[tuple[str, str, Node]]) -> None:
        """A top-level expression: CommonJS exports, and members assigned to declarations."""
        expr = node.named_children[0] if node.named_children else None
        if expr is None:
            return
        if expr.type == "call_expression":
            self.calls.append((expr, node))
            return
        if expr.type != "assignment_expression":
            return
        lefts, value = _chain(expr)
        if any(self.src.text(left) in _MODULE_OBJECTS for left in lefts):
            self.default_export(value, node, exported, None, 0)  # exports = module.exports = x
        for left in lefts:
            place = None if self.src.text(left) in _MODULE_OBJECTS else self.place(left)
            if place is None:
                continue
            obj, name, name_node = place
            if obj in _MODULE_OBJECTS:
                self.named_export(name_node, name, value, node, exported)
            else:
                self.members.setdefault(obj, []).append(_Member(name, name_node, value, node))

    def variable_exports(self, node: Node, exported: list[tuple[str, str, Node]]) -> None:
        """``var app = exports = module.exports = {}``, ``const re = exports.re = []`` and
        ``var x = require("y")``."""
        for declarator in named_children(node):
            name_node = declarator.child_by_field_name("name")
            value = declarator.child_by_field_name("value")
            if declarator.type != "variable_declarator" or name_node is None or value is None:
                continue
            if name_node.type == "object_pattern":  # const {a, b: c} = require("y")
                spec = _required(self.src, value)
                for item in named_children(name_node) if spec is not None else []:
                    if item.type == "shorthand_property_identifier_pattern":
                        self.bindings[self.src.text(item)] = (spec or "", self.src.text(item))
                    elif item.type == "pair_pattern":
                        key, bound = (
                            item.child_by_field_name("key"),
                            item.child_by_field_name("value"),
                        )
                        if key is not None and bound is not None and bound.type == "identifier":
                            self.bindings[self.src.text(bound)] = (spec or "", self.src.text(key))
                continue
            if name_node.type != "identifier":
                continue
            name = self.src.text(name_node)
            target = self.reference(value)
            if target is not None:
                spec, _, imported = target.rpartition(".")
                self.bindings[name] = (spec, imported)
                continue
            for left in _chain(value)[0]:
                if self.src.text(left) in _MODULE_OBJECTS:
                    exported.append(("default", name, name_node))
                    self.exports.append("default")
                elif (place := self.place(left)) is not None and place[0] in _MODULE_OBJECTS:
                    exported.append((place[1], name, place[2]))
                    self.exports.append(place[1])

    def place(self, left: Node) -> tuple[str, str, Node] | None:
        """``obj.name``, ``obj["name"]`` or ``Obj.prototype.name``: (obj, name, name node)."""
        if left.type == "member_expression":
            name_node = left.child_by_field_name("property")
            if name_node is None or name_node.type != "property_identifier":
                return None
            name = self.src.text(name_node)
        elif left.type == "subscript_expression":
            name_node = left.child_by_field_name("index")
            found = _string(self.src, name_node)
            if found is None or name_node is None:
                return None
            name = found
        else:
            return None
        obj = left.child_by_field_name("object")
        if obj is None:
            return None
        if obj.type == "member_expression" and self.src.text(obj).endswith(".prototype"):
            obj = obj.child_by_field_name("object")
        if obj is None or (obj.type != "identifier" and self.src.text(obj) != "module.exports"):
            return None
        return self.src.text(obj), name, name_node

    def named_export(
        self,
        name_node: Node,
        name: str,
        value: Node,
        statement: Node,
        exported: list[tuple[str, str, Node]],
    ) -> None:
        """``exports.name = value`` (or a key of ``module.exports = {...}``)."""
        self.exports.append(name)
        target = self.reference(value)
        doc = jsdoc(self.src, statement)
        if value.type == "identifier":
            exported.append((name, self.src.text(value), name_node))
        elif target is not None:
            self.reexport(name, name_node, None, target)
        elif value.type in _FUNCTION_VALUES:
            self.c.add(
                "function",
                name_node,
                name=name,
                signature=self.arrow_signature(name, value),
                parameters=parameters(self.src, value.child_by_field_name("parameters")),
                doc=doc,
                returns=_type_text(self.src, value.child_by_field_name("return_type")),
            )
        else:
            self.c.add("attribute", name_node, name=name, doc=doc,
                       signature=squash(self.src.text(statement), 120).rstrip(";,"))  # fmt: skip

    def defined_by_call(
        self, call: Node, statement: Node, exported: list[tuple[str, str, Node]]
    ) -> None:
        """``Object.defineProperty(obj, "name", …)``, or a function of this file that
        calls it (``defineGetter(req, "ip", fn)``): a property of ``obj``."""
        function, arguments = (
            call.child_by_field_name("function"),
            call.child_by_field_name("arguments"),
        )
        if function is None or arguments is None:
            return
        callee = self.src.text(function)
        if callee != "Object.defineProperty" and callee not in self.definers:
            return
        args = named_children(arguments)
        name = _string(self.src, args[1]) if len(args) >= 2 else None
        if name is None:
            return
        obj = self.src.text(args[0])
        if obj in _MODULE_OBJECTS:
            self.exports.append(name)
            self.c.add("property", args[1], name=name, signature=name,
                       doc=jsdoc(self.src, statement))  # fmt: skip
        elif args[0].type == "identifier":
            self.members.setdefault(obj, []).append(_Member(name, args[1], None, statement))

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
        if default:
            name_node, name = name_node or decl, "default"
        if decl.type in _VARIABLES:
            self.variables(decl, doc, parent, only, depth)
            return
        if name_node is None:
            return
        written = src.text(name_node)
        if not default and decl.type in _NAMESPACES:
            value = self.merged_value(parent, written)
            if value is not None:  # listed as the value it merges into, with its members
                self.declaration(value[0], value[1], parent, depth, only=written)
                return
        if self.seen(parent, name or written):
            return
        if decl.type in _FUNCTIONS | _FUNCTION_VALUES:
            group = [] if default else self.scopes.get(parent, {}).get(written, [])
            overloads = _overloads([pair for pair in group if pair[0].type in _FUNCTIONS])
            qualname = self.function(
                "function", overloads or [(decl, outer)], name_node, name=name, parent=parent
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
                "interface", name_node, parent=parent, doc=doc, signature=_interface(src, decl)
            )
            if body is not None:
                self.class_body(body, qualname)
        elif decl.type == "type_alias_declaration":
            qualname = c.add(
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
            self.namespace_body(decl, qualname, parent, depth)
        else:
            return
        if not default:
            self.merge_namespaces(parent, written, qualname, decl, depth)
        if parent is None and not default:
            self.assigned_members(written, qualname)

    def seen(self, parent: str | None, name: str) -> bool:
        key = f"{parent}.{name}"
        if key in self.emitted:
            return True
        self.emitted.add(key)
        return False

    def function(
        self,
        kind: str,
        overloads: list[tuple[Node, Node]],
        name_node: Node,
        *,
        name: str | None = None,
        parent: str | None = None,
        member: bool = False,
    ) -> str:
        """A function or method and its overloads ((declaration, where its doc comment
        stands), in source order): each one's signature on a line of its own, the
        parameters of all of them, the first doc comment one has (TypeDoc shows each
        signature's own; an entry has one documentation) and the first's return type."""
        src = self.src
        signatures = [
            header(src, decl, decl.child_by_field_name("body"),
                   _after_decorators(decl) if member else None)
            for decl, _ in overloads
        ]  # fmt: skip
        taken: dict[str, Parameter] = {}
        for decl, _ in overloads:
            for parameter in parameters(src, decl.child_by_field_name("parameters")):
                taken.setdefault(parameter.name, parameter)
        first = overloads[0][0]
        return self.c.add(
            kind,
            name_node,
            name=name,
            parent=parent,
            doc=next((d for _, at in overloads if (d := jsdoc(src, at)) is not None), None),
            signature="\n".join(dict.fromkeys(signatures)),
            parameters=tuple(taken.values()),
            returns=_returns(src, first),
        )

    def variables(
        self, decl: Node, doc: str | None, parent: str | None, only: str | None, depth: int
    ) -> None:
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
            if value is not None:
                value = _chain(value)[1]
            if value is not None and value.type in _FUNCTION_VALUES:
                qualname = self.c.add(
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
                qualname = self.c.add(
                    kind,
                    name_node,
                    parent=parent,
                    doc=doc,
                    signature=squash(src.text(declarator), 120),
                )
            self.merge_namespaces(parent, name, qualname, decl, depth)
            if parent is None and (value is None or value.type != "array"):
                self.assigned_members(name, qualname)  # an array's items are no members

    def assigned_members(self, name: str, owner: str) -> None:
        """The members assigned to a top-level declaration, listed under it."""
        self.top[name] = owner
        for member in self.members.get(name, ()):
            if self.seen(owner, member.name):
                continue  # assigned again (``res.sendfile = deprecate.function(...)``)
            value, doc = member.value, jsdoc(self.src, member.statement)
            if value is None:
                self.c.add("property", member.name_node, name=member.name, parent=owner,
                           doc=doc, signature=member.name)  # fmt: skip
            elif value.type in _FUNCTION_VALUES:
                self.c.add(
                    "method",
                    member.name_node,
                    name=member.name,
                    parent=owner,
                    doc=doc,
                    signature=self.arrow_signature(member.name, value),
                    parameters=parameters(self.src, value.child_by_field_name("parameters")),
                    returns=_type_text(self.src, value.child_by_field_name("return_type")),
                )
            else:
                text = squash(self.src.text(member.statement), 120).rstrip(";")
                self.c.add("attribute", member.name_node, name=member.name, parent=owner,
                           doc=doc, signature=text)  # fmt: skip

    def class_body(self, body: Node, owner: str) -> None:
        src = self.src
        methods: dict[str, list[tuple[Node, Node]]] = {}  # name -> its overloads
        for member in named_children(body):
            name_node = member.child_by_field_name("name")
            if member.type in _METHODS and name_node is not None:
                methods.setdefault(src.text(name_node), []).append((member, member))
        for member in named_children(body):
            name_node = member.child_by_field_name("name") or member.child_by_field_name("property")
            if name_node is None or name_node.type == "private_property_identifier":
                continue
            if _accessibility(src, member) in ("private", "protected"):
                continue
            name = src.text(name_node)
            doc = jsdoc(src, member)
            if member.type in _METHODS:
                if self.seen(owner, name):
                    continue
                overloads = _overloads(methods.get(name, [])) or [(member, member)]
                self.function("method", overloads, name_node, parent=owner, member=True)
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
                    parameters=_function_type_parameters(src, member.child_by_field_name("type")),
                )

    # --- members whose names are computed --------------------------------------------

    def dynamic_members(self, root: Node) -> tuple[tuple[str, int, str], ...]:
        """``obj[name] = …`` and ``Object.defineProperty(obj, name, …)`` with a computed
        name, where ``obj`` is the module's exports or a top-level declaration it lists:
        (the object's qualname, ``MODULE`` for the exports; line; the place as written).

        The text is searched for such places first (``] =``, ``Object.defineProperty(``);
        only those are read from the tree, so a file pays for what it holds."""
        objects = {**self.top, "exports": MODULE, "module.exports": MODULE}
        found: list[tuple[str, int, str]] = []
        starts = sorted(
            [(m.start(), False) for m in _SUBSCRIPT_ASSIGNED.finditer(self.src.data)]
            + [(m.start(), True) for m in _DEFINE_PROPERTY.finditer(self.src.data)]
        )
        for start, define in starts:
            node = root.descendant_for_byte_range(start, start + 1)
            place = _dynamic_place(self.src, node, define)
            if place is None:
                continue
            at, obj, key = place
            shown = squash(self.src.text(obj), 40)
            if obj.type == "member_expression" and shown.endswith(".prototype"):
                obj = obj.child_by_field_name("object") or obj
            written = self.src.text(obj)
            if written not in objects or _shadowed(self.src, at, written):
                continue
            if at.type == "assignment_expression":
                text = f"{shown}[{squash(self.src.text(key), 40)}] = …"
            else:
                text = f"Object.defineProperty({shown}, {squash(self.src.text(key), 40)}, …)"
            found.append((objects[written], line_of(at), text))
        return tuple(found)


# Where a member may be added under a computed name: ``…] = `` and ``Object.defineProperty(``
# (each starts with a literal, which the regular expression engine finds fast).
_SUBSCRIPT_ASSIGNED = re.compile(rb"\](?=\s*=[^=>])")
_DEFINE_PROPERTY = re.compile(rb"Object\.defineProperty\s*\(")


def _dynamic_place(src: Source, node: Node | None, define: bool) -> tuple[Node, Node, Node] | None:
    """From the ``]`` closing ``obj[key]`` assigned to, or the ``Object`` of
    ``Object.defineProperty(obj, key, …)``: (the assignment or call, obj, key), when
    ``key`` is computed."""
    if define:
        call = node.parent.parent if node is not None and node.parent is not None else None
        if call is None or call.type != "call_expression":
            return None
        arguments = call.child_by_field_name("arguments")
        items = named_children(arguments) if arguments is not None else []
        if len(items) < 2 or items[1].type == "string":
            return None
        return call, items[0], items[1]
    subscript = node.parent if node is not None else None
    if subscript is None or subscript.type != "subscript_expression":
        return None
    obj, key = subscript.child_by_field_name("object"), subscript.child_by_field_name("index")
    assignment = subscript.parent
    if obj is None or key is None or key.type == "string" or assignment is None:
        return None
    if (
        assignment.type != "assignment_expression"
        or assignment.child_by_field_name("left") != subscript
    ):
        return None
    return assignment, obj, key


def _shadowed(src: Source, node: Node, name: str) -> bool:
    """Whether ``name`` at ``node`` is declared by an enclosing function (a parameter or
    a declaration of its body), so it is not the top-level ``name``."""
    scope = node.parent
    while scope is not None:
        if scope.type in _SCOPES:
            params = scope.child_by_field_name("parameters") or scope.child_by_field_name(
                "parameter"
            )
            for param in [params, *named_children(params)] if params is not None else []:
                bound = param.child_by_field_name("pattern") or param.child_by_field_name("left")
                if src.text(bound or param) == name:
                    return True
            body = scope.child_by_field_name("body")
            for statement in named_children(body) if body is not None else []:
                if statement.type in _VARIABLES | _FUNCTIONS:
                    names = [d.child_by_field_name("name") for d in named_children(statement)] + [
                        statement.child_by_field_name("name")
                    ]
                    if any(n is not None and src.text(n) == name for n in names):
                        return True
        scope = scope.parent
    return False


def _file_doc(src: Source, root: Node) -> tuple[str | None, int | None]:
    first = next(
        (c for c in named_children(root) if c.type == "comment" and _is_doc_block(src.text(c))),
        None,
    )
    if first is None or not _is_file_doc(src, first):
        return None, None
    raw = src.text(first)
    doc = clean_block_doc(raw)
    if doc is not None:  # the tag that makes it the file's doc is not part of what it says
        for tag in _FILE_TAGS:
            doc = doc.replace(tag, " ")
        doc = "\n".join(line.rstrip() for line in doc.split("\n")).strip() or None
    if doc is None:
        for tag in ("@fileoverview", "@file", "@module"):
            if tag in raw:
                doc = clean_block_doc("/**" + raw.split(tag, 1)[1])
                break
    return doc, line_of(first)


# A generic call signature starting a line (``<T>(value: T): T``) after a member with
# no ``;``: tree-sitter-typescript reads it as type arguments of the line before and
# loses the whole file (tree-sitter/tree-sitter-typescript#335).
_UNSEPARATED_SIGNATURE = re.compile(r"(?m)(?<=[^\s;,{(\[])(?=\n[ \t]*<[\w$][^\n]*>\s*\()")


def _parse(grammar: str, text: str) -> tuple[Source, Node]:
    """The file's tree; TypeScript with unseparated generic call signatures is read again
    with the ``;`` they lack (line numbers stay as they are)."""
    src, root = parse(grammar, text)
    if root.has_error and grammar != "javascript" and _UNSEPARATED_SIGNATURE.search(text):
        retried = parse(grammar, _UNSEPARATED_SIGNATURE.sub(";", text))
        if not retried[1].has_error:
            return retried
    return src, root


def analyse(path: str, text: str, language: str) -> FileAnalysis:
    if path.endswith(".tsx"):
        grammar = "tsx"
    elif language == "TypeScript":
        grammar = "typescript"
    else:
        grammar = "javascript"
    src, root = _parse(grammar, text)
    collector = Collector(path, language, src)
    reader = _Reader(collector, src, declaration_file=path.endswith(_DECLARATION_FILES))
    reader.statements(root, None, 0)
    doc, doc_line = _file_doc(src, root)
    exports = tuple(dict.fromkeys(reader.exports))
    if reader.hidden:
        collector.symbols = [
            replace(s, public=False) if s.parent is None and s.qualname in reader.hidden else s
            for s in collector.symbols
        ]
    analysis = collector.result(root, module_name(path), doc, doc_line, exports)
    return replace(
        analysis,
        star_imports=tuple(reader.stars),
        dynamic_members=reader.dynamic_members(root),
    )
