"""Python declarations read with ``ast``: the code is parsed, never imported or run.

What counts as public follows the conventions documentation tools share (and
griffe implements): a module's ``__all__`` decides for its top-level names when
it is non-empty; otherwise a leading underscore makes a name private, except
``__dunder__`` names; imported names are private unless ``__all__`` lists them
(they are then re-exports).  A private class at the top of a module is kept,
marked private, with its public members: the classes deriving from it inherit
them, and its ``__init__``.  When a name is defined twice at one level the
later definition wins, as at run time.
"""

from __future__ import annotations

import ast
import inspect
from dataclasses import dataclass, field, replace
from functools import lru_cache

from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter, Symbol
from docsgen.generator.markdown import code

# Decorators and bases whose annotated class attributes are fields (dataclass, attrs, ...).
_FIELD_DECORATORS = frozenset(
    {
        "dataclass",
        "dataclasses.dataclass",
        "pydantic.dataclasses.dataclass",
        "attr.s",
        "attr.attrs",
        "attr.define",
        "attr.frozen",
        "attr.mutable",
        "attr.dataclass",
        "attrs.define",
        "attrs.frozen",
        "attrs.mutable",
        "define",
        "frozen",
        "mutable",
    }
)
_FIELD_BASES = frozenset(
    {
        "NamedTuple",
        "typing.NamedTuple",
        "TypedDict",
        "typing.TypedDict",
        "typing_extensions.TypedDict",
        "BaseModel",
        "pydantic.BaseModel",
    }
)
# Decorators (by their last dotted name) that make a method read as an attribute.
_PROPERTY_DECORATORS = frozenset({"property", "cached_property", "abstractproperty"})
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_ASSIGNMENTS = (ast.Assign, ast.AnnAssign)
_IMPORTS = (ast.ImportFrom, ast.Import)
MAX_VALUE_CHARS = 80  # a constant's value is shown when it is at most this long
MAX_EXPR_CHARS = 300  # class bases and value annotations longer than this are cut
MAX_CLASS_DEPTH = 20  # classes nested deeper than this are not entered


def module_name(path: str) -> str:
    """The dotted name a file's path suggests (``src/`` dropped, ``__init__`` folded)."""
    parts = path.split("/")
    if len(parts) > 1 and parts[0] == "src":
        parts = parts[1:]
    last = parts[-1]
    parts[-1] = last[: last.rfind(".")] if "." in last else last
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def expr(node: ast.AST | None, limit: int | None = MAX_EXPR_CHARS) -> str | None:
    """Source text of an expression; deep expressions degrade to ``…``, never raise."""
    if node is None:
        return None
    text = _plain_text(node)
    if text is None:
        try:
            text = ast.unparse(node)
        except RecursionError:
            return "…"
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text


# Literals ``ast.unparse`` writes as their ``repr`` (floats and complex numbers it does not).
_REPR_LITERALS = frozenset({str, bytes, int, bool, type(None)})
# How deeply nested calls and displays ``_plain_text`` writes.  Deeper ones are left to
# ``ast.unparse``: one nested too deeply for it must still read "…", as before.
_PLAIN_DEPTH = 4


def _plain_text(node: ast.AST, depth: int = 0) -> str | None:
    """What ``ast.unparse`` writes for the plainest expressions, if ``node`` is one.

    Names, ``name.attribute``, plain literals, and calls, lists, tuples, sets
    and dicts made of those: most defaults, annotations, bases, decorators and
    values are, and writing them here spares building an unparser for each.
    None: anything else.
    """
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Constant):
        value = node.value
        if type(value) in _REPR_LITERALS and node.kind is None:  # not u"..."
            return repr(value)
        return "..." if value is ... else None
    if isinstance(node, ast.Attribute):
        owner = node.value
        return f"{owner.id}.{node.attr}" if isinstance(owner, ast.Name) else None
    if depth == _PLAIN_DEPTH:
        return None
    depth += 1
    if isinstance(node, ast.Call):
        return _call_text(node, depth)
    if isinstance(node, ast.List):
        items = _joined(node.elts, depth)
        return None if items is None else f"[{items}]"
    if isinstance(node, ast.Tuple):
        items = _joined(node.elts, depth)
        if items is None:
            return None
        return f"({items},)" if len(node.elts) == 1 else f"({items})"
    if isinstance(node, ast.Set) and node.elts:  # (``ast.unparse`` writes no items as {*()})
        items = _joined(node.elts, depth)
        return None if items is None else f"{{{items}}}"
    if isinstance(node, ast.Dict):
        return _dict_text(node, depth)
    if isinstance(node, ast.Starred):
        value = _plain_text(node.value, depth)
        return None if value is None else f"*{value}"
    return None


