"""What analysing one file yields: plain, picklable facts, each with its line.

``FileAnalysis`` is cached by the file's git blob SHA, so everything in it must
depend on the file's bytes (and its path) alone, and stay picklable and
JSON-serialisable through ``to_json``/``from_json``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields, is_dataclass
from typing import Any

# Bump when the analysers change what they extract: cached analyses of older
# versions are ignored.
ANALYSIS_VERSION = 18


@dataclass(frozen=True)
class Parameter:
    name: str
    # "positional-only", "positional-or-keyword", "var-positional", "keyword-only",
    # "var-keyword" (Python's inspect kinds); other languages use "positional-or-keyword".
    kind: str = "positional-or-keyword"
    annotation: str | None = None
    default: str | None = None


@dataclass(frozen=True)
class Symbol:
    """A declaration: module, class, function, method, interface, type, constant, ..."""

    kind: str  # "module", "class", "function", "method", "property", "attribute",
    # "constant", "interface", "type", "enum", "struct", "trait", "field"
    name: str
    qualname: str  # dotted path within the module, e.g. "Client.get"
    line: int  # 1-based line of the declaration (the line that names it)
    # As it reads in the language.  Python: the parameters and return annotation,
    # "(a: int, *, b=1) -> str" (prefixed "async " for coroutines), or a value's
    # ": int = 3"; other languages: the declaration up to its body,
    # "func (c *Client) Get(url string) error".
    signature: str | None = None
    parameters: tuple[Parameter, ...] = ()
    returns: str | None = None
    doc: str | None = None  # the doc comment / docstring, cleaned
    decorators: tuple[str, ...] = ()
    public: bool = True
    parent: str | None = None  # qualname of the enclosing class, if any
    # For a re-export (kind "reexport"): where the name comes from, as written
    # (e.g. "aiohttp.client.ClientSession" or ".client.ClientSession"; JavaScript and
    # TypeScript: "<specifier>.<name>", the name "default" or "*" for the whole module,
    # as in "./errors.js.HTTPError", or a local name alone).
    target: str | None = None
    # For a class: what it derives from, as dotted names made from the file's imports
    # (".sansio.app.App", "click.UsageError"; a name of the same file as written).
    bases: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The same as ``_plain(self)``, spelled out: symbols are most of a file's analysis."""
        return {
            "kind": self.kind,
            "name": self.name,
            "qualname": self.qualname,
            "line": self.line,
            "signature": self.signature,
            "parameters": [
                {"name": p.name, "kind": p.kind, "annotation": p.annotation, "default": p.default}
                for p in self.parameters
            ]
            if self.parameters
            else [],
            "returns": self.returns,
            "doc": self.doc,
            "decorators": list(self.decorators),
            "public": self.public,
            "parent": self.parent,
            "target": self.target,
            "bases": list(self.bases),
        }


@dataclass(frozen=True)
class Import:
    """A dependency of this file on a module, as written (resolved later, per repository)."""

    module: str
    line: int
    names: tuple[str, ...] = ()
    level: int = 0  # Python relative import level
    # "import", "from" (Python), "typing" (Python, under ``if TYPE_CHECKING:``: not
    # imported at run time), "main" (Python, under ``if __name__ == "__main__":``: only
    # when run as a script), "local" (Python, in a function: when it runs), "require",
    # "dynamic" (JS ``import()``), "export" (JS re-export), "use", "mod" (Rust ``mod x;``:
    # the file declares its child module), "extern" (Rust ``extern crate x``).
    kind: str = "import"


@dataclass(frozen=True)
class EnvRead:
    """Configuration read from the environment or a config key."""

    name: str
    line: int
    default: str | None = None  # as written in the code, e.g. ``"8080"``
    how: str = ""  # e.g. "os.getenv", "process.env"; its last word appears on ``line``
    # True: the name is computed (``name`` holds the expression as written).
    dynamic: bool = False
    # False: ``default`` is an expression (a constant's name, a call), not a literal.
    default_literal: bool = True


@dataclass(frozen=True)
class Route:
    """An HTTP route declared in code."""

    method: str
    path: str
    handler: str
    line: int  # the line where ``path`` is written (the route's declaration when it is empty)
    framework: str
    # A prefix declared elsewhere in the file (a class-level ``@RequestMapping``, a
    # router's ``prefix=``); the route answers at ``prefix + path``.
    prefix: str = ""


# Python: each class, qualified (``flask.app.Flask``), its line, and its bases as the module
# binds them (``flask.sansio.app.App``), those of its own top-level package only.
Classes = tuple[tuple[str, int, tuple[str, ...]], ...]


