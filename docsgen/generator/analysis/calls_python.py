"""Python's static call graph of one module: who calls what, what each class derives from.

Read with ``ast``, never imported or run.  Within each function and method
(and the module's and each class's own statements), every call whose callee
is a name or an attribute chain is resolved against what the module binds:
its imports (absolute and relative, those inside the function too), its
top-level definitions, and for ``self.m()`` / ``cls.m()`` / ``super().m()``
the enclosing class.  A call that cannot be resolved statically (on a
parameter, a local variable, the result of another call, a builtin) is no
edge: an edge is what the code shows, never a guess.

Names are fully qualified (``package.module.Class.method``); a callee may lie
outside the repository (``hmac.new``).  Calls inside a nested function belong
to it (``outer.<locals>.inner``), not to the function that defines it: that
one may never call it.  Each module's import bindings are kept too, so that a
caller can follow re-exports across modules (``package.Name`` to where
``Name`` is defined).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from docsgen.generator.analysis.declarations.python import attribute_chain, expr

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


@dataclass(frozen=True)
class Call:
    caller: str  # the calling function, method, class (its body) or module, qualified
    callee: str  # what is called, qualified as resolved
    line: int


@dataclass(frozen=True)
class Definition:
    name: str  # qualified
    kind: str  # "class", "function" or "method"
    line: int  # the line of ``def``/``class`` (after any decorators)
    bases: tuple[str, ...] = ()  # a class's bases, each resolved where the module binds it
    returns: str | None = None  # a function's return annotation, as written


@dataclass(frozen=True)
class CallGraph:
    module: str
    definitions: tuple[Definition, ...] = ()
    calls: tuple[Call, ...] = ()
    # What the module's own imports bind: (local name, qualified target).
    imports: tuple[tuple[str, str], ...] = ()


def python_call_graph(tree: ast.Module, module: str, *, package: bool = False) -> CallGraph:
    """The module's definitions and calls; ``package``: the module is an ``__init__``."""
    reader = _Reader(module, package)
    reader.read(tree)
    names = reader.global_names
    imports = tuple((k, v) for k, v in names.items() if v is not None and k in reader.imported)
    return CallGraph(module, tuple(reader.definitions), tuple(reader.calls), imports)


def module_bindings(
    tree: ast.Module, module: str, *, package: bool = False
) -> dict[str, str | None]:
    """What each module-level name is bound to: its import's target or its definition,
    qualified; None for a name bound otherwise (an assignment), which is not followed."""
    reader = _Reader(module, package)
    for stmt in _statements(tree.body, fallbacks_first=True):
        reader._bind(stmt, reader.global_names, module, module_level=True)
    return reader.global_names


@dataclass
class _Scope:
    """Where a statement runs: the caller its calls belong to and the names it binds."""

    caller: str
    prefix: str  # what a definition here is qualified with
    names: dict[str, str | None]  # local name -> qualified target (None: unresolvable)
    in_class: str | None = None  # the class whose body this is
    method_of: str | None = None  # for a method: its class (``self.m()`` resolves there)
    first_parameter: str | None = None  # ``self`` or ``cls``, as the method names it
    bases: tuple[str, ...] = ()  # the method's class's bases (``super().m()``)