def _joined(nodes: list[ast.expr], depth: int) -> str | None:
    """The plain texts of these expressions between commas; None if one is not plain."""
    texts = []
    for node in nodes:
        text = _plain_text(node, depth)
        if text is None:
            return None
        texts.append(text)
    return ", ".join(texts)


def _call_text(node: ast.Call, depth: int) -> str | None:
    """A call written as ``ast.unparse`` does: positional arguments before keywords."""
    if not isinstance(node.func, ast.Name | ast.Attribute):
        return None
    callee = _plain_text(node.func)
    arguments = _joined(node.args, depth)
    if callee is None or arguments is None:
        return None
    texts = [arguments] if node.args else []
    for keyword in node.keywords:
        value = _plain_text(keyword.value, depth)
        if value is None:
            return None
        texts.append(f"**{value}" if keyword.arg is None else f"{keyword.arg}={value}")
    return f"{callee}({', '.join(texts)})"


def _dict_text(node: ast.Dict, depth: int) -> str | None:
    """A dict display; a key of None stands for ``**mapping``."""
    texts = []
    for key, value in zip(node.keys, node.values, strict=True):
        value_text = _plain_text(value, depth)
        if value_text is None:
            return None
        if key is None:
            texts.append(f"**{value_text}")
            continue
        key_text = _plain_text(key, depth)
        if key_text is None:
            return None
        texts.append(f"{key_text}: {value_text}")
    return f"{{{', '.join(texts)}}}"


def parameters(args: ast.arguments) -> tuple[Parameter, ...]:
    out: list[Parameter] = []
    positional_only = len(args.posonlyargs)
    positional = args.posonlyargs + args.args if positional_only else args.args
    defaults = args.defaults
    first_default = len(positional) - len(defaults)  # the defaults belong to the last ones
    for i, arg in enumerate(positional):
        kind = "positional-only" if i < positional_only else "positional-or-keyword"
        default = defaults[i - first_default] if i >= first_default else None
        out.append(_parameter(arg, kind, default))
    if args.vararg is not None:
        out.append(_parameter(args.vararg, "var-positional"))
    if args.kwonlyargs:
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            out.append(_parameter(arg, "keyword-only", kw_default))
    if args.kwarg is not None:
        out.append(_parameter(args.kwarg, "var-keyword"))
    return tuple(out)


def _parameter(arg: ast.arg, kind: str, default: ast.expr | None = None) -> Parameter:
    if arg.annotation is None and default is None:
        return _bare_parameter(arg.arg, kind)
    return Parameter(arg.arg, kind, expr(arg.annotation), expr(default, None))


@lru_cache(maxsize=1024)
def _bare_parameter(name: str, kind: str) -> Parameter:
    """A parameter without annotation or default, made once: the same ones (``self``,
    ``cls``, ``*args``, ``**kwargs``...) recur in most signatures, and parameters are
    immutable."""
    return Parameter(name, kind)


def signature(params: tuple[Parameter, ...], returns: str | None) -> str:
    """A signature as Python writes it: ``(a: int, /, b=1, *, c, **kw) -> str``."""
    parts: list[str] = []
    star_done = False
    for i, p in enumerate(params):
        if p.kind == "keyword-only" and not star_done:
            parts.append("*")
            star_done = True
        text = p.name
        if p.kind == "var-positional":
            text, star_done = "*" + p.name, True
        elif p.kind == "var-keyword":
            text = "**" + p.name
        if p.annotation is not None:
            text += f": {p.annotation}"
        if p.default is not None:
            text += (" = " if p.annotation is not None else "=") + p.default
        parts.append(text)
        following = params[i + 1].kind if i + 1 < len(params) else None
        if p.kind == "positional-only" and following != "positional-only":
            parts.append("/")
    return "(" + ", ".join(parts) + ")" + (f" -> {returns}" if returns else "")