@dataclass(frozen=True)
class CallFacts:
    """Python: what call chains are followed through (``analysis.facts.python_calls``).

    Names are qualified with the module (``flask.app.Flask.wsgi_app``); only calls
    into the module's own top-level package are kept, each caller's first call of
    each callee.
    """

    definitions: tuple[tuple[str, str, int], ...] = ()  # (name, "class"/"function"/"method", line)
    bases: tuple[tuple[str, str], ...] = ()  # (class, a base as the module binds it), in order
    calls: tuple[tuple[str, str, int], ...] = ()  # (caller, callee, line of the call)
    # What the module's imports bind: (local, target); Rust: what it exports (``pub use``,
    # ``pub fn``), (name, key).
    bindings: tuple[tuple[str, str], ...] = ()
    returns: tuple[tuple[str, str], ...] = ()  # Go: (function, the type it returns)


@dataclass(frozen=True)
class FileAnalysis:
    path: str
    language: str | None
    module: str | None = None  # importable module name (Python) or package path
    # The package the file declares, as its package clause names it (Go ``package cmp``,
    # Java ``package org.x.y;``; for ``module-info.java``, the Java module's name).
    package: str | None = None
    doc: str | None = None  # module docstring / package doc comment
    doc_line: int | None = None  # the line the module doc starts on
    # The public declarations, in source order, each class followed by its public
    # members (private names are not kept: nothing shows them).
    symbols: tuple[Symbol, ...] = ()
    exports: tuple[str, ...] | None = None  # ``__all__`` or explicit export list, if any
    # Python: ``from x import *``; JavaScript/TypeScript: ``export * from "x"`` and
    # ``module.exports = require("x")`` (origin as written, line); the names it brings in
    # are worked out across the repository (``docsgen.generator.surface``).
    star_imports: tuple[tuple[str, int], ...] = ()
    # Python: modules whose ``__all__`` this module's ``__all__`` includes (as written, line).
    exports_included: tuple[tuple[str, int], ...] = ()
    # Rust: the traits a type of this file's crate implements here (``impl Trait for Type``
    # and ``#[derive(Trait)]``): (the inline module's qualname or "", the type's path as
    # written without generic arguments, the trait as written, line).
    impls: tuple[tuple[str, str, str, int], ...] = ()
    # JavaScript: members added under computed names, which cannot be listed
    # (``app[method] = …``): the object's qualname ("" for the module's exports), the
    # line, and the place as written.
    dynamic_members: tuple[tuple[str, int, str], ...] = ()
    imports: tuple[Import, ...] = ()
    env_reads: tuple[EnvRead, ...] = ()
    routes: tuple[Route, ...] = ()
    entry_points: tuple[tuple[str, str, int], ...] = ()  # (name, target, line) from manifests
    call_graph: CallFacts | None = None  # its functions' calls (``CallFacts``)
    classes: Classes = ()  # Python: its classes and their bases (``Classes``)
    # Problems the docs must show as ⚠️: parse errors, dynamic exports, truncation.
    warnings: tuple[str, ...] = ()
    analysed: bool = True  # False: the language has no analyser, or ``skipped`` says why
    # The parser's error when the file could not be parsed at all (no symbols then).
    parse_error: str | None = None
    # Why an analysable file was deliberately not analysed (e.g. it looks minified).
    skipped: str | None = None

    def to_json(self, only: Iterable[str] | None = None) -> dict[str, Any]:
        """Every field as JSON values, or ``only`` those named (the symbols, most of an
        analysis, are not converted unless asked for)."""
        return {
            name: value if name in _CONVERTED else _plain(value)
            for name, value in self.encodable(only).items()
        }

    def encodable(self, only: Iterable[str] | None = None) -> dict[str, Any]:
        """``to_json`` as a JSON encoder reads it with ``fields_of`` as its ``default``:
        tuples and dataclasses are left for the encoder (converting them first would cost
        as much as encoding them)."""
        names = _FIELD_NAMES.get(FileAnalysis)
        if names is None:
            names = _FIELD_NAMES[FileAnalysis] = tuple(f.name for f in fields(self))
        if only is not None:
            names = tuple(only)
        found: dict[str, Any] = {}
        for name in names:
            if name == "symbols":
                found[name] = [s.to_json() for s in self.symbols]
            elif name in (OUTLINE, MODULE_OUTLINE):
                found[name] = [
                    [
                        s.kind,
                        s.name,
                        s.qualname,
                        s.line,
                        s.parent,
                        s.target,
                        s.public,
                        list(s.bases),
                    ]
                    for s in (self.symbols if name == OUTLINE else module_outline(self.symbols))
                ]
            else:
                found[name] = getattr(self, name)
        return found

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileAnalysis:
        def syms(items: list[dict[str, Any]]) -> tuple[Symbol, ...]:
            return tuple(
                Symbol(
                    **{
                        **s,
                        "parameters": tuple(Parameter(**p) for p in s["parameters"]),
                        "decorators": tuple(s["decorators"]),
                        "bases": tuple(s.get("bases", ())),
                    }
                )
                for s in items
            )

        rows = data.get(OUTLINE, data.get(MODULE_OUTLINE))
        if rows is not None:
            symbols = tuple(
                Symbol(
                    kind,
                    name,
                    qualname,
                    line,
                    parent=parent,
                    target=target,
                    public=public,
                    bases=tuple(bases),
                )
                for kind, name, qualname, line, parent, target, public, bases in rows
            )
        else:
            symbols = syms(data.get("symbols", []))
        return cls(
            path=data["path"],
            language=data["language"],
            module=data.get("module"),
            package=data.get("package"),
            doc=data.get("doc"),
            doc_line=data.get("doc_line"),
            symbols=symbols,
            exports=tuple(data["exports"]) if data.get("exports") is not None else None,
            star_imports=tuple((s[0], s[1]) for s in data.get("star_imports", [])),
            exports_included=tuple((s[0], s[1]) for s in data.get("exports_included", [])),
            impls=tuple((i[0], i[1], i[2], i[3]) for i in data.get("impls", [])),
            dynamic_members=tuple((d[0], d[1], d[2]) for d in data.get("dynamic_members", [])),
            imports=tuple(
                Import(**{**i, "names": tuple(i["names"])}) for i in data.get("imports", [])
            ),
            env_reads=tuple(EnvRead(**e) for e in data.get("env_reads", [])),
            routes=tuple(Route(**r) for r in data.get("routes", [])),
            entry_points=tuple((e[0], e[1], e[2]) for e in data.get("entry_points", [])),
            call_graph=_call_facts(data.get("call_graph")),
            classes=tuple((c[0], c[1], tuple(c[2])) for c in data.get("classes", [])),
            warnings=tuple(data.get("warnings", [])),
            analysed=data.get("analysed", True),
            parse_error=data.get("parse_error"),
            skipped=data.get("skipped"),
        )


