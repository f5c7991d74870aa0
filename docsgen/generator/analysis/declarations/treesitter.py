"""What the tree-sitter analysers share: parsers, node text, doc comments, signatures, the walk.

The grammars are the per-language wheels (``tree-sitter-typescript``, ...),
loaded lazily once per worker process.  Go, Rust and Java are read by one
walk (``Reading``): a language says how its doc comments, parameters and
return types read (``Declarations``), what each kind of declaration node
becomes (a handler per node type) and how the file names its module.  Walks
only ever go through declarations (top level, class and module bodies) to a
bounded depth, so no nesting in a file can exhaust the stack.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import tree_sitter

from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter, Symbol

MAX_DEPTH = 20  # nested classes/modules/namespaces deeper than this are not entered
MAX_SIGNATURE_CHARS = 300

# Grammar key -> (wheel module, function returning the language pointer).
_GRAMMARS: dict[str, tuple[str, str]] = {
    "typescript": ("tree_sitter_typescript", "language_typescript"),
    "tsx": ("tree_sitter_typescript", "language_tsx"),
    "javascript": ("tree_sitter_javascript", "language"),
    "go": ("tree_sitter_go", "language"),
    "rust": ("tree_sitter_rust", "language"),
    "java": ("tree_sitter_java", "language"),
}
_PARSERS: dict[str, tree_sitter.Parser] = {}


def parser(grammar: str) -> tree_sitter.Parser:
    found = _PARSERS.get(grammar)
    if found is None:
        module, function = _GRAMMARS[grammar]
        language = tree_sitter.Language(getattr(importlib.import_module(module), function)())
        found = _PARSERS[grammar] = tree_sitter.Parser(language)
    return found


Node = tree_sitter.Node


@dataclass
class Source:
    """A parsed file: its bytes and helpers to read nodes back as text."""

    data: bytes

    def text(self, node: Node | None) -> str:
        if node is None:
            return ""
        return self.data[node.start_byte : node.end_byte].decode("utf-8", "replace")

    def span(self, start: int, end: int) -> str:
        return self.data[start:end].decode("utf-8", "replace")


def squash(text: str, limit: int = MAX_SIGNATURE_CHARS) -> str:
    """One line, single spaces, cut to ``limit`` characters."""
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"\( ", "(", re.sub(r" \)", ")", text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def line_of(node: Node) -> int:
    return node.start_point[0] + 1


def named_children(node: Node) -> list[Node]:
    return [c for c in node.children if c.is_named]


def child_of_type(node: Node, *types: str) -> Node | None:
    """The first named child of one of these types."""
    return next((c for c in node.children if c.is_named and c.type in types), None)


def header(src: Source, node: Node, body: Node | None, start: int | None = None) -> str:
    """A declaration's text up to its body: its signature as written."""
    end = body.start_byte if body is not None else node.end_byte
    return squash(src.span(node.start_byte if start is None else start, end)).rstrip(" {;=")


# --- doc comments ----------------------------------------------------------------------


def clean_block_doc(raw: str) -> str | None:
    """A ``/** ... */`` comment (JSDoc, TSDoc, Javadoc) without its comment markers; its
    tags (``@param``, ``@returns``...) are kept for ``docsgen.generator.docstrings``."""
    body = raw.strip()
    body = body.removeprefix("/**").removesuffix("*/")
    lines = [re.sub(r"^\s*\*( |$)?", "", line).rstrip() for line in body.splitlines()]
    if lines:
        lines[0] = lines[0].lstrip()  # what follows ``/**`` on its line
    return _dedent_join(lines)


def clean_line_docs(lines: list[str], marker: str) -> str | None:
    """Consecutive line comments (``//`` for Go, ``///`` for Rust) without their marker."""
    out = []
    for line in lines:
        line = line.strip()
        if line.startswith(marker):
            line = line[len(marker) :]
        out.append(line[1:] if line.startswith(" ") else line)
    return _dedent_join(out)


def _dedent_join(lines: list[str]) -> str | None:
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        return None
    indent = min(len(x) - len(x.lstrip()) for x in lines if x.strip())
    return "\n".join(x[indent:] for x in lines)


def preceding_comments(node: Node, is_comment: Callable[[Node], bool]) -> list[Node]:
    """The comments right above ``node`` (no blank line between), nearest last."""
    found: list[Node] = []
    expected_row = node.start_point[0]
    sibling = node.prev_sibling
    while sibling is not None and is_comment(sibling):
        if sibling.end_point[0] < expected_row - 1:
            break
        found.append(sibling)
        expected_row = sibling.start_point[0]
        sibling = sibling.prev_sibling
    found.reverse()
    return found


def block_doc_above(src: Source, node: Node, is_comment: Callable[[Node], bool]) -> str | None:
    """The ``/** ... */`` comment right above ``node`` (Javadoc, JSDoc, TSDoc), as prose."""
    comments = preceding_comments(node, is_comment)
    if comments and src.text(comments[-1]).startswith("/**"):
        return clean_block_doc(src.text(comments[-1]))
    return None


def first_error(root: Node) -> Node | None:
    """The first ERROR or MISSING node, found without recursion."""
    node = root
    while True:
        if node.is_error or node.is_missing:
            return node
        child = next((c for c in node.children if c.has_error or c.is_missing), None)
        if child is None:
            return node if node is not root else None
        node = child


# --- the shared result builder --------------------------------------------------------------