def _doc_after(body: list[ast.stmt], index: int) -> str | None:
    """An attribute's docstring: a string literal right after its assignment."""
    return _string_doc(body[index + 1]) if index + 1 < len(body) else None


def docstring(
    node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module,
) -> str | None:
    """``ast.get_docstring(node)``, without its checks of ``node`` and of deprecated node types."""
    return _string_doc(node.body[0]) if node.body else None


def _string_doc(statement: ast.stmt) -> str | None:
    """The cleaned text of a statement that is a lone string literal, if it is one."""
    if isinstance(statement, ast.Expr):
        value = statement.value
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            return _cleandoc(value.value)
    return None


def _cleandoc(text: str) -> str:
    """``inspect.cleandoc``, short-cut for the many docstrings of one line.

    On one line it only expands tabs and strips what leads; what trails stays.
    """
    if "\n" not in text:
        return text.expandtabs().lstrip()
    return inspect.cleandoc(text)


def _decorators(node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> tuple[str, ...]:
    """The decorators as written, each cut at 100 characters."""
    found = node.decorator_list
    return tuple([expr(d, 100) or "" for d in found]) if found else ()


def _target_names(target: ast.expr) -> list[tuple[str, int]]:
    """The names an assignment target binds, with their lines (most targets are one name)."""
    if isinstance(target, ast.Name):
        return [(target.id, target.lineno)]
    if isinstance(target, ast.Tuple | ast.List):
        found = []
        for element in target.elts:
            found.extend(_target_names(element))
        return found
    if isinstance(target, ast.Starred):
        return _target_names(target.value)
    return []


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for a name or attribute chain, a call's callee included."""
    start, attributes = attribute_chain(node.func if isinstance(node, ast.Call) else node)
    return ".".join([start.id, *attributes]) if isinstance(start, ast.Name) else None


def attribute_chain(node: ast.expr) -> tuple[ast.expr, list[str]]:
    """What an attribute chain starts from, and its attributes in order: ``a.b.c`` gives
    ``a`` and ``["b", "c"]``; anything else is its own start, with none."""
    attributes: list[str] = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    attributes.reverse()
    return node, attributes


@dataclass
class _Exports:
    names: list[str] = field(default_factory=list)
    found: bool = False
    computed: list[int] = field(default_factory=list)  # lines with parts we cannot read
    # Other modules whose ``__all__`` this one includes (``__all__ = fields_all + [...]``
    # after ``from .fields import __all__ as fields_all``, or ``__all__ += fields.__all__``),
    # as written, with the line.
    included: list[tuple[str, int]] = field(default_factory=list)

    def add(self, node: ast.expr, imported: dict[str, tuple[str, int]]) -> None:
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                if isinstance(element, ast.Constant) and isinstance(element.value, str):
                    self.names.append(element.value)
                else:
                    self.computed.append(element.lineno)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            self.add(node.left, imported)
            self.add(node.right, imported)
        else:
            origin = _included_all(node, imported)
            if origin is not None:
                self.included.append((origin, node.lineno))
            else:
                self.computed.append(node.lineno)


def _included_all(node: ast.expr, imported: dict[str, tuple[str, int]]) -> str | None:
    """The module whose ``__all__`` ``node`` names: ``x_all`` imported as some module's
    ``__all__``, or ``module.__all__`` of an imported module."""
    if isinstance(node, ast.Name) and node.id in imported:
        target = imported[node.id][0]
        if target.endswith(".__all__"):
            return target[: -len(".__all__")]
    if isinstance(node, ast.Attribute) and node.attr == "__all__":
        dotted = _dotted(node.value)
        if dotted is not None:
            head, _, rest = dotted.partition(".")
            if head in imported:
                base = imported[head][0]
                return f"{base}.{rest}" if rest else base
    return None


@dataclass
class _Scope:
    """A module or class being read: its members by name, in first-definition order."""

    qualname: str | None
    members: dict[str, list[Symbol]] = field(default_factory=dict)  # member and its children
    fields: bool = False  # annotated attributes are fields (dataclass, attrs, NamedTuple, ...)


class _Reader:
    """Walks module and class bodies (never function bodies), collecting declarations."""

    def __init__(self, path: str, package: str = "") -> None:
        self.path = path
        self.package = package  # the top-level package's name
        self.exports = _Exports()
        self.imported: dict[str, tuple[str, int]] = {}  # name -> (target, line)
        # Names imported under their own name (``from .app import Flask as Flask``): the
        # convention for an explicit re-export (PEP 484), honoured when there is no __all__.
        self.explicit: set[str] = set()
        self.stars: list[tuple[str, int]] = []  # ``from x import *``: (origin as written, line)
        # ``from x import name`` of the same package (relative, or absolute under the same
        # top-level name): in a package's ``__init__`` without ``__all__``, what users
        # import from the package (``requests.get``, ``django.get_version``).
        self.from_package: set[str] = set()
        self.warnings: list[str] = []
        self.module_getattr: int | None = None
        # The names a module ``__getattr__`` compares its argument with, and whether it
        # provides no other (it ends by raising ``AttributeError``).
        self.getattr_names: tuple[str, ...] = ()
        self.getattr_only: bool = False

    # --- statements ------------------------------------------------------------

    def read_body(
        self, body: list[ast.stmt], scope: _Scope, depth: int, conditional: bool = False
    ) -> None:
        for index, node in enumerate(body):
            if isinstance(node, _FUNCTIONS):
                self.function(node, scope)
            elif isinstance(node, _ASSIGNMENTS):
                self.assignment(node, scope, _doc_after(body, index), conditional)
            elif isinstance(node, ast.ClassDef):
                self.class_(node, scope, depth)
            elif isinstance(node, ast.Expr):
                if scope.qualname is None:
                    self.all_call(node.value)
            elif isinstance(node, _IMPORTS):
                if scope.qualname is None:
                    self.import_(node)
            elif isinstance(node, ast.AugAssign):
                if scope.qualname is None and _is_all(node.target):
                    self.exports.add(node.value, self.imported)
            elif isinstance(node, ast.If):
                self.read_body(node.body, scope, depth, True)
                self.read_body(node.orelse, scope, depth, True)
            elif isinstance(node, ast.Try | ast.TryStar):
                self.read_body(node.body, scope, depth, conditional)
                for handler in node.handlers:
                    self.read_body(handler.body, scope, depth, True)
                self.read_body(node.orelse, scope, depth, conditional)
                self.read_body(node.finalbody, scope, depth, conditional)
            elif isinstance(node, ast.With | ast.AsyncWith):
                self.read_body(node.body, scope, depth, conditional)
            elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
                self.read_body(node.body, scope, depth, conditional)
                self.read_body(node.orelse, scope, depth, True)
            elif isinstance(node, ast.Match):
                for case in node.cases:
                    self.read_body(case.body, scope, depth, True)

    def function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        # Most functions have no decorators, so nothing to look for.
        dotted = [_dotted(d) or "" for d in node.decorator_list] if node.decorator_list else []
        if dotted:
            existing = scope.members.get(node.name)
            if (
                existing
                and existing[0].kind == "property"
                and any(d in (f"{node.name}.setter", f"{node.name}.deleter") for d in dotted)
            ):
                return  # the setter or deleter of a property already listed
        if scope.qualname is None and node.name == "__getattr__":
            self.module_getattr = node.lineno
            self.getattr_names, self.getattr_only = _provided_names(node)
        params = parameters(node.args)
        returns = expr(node.returns, None)
        if dotted and any(d.rsplit(".", 1)[-1] in _PROPERTY_DECORATORS for d in dotted):
            kind = "property"
        else:
            kind = "function" if scope.qualname is None else "method"
        prefix = "async " if isinstance(node, ast.AsyncFunctionDef) else ""
        scope.members[node.name] = [
            Symbol(
                kind=kind,
                name=node.name,
                qualname=_join(scope.qualname, node.name),
                line=node.lineno,
                signature=prefix + signature(params, returns),
                parameters=params,
                returns=returns,
                doc=docstring(node),
                decorators=_decorators(node),
                public=not is_private(node.name),
                parent=scope.qualname,
            )
        ]

    def class_(self, node: ast.ClassDef, scope: _Scope, depth: int) -> None:
        bases = [expr(b) or "" for b in node.bases]
        bases += [
            f"{k.arg}={expr(k.value)}" if k.arg else f"**{expr(k.value)}" for k in node.keywords
        ]
        qualname = _join(scope.qualname, node.name)
        sym = Symbol(
            kind="class",
            name=node.name,
            qualname=qualname,
            line=node.lineno,
            signature=f"({', '.join(bases)})" if bases else None,
            doc=docstring(node),
            decorators=_decorators(node),
            public=not is_private(node.name),
            parent=scope.qualname,
            bases=self.base_targets(node.bases),
        )
        inner = _Scope(qualname)
        decorated = {_dotted(d) for d in node.decorator_list}
        inner.fields = bool(decorated & _FIELD_DECORATORS) or any(
            _dotted(b) in _FIELD_BASES for b in node.bases
        )
        if depth < MAX_CLASS_DEPTH:
            self.read_body(node.body, inner, depth + 1)
        else:
            self.warnings.append(
                f"Class {code(qualname)} (line {node.lineno}) is nested more than "
                f"{MAX_CLASS_DEPTH} classes deep; its members are not listed."
            )
        # Each member's group is the member followed by its own visible members.
        # Private fields are kept (not public) where fields make the ``__init__``: its
        # signature takes them too.
        children = [
            s
            for group in inner.members.values()
            if group[0].public or (inner.fields and group[0].kind == "field")
            for s in group
        ]
        scope.members[node.name] = [sym, *children]

    def base_targets(self, bases: list[ast.expr]) -> tuple[str, ...]:
        """Each base class as a dotted name through this file's imports (``Generic[T]``
        and other subscripted bases by what they subscript)."""
        found = []
        for base in bases:
            if isinstance(base, ast.Subscript):
                base = base.value
            dotted = _dotted(base)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head in self.imported:
                target = self.imported[head][0]
                found.append(f"{target}.{rest}" if rest else target)
            else:
                found.append(dotted)
        return tuple(found)

    def assignment(
        self, node: ast.Assign | ast.AnnAssign, scope: _Scope, doc: str | None, conditional: bool
    ) -> None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        annotation = expr(node.annotation) if isinstance(node, ast.AnnAssign) else None
        for target in targets:
            for name, line in _target_names(target):
                if scope.qualname is None and name == "__all__" and node.value is not None:
                    self.exports.found = True
                    self.exports.names.clear()
                    self.exports.included.clear()
                    self.exports.add(node.value, self.imported)
                    continue
                if conditional and name in scope.members:
                    continue  # the first (unconditional, no-exception) value is kept
                if _rewraps(scope.members.get(name), name, node.value):
                    continue  # ``Factory = _add_hash(Factory)``: a decorator applied later
                if scope.qualname is None and name == "__getattr__":  # attrs: made by a call
                    self.module_getattr = line
                value = expr(node.value, None) if node.value is not None else None
                shown = value if value is not None and len(value) <= MAX_VALUE_CHARS else None
                if scope.qualname is not None:
                    kind = "field" if scope.fields and annotation is not None else "attribute"
                elif name.isupper() or (annotation or "").startswith(("Final", "typing.Final")):
                    kind = "constant"
                else:
                    kind = "attribute"
                sig = (f": {annotation}" if annotation else "") + (f" = {shown}" if shown else "")
                scope.members[name] = [
                    Symbol(
                        kind=kind,
                        name=name,
                        qualname=_join(scope.qualname, name),
                        line=line,
                        signature=sig or None,
                        returns=annotation,
                        doc=doc,
                        public=not is_private(name),
                        parent=scope.qualname,
                    )
                ]

    def all_call(self, value: ast.expr) -> None:
        """``__all__.extend([...])`` and ``__all__.append("x")``."""
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and _is_all(value.func.value)
            and value.args
        ):
            if value.func.attr == "extend":
                self.exports.add(value.args[0], self.imported)
            elif value.func.attr == "append":
                arg = value.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    self.exports.names.append(arg.value)
                else:
                    self.exports.computed.append(arg.lineno)

    def import_(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                bound = alias.asname or alias.name.split(".")[0]
                target = alias.name if alias.asname else bound
                self.imported[bound] = (target, alias.lineno)
                if alias.asname and alias.name.rpartition(".")[2] == alias.asname:
                    self.explicit.add(bound)
            return
        origin = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                self.stars.append((origin, node.lineno))
                continue
            sep = "" if origin.endswith(".") else "."
            bound = alias.asname or alias.name
            self.imported[bound] = (f"{origin}{sep}{alias.name}", alias.lineno)
            if alias.asname == alias.name:
                self.explicit.add(bound)
            elif node.level or origin.partition(".")[0] == self.package:
                self.from_package.add(bound)


def _is_all(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "__all__"


def _join(parent: str | None, name: str) -> str:
    return f"{parent}.{name}" if parent else name


def _syntax_error(exc: SyntaxError) -> str:
    where = f"line {exc.lineno}" + (f", column {exc.offset}" if exc.offset else "")
    return f"{type(exc).__name__}: {exc.msg} ({where})"


def analyse(
    path: str, text: str, language: str | None, tree: ast.Module | None = None
) -> FileAnalysis:
    """Declarations of one Python file; a file that does not parse yields its error.

    ``tree`` is the file's syntax tree when the caller already parsed it.
    """
    module = module_name(path)
    try:
        if tree is None:
            tree = ast.parse(text, filename=path, type_comments=False)
    except SyntaxError as exc:  # IndentationError and TabError included
        return FileAnalysis(path, language, module=module, parse_error=_syntax_error(exc))
    except (RecursionError, MemoryError) as exc:
        return FileAnalysis(
            path,
            language,
            module=module,
            parse_error=f"{type(exc).__name__}: the code is nested too deeply to parse",
        )
    except ValueError as exc:  # e.g. "source code string cannot contain null bytes"
        return FileAnalysis(path, language, module=module, parse_error=f"ValueError: {exc}")
    reader = _Reader(path, module.partition(".")[0])
    scope = _Scope(None)
    reader.read_body(tree.body, scope, 0)
    doc = docstring(tree)
    doc_line = tree.body[0].lineno if doc is not None else None
    return _finish(reader, scope, path, language, module, doc, doc_line)


def _finish(
    reader: _Reader,
    scope: _Scope,
    path: str,
    language: str | None,
    module: str,
    doc: str | None,
    doc_line: int | None,
) -> FileAnalysis:
    listed = reader.exports
    exports = list(dict.fromkeys(listed.names)) if listed.found else None
    # ``__all__`` decides when it names anything, literally or through other modules'.
    decides = bool(exports) or bool(listed.included)
    warnings = list(reader.warnings)
    if listed.computed:
        lines = ", ".join(str(n) for n in sorted(set(listed.computed)))
        warnings.append(
            f"{code('__all__')} is partly computed (line {lines}): only its literal names "
            "are known."
        )
    symbols: list[Symbol] = []
    for name, group in scope.members.items():
        head = group[0]
        public = (name in (exports or ())) if decides else head.public
        if public:
            symbols.append(head if head.public else replace(head, public=True))
        elif (decides and head.public) or head.kind == "class":
            # Left out of ``__all__`` but not private by name: another module may still
            # re-export it (aiohttp's ``FlowControlDataQueue``), so it is kept, marked.  So
            # is a private class: public classes derive from it (werkzeug's ``_RetryAfter``).
            symbols.append(replace(head, public=False))
        else:
            continue
        symbols.extend(group[1:])
    defined = set(scope.members)
    if decides:
        reexported = [n for n in exports or () if n not in defined]
    else:  # explicit re-exports (``X as X``) of public names
        candidates = set(reader.explicit)
        if path.rpartition("/")[2] in ("__init__.py", "__init__.pyi"):
            candidates |= reader.from_package
        # In source order: by line, then as written on the line (a set's order is not).
        order = {n: i for i, n in enumerate(reader.imported)}
        reexported = sorted(
            (n for n in candidates if n not in defined and not is_private(n)),
            key=lambda n: (reader.imported[n][1], order.get(n, len(order)), n),
        )
    unknown: list[str] = []  # listed in ``__all__``, yet neither defined nor imported here
    for name in reexported:
        if name in reader.imported:
            target, line = reader.imported[name]
            symbols.append(Symbol("reexport", name, name, line, target=target))
        elif not reader.stars and not listed.included and name not in MODULE_ATTRIBUTES:
            unknown.append(name)
    warnings += _unknown_warnings(reader, unknown)
    return FileAnalysis(
        path,
        language,
        module=module,
        doc=doc,
        doc_line=doc_line,
        symbols=tuple(symbols),
        exports=tuple(exports) if exports is not None else None,
        warnings=tuple(warnings),
        star_imports=tuple(reader.stars),
        exports_included=tuple(listed.included),
    )


# What the import system sets on every module: ``__all__`` may list them (attrs lists
# ``__doc__``); nothing needs to define them.
MODULE_ATTRIBUTES = frozenset(
    {"__doc__", "__name__", "__file__", "__path__", "__package__", "__spec__", "__loader__",
     "__builtins__", "__cached__", "__dict__"}
)  # fmt: skip
MAX_NAMES_SHOWN = 8  # of the names a warning lists; the rest are counted


def _names_shown(names: list[str] | tuple[str, ...]) -> str:
    shown = ", ".join(code(n) for n in names[:MAX_NAMES_SHOWN])
    if len(names) > MAX_NAMES_SHOWN:
        shown += f" and {len(names) - MAX_NAMES_SHOWN} more"
    return shown


def _unknown_warnings(reader: _Reader, unknown: list[str]) -> list[str]:
    """One warning for a module ``__getattr__`` and the names it must provide, one for
    names ``__all__`` lists that nothing provides: a reader needs to know once, not per name."""
    shown = _names_shown(unknown)
    getattr_line = reader.module_getattr
    if getattr_line is not None:
        provided = (
            f"; {code('__all__')} lists {len(unknown)} name(s) only it can provide: {shown}"
            if unknown
            else ""
        )
        hook = f"Module-level {code('__getattr__')} (line {getattr_line})"
        if reader.getattr_names and reader.getattr_only and not unknown:
            # itsdangerous's and flask's: a deprecated ``__version__``, and nothing else.
            return [f"{hook} provides {_names_shown(reader.getattr_names)} on request; "
                    "not listed here."]  # fmt: skip
        return [f"{hook}: the module may provide names dynamically that are not listed{provided}."]
    if unknown:
        return [
            f"{code('__all__')} lists {len(unknown)} name(s) this file neither defines nor "
            f"imports: {shown}."
        ]
    return []


def _provided_names(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[tuple[str, ...], bool]:
    """The names a module ``__getattr__`` compares its argument with (``name == "x"``,
    ``name in ("x", "y")``), and whether it ends by raising ``AttributeError``: then it
    provides those names and no other."""
    arguments = node.args.posonlyargs + node.args.args
    if not arguments:
        return (), False
    argument = arguments[0].arg
    names: list[str] = []
    for compare in ast.walk(node):
        if not isinstance(compare, ast.Compare) or len(compare.ops) != 1:
            continue
        left, right = compare.left, compare.comparators[0]
        if isinstance(right, ast.Name) and right.id == argument:
            left, right = right, left
        if not (isinstance(left, ast.Name) and left.id == argument):
            continue
        if isinstance(compare.ops[0], ast.Eq):
            values = [right]
        elif isinstance(compare.ops[0], ast.In) and isinstance(
            right, ast.Tuple | ast.List | ast.Set
        ):
            values = list(right.elts)
        else:
            continue
        names += [
            v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        ]
    last = node.body[-1]
    only = isinstance(last, ast.Raise) and "AttributeError" in ast.dump(last.exc or last)
    return tuple(dict.fromkeys(names)), only


def _rewraps(defined: list[Symbol] | None, name: str, value: ast.expr | None) -> bool:
    """Whether ``name = value`` passes the class or function ``name`` already is through
    calls, as a decorator would (attrs: ``Factory = _add_hash(_add_repr(Factory))``)."""
    if (
        not defined
        or defined[0].kind not in ("class", "function")
        or not isinstance(value, ast.Call)
    ):
        return False
    calls = [value]
    while calls:
        call = calls.pop()
        for argument in (*call.args, *(k.value for k in call.keywords)):
            if isinstance(argument, ast.Name) and argument.id == name:
                return True
            if isinstance(argument, ast.Call):
                calls.append(argument)
    return False