# Not a field: the symbols without their documentation, signatures and parameters (what
# is declared where, and what it re-exports), read where the whole symbols are not needed.
OUTLINE = "outline"
# The outline of a file's modules and imports (Rust's ``mod x { }`` and ``use``, as
# ``module`` and ``reexport`` symbols): its modules' structure, which a new function leaves.
MODULE_OUTLINE = "module_outline"
_STRUCTURE_KINDS = frozenset({"module", "reexport"})
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
# What ``encodable`` gives as JSON values.
_CONVERTED = frozenset({"symbols", OUTLINE, MODULE_OUTLINE})
_SCALARS = frozenset({str, int, float, bool, type(None)})


def outline(symbols: Iterable[Symbol]) -> tuple[Symbol, ...]:
    """The symbols as ``OUTLINE`` keeps them."""
    return tuple(
        Symbol(
            s.kind,
            s.name,
            s.qualname,
            s.line,
            parent=s.parent,
            target=s.target,
            public=s.public,
            bases=s.bases,
        )
        for s in symbols
    )


def module_outline(symbols: Iterable[Symbol]) -> tuple[Symbol, ...]:
    """The symbols as ``MODULE_OUTLINE`` keeps them."""
    return outline(s for s in symbols if s.kind in _STRUCTURE_KINDS)


def _call_facts(data: dict[str, Any] | None) -> CallFacts | None:
    if data is None:
        return None
    # Each row was written from a tuple of its fields: ``map(tuple, ...)`` reads it back.
    return CallFacts(
        definitions=tuple(map(tuple, data["definitions"])),
        bases=tuple(map(tuple, data["bases"])),
        calls=tuple(map(tuple, data["calls"])),
        bindings=tuple(map(tuple, data["bindings"])),
        returns=tuple(map(tuple, data.get("returns", ()))),
    )


def fields_of(value: Any) -> dict[str, Any]:
    """A dataclass's fields by name, its values as they are: ``default`` of a JSON encoder,
    which then encodes a dataclass as ``_plain`` has it (``TypeError`` for anything else,
    as the encoder's own)."""
    kind = type(value)
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not is_dataclass(value):
            raise TypeError(f"Object of type {kind.__name__} is not JSON serializable")
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    return {name: getattr(value, name) for name in names}


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` without its deep copies (several times faster on big files)."""
    kind = type(value)
    if kind in _SCALARS:
        return value
    if kind is tuple or kind is list:
        return [v if type(v) in _SCALARS else _plain(v) for v in value]
    names = _FIELD_NAMES.get(kind)
    if names is None:
        if not is_dataclass(value):
            return value
        names = _FIELD_NAMES[kind] = tuple(f.name for f in fields(value))
    plain = {}
    for name in names:  # most fields are scalars: no call for those
        field_value = getattr(value, name)
        plain[name] = field_value if type(field_value) in _SCALARS else _plain(field_value)
    return plain