@dataclass
class Collector:
    """Symbols in declaration order, and the warnings found on the way."""

    path: str
    language: str
    src: Source
    symbols: list[Symbol] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(
        self,
        kind: str,
        name_node: Node,
        *,
        name: str | None = None,
        parent: str | None = None,
        signature: str | None = None,
        parameters: tuple[Parameter, ...] = (),
        returns: str | None = None,
        doc: str | None = None,
        decorators: tuple[str, ...] = (),
        target: str | None = None,
    ) -> str:
        name = name if name is not None else self.src.text(name_node)
        qualname = f"{parent}.{name}" if parent else name
        self.symbols.append(
            Symbol(
                kind=kind,
                name=name,
                qualname=qualname,
                line=line_of(name_node),
                signature=signature,
                parameters=parameters,
                returns=returns or None,
                doc=doc,
                decorators=decorators,
                parent=parent,
                target=target,
            )
        )
        return qualname

    def result(
        self,
        root: Node,
        module: str,
        doc: str | None = None,
        doc_line: int | None = None,
        exports: tuple[str, ...] | None = None,
    ) -> FileAnalysis:
        warnings = list(self.warnings)
        if root.has_error:
            error = first_error(root)
            where = f" (first near line {line_of(error)})" if error is not None else ""
            warnings.insert(
                0,
                f"The {self.language} parser found syntax errors{where}; the declarations "
                "listed may be incomplete.",
            )
        return FileAnalysis(
            self.path,
            self.language,
            module=module,
            doc=doc,
            doc_line=doc_line,
            symbols=tuple(self.symbols),
            exports=exports,
            warnings=tuple(warnings),
        )


@dataclass(frozen=True)
class Declarations:
    """How one language reads a declaration's doc comment, parameters and return type."""

    doc: Callable[[Source, Node], str | None]
    parameters: Callable[[Source, Node | None], tuple[Parameter, ...]]
    returns: Callable[[Source, Node], str | None]

    def function(
        self,
        c: Collector,
        kind: str,
        node: Node,
        name_node: Node,
        *,
        name: str | None = None,
        parent: str | None = None,
        doc_node: Node | None = None,
        start: int | None = None,
        decorators: tuple[str, ...] = (),
    ) -> str:
        """A function or method: its signature is its header up to the body.

        ``doc_node``: where the doc comment stands when not right above ``node``
        (an ``export`` around it); ``start``: where the signature starts when not
        at ``node`` (after annotations or decorators).
        """
        src = c.src
        return c.add(
            kind,
            name_node,
            name=name,
            parent=parent,
            doc=self.doc(src, node if doc_node is None else doc_node),
            decorators=decorators,
            signature=header(src, node, node.child_by_field_name("body"), start),
            parameters=self.parameters(src, node.child_by_field_name("parameters")),
            returns=self.returns(src, node),
        )

    def as_written(
        self,
        c: Collector,
        kind: str,
        node: Node,
        name_node: Node,
        *,
        parent: str | None = None,
        limit: int = 160,
    ) -> str:
        """A declaration that reads well as written (a constant, a type alias, an enum
        variant): its signature is its text, on one line."""
        src = c.src
        signature = squash(src.text(node), limit).rstrip(";")
        return c.add(kind, name_node, parent=parent, doc=self.doc(src, node), signature=signature)

    def field(
        self,
        c: Collector,
        node: Node,
        name_node: Node,
        *,
        parent: str,
        type_node: Node | None,
        signature: str | None = None,
    ) -> str:
        """A field of ``parent``: its type as written; its signature the declaration's text."""
        src = c.src
        return c.add(
            "field",
            name_node,
            parent=parent,
            doc=self.doc(src, node),
            signature=squash(src.text(node), 160) if signature is None else signature,
            returns=src.text(type_node) if type_node is not None else None,
        )


def parse(grammar: str, text: str) -> tuple[Source, Node]:
    data = text.encode("utf-8", "surrogateescape")
    return Source(data), parser(grammar).parse(data).root_node


# --- the walk shared by Go, Rust and Java ---------------------------------------------------

Handler = Callable[["Walk", Node, "str | None", int], None]


class Head(NamedTuple):
    """What a file says of itself at its top level."""

    module: str  # the module (package) it belongs to
    doc: str | None = None
    doc_line: int | None = None
    # Other fields of its analysis the language fills: Go's and Java's ``package``, a
    # ``module-info.java``'s ``exports``.
    extra: Mapping[str, Any] = {}


@dataclass(frozen=True)
class Reading:
    """How one language's declarations are read.

    ``handlers``: what each kind of declaration node becomes (a node of another
    kind is passed over); ``head``: the file's module name and doc, read from its
    syntax tree's top level.
    """

    grammar: str
    declarations: Declarations
    handlers: Mapping[str, Handler]
    head: Callable[[str, Source, Node], Head]

    def analyse(self, path: str, text: str, language: str) -> FileAnalysis:
        src, root = parse(self.grammar, text)
        walk = Walk(self, Collector(path, language, src))
        walk.body(root, None, 0)
        head = self.head(path, src, root)
        found = walk.c.result(root, head.module, head.doc, head.doc_line)
        return replace(found, **head.extra) if head.extra else found


@dataclass
class Walk:
    """One file's walk: each declaration node in order, handed to its handler."""

    reading: Reading
    c: Collector

    @property
    def src(self) -> Source:
        return self.c.src

    @property
    def declarations(self) -> Declarations:
        return self.reading.declarations

    def body(self, node: Node, parent: str | None, depth: int) -> None:
        """The declarations of a file, or of a body (a module's) at ``depth``."""
        handlers = self.reading.handlers
        for child in named_children(node):
            handler = handlers.get(child.type)
            if handler is not None:
                handler(self, child, parent, depth)

    def nested(self, body: Node, parent: str, depth: int) -> None:
        """The declarations of a body inside one at ``depth``, unless nested too deeply."""
        if depth < MAX_DEPTH:
            self.body(body, parent, depth + 1)