@dataclass
class _Reader:
    module: str
    package: bool
    definitions: list[Definition] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    global_names: dict[str, str | None] = field(default_factory=dict)
    imported: set[str] = field(default_factory=set)

    def read(self, tree: ast.Module) -> None:
        # Module-level bindings first: a function may call what is defined after it.
        for stmt in _statements(tree.body):
            self._bind(stmt, self.global_names, self.module, module_level=True)
        scope = _Scope(self.module, self.module, self.global_names)
        self._block(tree.body, scope)

    # --- bindings ----------------------------------------------------------------------

    def _bind(
        self, stmt: ast.stmt, names: dict[str, str | None], prefix: str, module_level: bool = False
    ) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
                if module_level:
                    self.imported.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            source = self._absolute(stmt.module, stmt.level)
            for alias in stmt.names:
                if alias.name == "*":
                    continue
                local = alias.asname or alias.name
                names[local] = f"{source}.{alias.name}" if source else None
                if module_level:
                    self.imported.add(local)
        elif isinstance(stmt, (*_FUNCTIONS, ast.ClassDef)):
            names[stmt.name] = f"{prefix}.{stmt.name}"
            if module_level:
                self.imported.discard(stmt.name)
        else:
            for name in _stored_names(stmt):
                names[name] = None
                if module_level:
                    self.imported.discard(name)

    def _absolute(self, module: str | None, level: int) -> str | None:
        """The module a (relative) import names, as an absolute dotted name."""
        if level == 0:
            return module
        parts = self.module.split(".")
        if not self.package:
            parts = parts[:-1]
        if level - 1 > len(parts):
            return None
        base = parts[: len(parts) - (level - 1)]
        return ".".join([*base, *([module] if module else [])]) or None

    # --- walking -----------------------------------------------------------------------

    def _block(self, body: Iterable[ast.stmt], scope: _Scope) -> None:
        for stmt in body:
            if isinstance(stmt, _FUNCTIONS):
                self._function(stmt, scope)
            elif isinstance(stmt, ast.ClassDef):
                self._class(stmt, scope)
            else:
                for child in ast.iter_child_nodes(stmt):
                    self._node(child, scope)

    def _node(self, node: ast.AST, scope: _Scope) -> None:
        if isinstance(node, ast.stmt):
            self._block([node], scope)
        elif isinstance(node, (ast.ExceptHandler, ast.match_case)):
            for child in ast.iter_child_nodes(node):
                self._node(child, scope)
        else:
            self._expression(node, scope)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef, scope: _Scope) -> None:
        self._evaluated_at_definition(node, scope)
        nested = scope.in_class is None and scope.caller != self.module
        name = f"{scope.prefix}.{node.name}"
        if not nested:
            kind = "method" if scope.in_class is not None else "function"
            returns = expr(node.returns) if node.returns is not None else None
            self.definitions.append(Definition(name, kind, node.lineno, returns=returns))
        # A method sees the module's names, not its class body's; a nested function sees
        # the names of the function around it.
        names = dict(self.global_names if scope.in_class is not None else scope.names)
        arguments = node.args
        for argument in _parameters(arguments):
            names[argument.arg] = None
        declared, imports, scopes, stored = _local_bindings(node.body)
        for stmt in sorted(imports, key=lambda i: (i.lineno, i.col_offset)):
            self._bind(stmt, names, name)
        for scoped in scopes:
            names[scoped] = f"{name}.<locals>.{scoped}"
        for local in stored - declared:
            names[local] = None
        method_of: str | None
        first: str | None
        if scope.in_class is not None:  # a method: its first parameter is the instance or class
            positional = [*arguments.posonlyargs, *arguments.args]
            static = any(_decorator_name(d) == "staticmethod" for d in node.decorator_list)
            method_of = scope.in_class
            first = positional[0].arg if positional and not static else None
        else:  # a nested function keeps the method's ``self`` unless it names its own
            method_of, first = scope.method_of, scope.first_parameter
            if first is not None and names.get(first, "") is None:
                method_of = first = None
        inner = _Scope(
            caller=name,
            prefix=f"{name}.<locals>",
            names=names,
            method_of=method_of,
            first_parameter=first,
            bases=scope.bases if method_of is not None else (),
        )
        self._block(node.body, inner)

    def _class(self, node: ast.ClassDef, scope: _Scope) -> None:
        self._evaluated_at_definition(node, scope)
        name = f"{scope.prefix}.{node.name}"
        # ``Base[T]`` derives from ``Base``.
        written = [b.value if isinstance(b, ast.Subscript) else b for b in node.bases]
        bases = tuple(b for b in (self._resolve(base, scope) for base in written) if b)
        if scope.caller == self.module or scope.in_class is not None:
            self.definitions.append(Definition(name, "class", node.lineno, bases=bases))
        # Names bound in a class body are not seen by its methods (as at run time).
        body_names: dict[str, str | None] = dict(scope.names)
        for stmt in _statements(node.body):
            self._bind(stmt, body_names, name)
        inner = _Scope(caller=name, prefix=name, names=body_names, in_class=name, bases=bases)
        self._block(node.body, inner)

    def _evaluated_at_definition(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, scope: _Scope
    ) -> None:
        """Decorators, bases, defaults and keywords run where the definition is."""
        parts: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            parts += node.bases
            parts += node.keywords
        else:
            parts += node.args.defaults
            parts += [d for d in node.args.kw_defaults if d is not None]
        for part in parts:
            self._expression(part, scope)

    def _expression(self, node: ast.AST, scope: _Scope) -> None:
        for found in ast.walk(node):
            if isinstance(found, ast.Call):
                callee = self._resolve(found.func, scope)
                if callee is not None:
                    self.calls.append(Call(scope.caller, callee, found.lineno))

    def _resolve(self, node: ast.expr, scope: _Scope) -> str | None:
        """The qualified name ``node`` (a name or an attribute chain) stands for, if known."""
        node, attributes = attribute_chain(node)
        if isinstance(node, ast.Call):  # super().m()
            is_super = isinstance(node.func, ast.Name) and node.func.id == "super"
            if is_super and len(attributes) == 1 and scope.bases:
                return f"{scope.bases[0]}.{attributes[0]}"
            return None
        if not isinstance(node, ast.Name):
            return None
        if node.id == scope.first_parameter and scope.method_of is not None:
            return f"{scope.method_of}.{attributes[0]}" if len(attributes) == 1 else None
        target = scope.names.get(node.id)
        if target is None:
            return None
        return ".".join([target, *attributes])


def _decorator_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _statements(body: Iterable[ast.stmt], fallbacks_first: bool = False) -> Iterator[ast.stmt]:
    """The statements of a block and of its compound statements (``if``, ``try``, ``with``,
    loops, ``match``), not those of the functions and classes it defines.

    ``fallbacks_first``: a ``try``'s handlers before its body, so that what the body
    binds (``try: from ._main import main``) wins over its fallback's (``except
    ImportError: def main(): ...``), as when the import succeeds.
    """
    for stmt in body:
        yield stmt
        if isinstance(stmt, _SCOPES):
            continue
        if fallbacks_first:
            for handler in getattr(stmt, "handlers", ()):
                yield from _statements(handler.body, fallbacks_first)
        for name in ("body", "orelse", "finalbody"):
            inner = getattr(stmt, name, None)
            if isinstance(inner, list):
                yield from _statements(inner, fallbacks_first)
        if not fallbacks_first:
            for handler in getattr(stmt, "handlers", ()):
                yield from _statements(handler.body)
        for case in getattr(stmt, "cases", ()):
            yield from _statements(case.body, fallbacks_first)


def _stored_names(stmt: ast.stmt) -> Iterator[str]:
    """Names a simple statement binds (assignments, loops, ``with ... as``, ``except ... as``)."""
    targets: list[ast.expr] = []
    if isinstance(stmt, ast.Assign):
        targets = list(stmt.targets)
    elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.For, ast.AsyncFor)):
        targets = [stmt.target]
    elif isinstance(stmt, (ast.With, ast.AsyncWith)):
        targets = [item.optional_vars for item in stmt.items if item.optional_vars is not None]
    elif isinstance(stmt, ast.Try | ast.TryStar):
        yield from (h.name for h in stmt.handlers if h.name)
    for target in targets:
        if type(target) is ast.Name:  # most targets: nothing to walk
            yield target.id
            continue
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                yield node.id


def _local_bindings(
    body: Iterable[ast.stmt],
) -> tuple[set[str], list[ast.Import | ast.ImportFrom], list[str], set[str]]:
    """What a function's body binds, read in one walk that does not enter the functions,
    classes and lambdas it defines: names declared ``global``/``nonlocal``, its imports,
    the functions and classes it defines, and every other name it stores (assignments,
    loops, ``with``/``except ... as``, ``:=``, comprehension variables, lambda parameters,
    ``match`` captures), which hide a module-level name of the same spelling."""
    declared: set[str] = set()
    imports: list[ast.Import | ast.ImportFrom] = []
    scopes: list[str] = []
    stored: set[str] = set()
    todo: list[ast.AST] = list(body)
    while todo:
        node = todo.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            imports.append(node)
        elif isinstance(node, _SCOPES):
            scopes.append(node.name)
        elif isinstance(node, ast.Lambda):
            stored.update(a.arg for a in _parameters(node.args))
        else:
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                stored.add(node.id)
            elif isinstance(node, ast.ExceptHandler) and node.name:
                stored.add(node.name)
            elif isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                stored.add(node.name)
            elif isinstance(node, ast.MatchMapping) and node.rest:
                stored.add(node.rest)
            todo.extend(ast.iter_child_nodes(node))
    return declared, imports, scopes, stored


def _parameters(arguments: ast.arguments) -> list[ast.arg]:
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    return every + [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
