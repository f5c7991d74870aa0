"""Python's calls into its own package, read cheaply enough to run on every file.

What "How it works" follows from an entry point: each function's calls that
resolve statically into the module's own top-level package: ``self.m()`` and
``cls.m()`` in a method (to its class), ``super().m()`` (to the class's first
base), and names the module binds (its imports, its top-level functions and
classes, an attribute chain on them).  A call on anything else (a parameter,
a local variable, the result of a call) is no edge: an edge is what the code
shows.

Walking every expression of every file would cost a third of parsing it, so
the lines that may hold such a call are found first in the text (one pattern
over it), and only the expressions of the statements on those lines are walked (as the other
Python facts are read).  A name rebound inside a function (other than as its
parameter) is not seen; the resolution is the module-level binding.
"""

from __future__ import annotations

import ast
import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from operator import attrgetter
from typing import Any, TypeVar

from docsgen.generator.analysis.calls_python import module_bindings
from docsgen.generator.analysis.declarations.python import attribute_chain, module_name
from docsgen.generator.analysis.file_analysis import CallFacts, Classes

Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
_Node = TypeVar("_Node", bound=ast.AST)
# Fields of statements that hold nested statements.
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")
_SELF_NAMES = ("self", "cls")
_BINDERS = frozenset(
    {ast.Assign, ast.AnnAssign, ast.AugAssign, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith}
)
# What a walk for calls does not enter: nodes that hold none, and the values of fields
# that are no node (names, numbers, None).
_LEAVES = frozenset(
    {ast.Name, ast.Constant, ast.Load, ast.Store, ast.Del, str, int, bool, type(None)}
)
# The words that start a call resolved to a method of the caller's class.
_SELF_WORDS = ("self.", "cls.", "super().")
# A name or attribute chain called, as the text read backwards has it: its opening
# parenthesis, spaces, then the chain (reversed) in group 1.  The parenthesis leads, so
# a search looks for it, and nothing taken is given back.
_CALLED_BACKWARDS = re.compile(r"\([ \t]*+(\w++(?:\.\w++)*+)")
_NAME_STARTS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_")


def extract(
    path: str,
    text: str,
    tree: ast.Module,
    every: Sequence[ast.stmt],
    scopes: Sequence[str],
    definitions: Sequence[tuple[Definition, str]],
) -> tuple[Classes, CallFacts]:
    """The file's classes (with their bases), and its definitions and calls into its own
    package.

    ``every`` holds each statement of the file with its scope (``scopes``, the
    qualified name of the function or class it is in, "" at module level);
    ``definitions`` each function and class with its scope, outer ones first.
    """
    module = module_name(path)
    top = module.partition(".")[0]
    names = module_bindings(tree, module, package=path.endswith("__init__.py"))
    own = {k: v for k, v in names.items() if v is not None and _top(v) == top}
    reader = _Definitions(module, own)
    for definition, where in definitions:
        reader.add(definition, where)
    reader.made = _made(every, scopes, reader)
    calls: dict[tuple[str, str], int] = {}
    lines = _call_lines(text, {**own, **{name: "" for _, name in reader.made}})
    on_lines = set(lines)
    for stmt, scope in zip(every, scopes, strict=True) if lines else ():
        first = stmt.lineno
        # Most statements are on one line: a look-up settles them.
        if first not in on_lines and (stmt.end_lineno == first or not _own_lines_hold(stmt, lines)):
            continue
        for call in _calls_in(stmt):
            callee = reader.resolve(call.func, scope)
            if callee is not None and _top(callee) == top:
                key = (f"{module}.{scope}" if scope else module, callee)
                if key not in calls or call.lineno < calls[key]:
                    calls[key] = call.lineno
    classes = tuple(
        (name, line, tuple(reader.class_bases.get(name.removeprefix(module + "."), ())))
        for name, kind, line in reader.definitions
        if kind == "class"
    )
    return classes, CallFacts(
        definitions=tuple(reader.definitions),
        bases=tuple(reader.bases),
        calls=tuple((a, b, line) for (a, b), line in sorted(calls.items(), key=_by_line)),
        bindings=tuple(sorted((k, v) for k, v in own.items() if v != f"{module}.{k}")),
    )


def _by_line(item: tuple[tuple[str, str], int]) -> tuple[int, str, str]:
    (caller, callee), line = item
    return (line, caller, callee)


def _top(name: str) -> str:
    return name.partition(".")[0]


class _Definitions:
    """The file's functions, methods and classes, and how a callee resolves in each."""

    def __init__(self, module: str, names: dict[str, str]) -> None:
        self.module = module
        self.names = names
        self.definitions: list[tuple[str, str, int]] = []
        self.bases: list[tuple[str, str]] = []
        self.kinds: dict[str, str] = {}  # scope -> "class", "function", "method", "local"
        self.first_parameter: dict[str, str | None] = {}  # method -> ``self``/``cls``
        self.parameters: dict[str, frozenset[str]] = {}  # function -> its parameters
        self.class_bases: dict[str, list[str]] = {}
        # (function, local) -> what the call it is bound to calls (``x = Client()``)
        self.made: dict[tuple[str, str], str] = {}
        self._hidden: dict[str, tuple[frozenset[str], ...]] = {}  # ``_parameters``
        self._methods: dict[tuple[str, str | None], str | None] = {}  # ``_method``

    def add(self, node: Definition, scope: str) -> None:
        qualname = f"{scope}.{node.name}" if scope else node.name
        outer = self.kinds.get(scope, "") if scope else ""
        if outer in ("function", "method", "local"):
            self.kinds[qualname] = "local"  # nested in a function: may never run
        elif isinstance(node, ast.ClassDef):
            self.kinds[qualname] = "class"
        else:
            self.kinds[qualname] = "method" if outer == "class" else "function"
        kind = self.kinds[qualname]
        if isinstance(node, ast.ClassDef):
            if kind == "class":
                self.definitions.append((f"{self.module}.{qualname}", kind, node.lineno))
                written = [b.value if isinstance(b, ast.Subscript) else b for b in node.bases]
                resolved = [self._name(b, ()) for b in written]
                self.class_bases[qualname] = [b for b in resolved if b]
                for base in self.class_bases[qualname]:
                    self.bases.append((f"{self.module}.{qualname}", base))
            return
        arguments = node.args
        every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
        every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
        self.parameters[qualname] = frozenset(a.arg for a in every)
        if kind != "local":
            self.definitions.append((f"{self.module}.{qualname}", kind, node.lineno))
        if kind == "method":
            positional = [*arguments.posonlyargs, *arguments.args]
            static = any(_decorator(d) == "staticmethod" for d in node.decorator_list)
            first = positional[0].arg if positional and not static else None
            self.first_parameter[qualname] = first if first in _SELF_NAMES else None

    def resolve(self, func: ast.expr, scope: str) -> str | None:
        """The qualified name a call's callee stands for in ``scope``, when the code shows it."""
        node, attributes = attribute_chain(func)
        if isinstance(node, ast.Call):  # super().m()
            is_super = isinstance(node.func, ast.Name) and node.func.id == "super"
            method = self._method(scope, None)
            if not (is_super and len(attributes) == 1 and method and not node.args):
                return None
            bases = self.class_bases.get(method.rpartition(".")[0], [])
            return f"{bases[0]}.{attributes[0]}" if bases else None
        if not isinstance(node, ast.Name):
            return None
        if node.id in _SELF_NAMES:
            method = self._method(scope, node.id)
            if method is None or len(attributes) != 1:
                return None
            return f"{self.module}.{method.rpartition('.')[0]}.{attributes[0]}"
        made = self.made.get((scope, node.id))
        if made is not None:  # a local bound once, to what a call of ``made`` gives
            return f"{made}().{attributes[0]}" if len(attributes) == 1 else None
        target = self.names.get(node.id)  # most names are none of the module's
        if target is None or any(node.id in h for h in self._parameters(scope)):
            return None
        return ".".join([target, *attributes])

    def _name(self, node: ast.expr, hidden: tuple[frozenset[str], ...]) -> str | None:
        start, attributes = attribute_chain(node)
        if not isinstance(start, ast.Name) or any(start.id in h for h in hidden):
            return None
        target = self.names.get(start.id)
        if target is None:
            return None
        return ".".join([target, *attributes])

    def _parameters(self, scope: str) -> tuple[frozenset[str], ...]:
        """The parameters of every function around ``scope`` (they hide module names);
        gathered once per scope, as calls resolve after every definition is added."""
        hidden = self._hidden.get(scope)
        if hidden is None:
            found = []
            around = scope
            while around:
                if around in self.parameters:
                    found.append(self.parameters[around])
                around = around.rpartition(".")[0]
            hidden = self._hidden[scope] = tuple(found)
        return hidden

    def _method(self, scope: str, name: str | None) -> str | None:
        """The method whose instance (or class) ``name`` is in ``scope``: the innermost
        enclosing method, unless a function between names its own ``name``; found once
        per scope and name, as calls resolve after every definition is added."""
        key = (scope, name)
        if key not in self._methods:
            self._methods[key] = self._find_method(scope, name)
        return self._methods[key]

    def _find_method(self, scope: str, name: str | None) -> str | None:
        while scope:
            kind = self.kinds.get(scope)
            if kind == "method":
                first = self.first_parameter.get(scope)
                return scope if first is not None and name in (None, first) else None
            if kind == "class" or (name is not None and name in self.parameters.get(scope, ())):
                return None
            scope = scope.rpartition(".")[0]
        return None


def _made(
    every: Sequence[ast.stmt], scopes: Sequence[str], reader: _Definitions
) -> dict[tuple[str, str], str]:
    """Locals of functions bound once, by ``x = f(...)`` or ``with f(...) as x``, to the
    result of a call the module resolves: a method called on ``x`` is one of what ``f``
    makes (when ``f`` is a class: resolved per repository)."""
    bound: dict[tuple[str, str], int] = {}
    made: dict[tuple[str, str], str] = {}
    functions = ("function", "method")
    for stmt, scope in zip(every, scopes, strict=True):
        kind = type(stmt)
        if kind not in _BINDERS or reader.kinds.get(scope) not in functions:
            continue  # most statements bind nothing
        pairs: list[tuple[ast.expr, ast.expr | None]]
        if kind is ast.Assign:
            value = stmt.value if len(stmt.targets) == 1 else None  # type: ignore[attr-defined]
            pairs = [(t, value) for t in stmt.targets]  # type: ignore[attr-defined]
        elif kind is ast.With or kind is ast.AsyncWith:
            items = stmt.items  # type: ignore[attr-defined]
            pairs = [(i.optional_vars, i.context_expr) for i in items if i.optional_vars]
        else:
            pairs = [(stmt.target, None)]  # type: ignore[attr-defined]
        for target, value in pairs:
            for node in _names_in(target):
                key = (scope, node.id)
                bound[key] = bound.get(key, 0) + 1
                if type(value) is ast.Call and node is target:
                    callee = reader.resolve(value.func, scope)
                    if callee is not None:
                        made[key] = callee
    return {
        key: callee
        for key, callee in made.items()
        if bound[key] == 1 and key[1] not in reader.parameters.get(key[0], ())
    }


def _names_in(target: ast.expr) -> list[ast.Name]:
    """Every name in an assignment's target (as often as written): most targets are
    ``x`` or ``self.x``, which need no walk."""
    node = target
    while type(node) is ast.Attribute:
        node = node.value
    return [node] if type(node) is ast.Name else _nodes_in([target], ast.Name)


def _decorator(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    return node.attr if isinstance(node, ast.Attribute) else None


def _call_lines(text: str, names: dict[str, str]) -> list[int]:
    """The lines (sorted) that may hold a call this module resolves: those where a name
    or attribute chain is called whose first name is one of ``names`` (or ``self``/``cls``
    on a line holding one of the words such a call starts with), and those holding
    ``super().``.

    What ``([A-Za-z_]\\w*)(?:\\.\\w+)*[ \\t]*\\(`` finds over the text, its first
    name in group 1, found by reading the text backwards from each parenthesis (a
    search for the pattern tries it at every character, three times slower).
    """
    if "\r" in text:  # the parser ends lines at "\r" too
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found: list[int] = []
    last = len(text) - 1
    for match in _CALLED_BACKWARDS.finditer(text[::-1]):
        head, attribute = _first_name(match.group(1)[::-1])
        if head in names or (
            head in _SELF_NAMES
            and (attribute or _line_holds_word(text, last - match.start(), names))
        ):
            found.append(last - match.start())  # its parenthesis
    at = text.find("super().")
    while at != -1:
        found.append(at)
        at = text.find("super().", at + 1)
    lines: list[int] = []
    number, counted = 1, 0
    for at in sorted(found):
        number += text.count("\n", counted, at)
        counted = at
        if not lines or lines[-1] != number:
            lines.append(number)
    return lines


def _first_name(chain: str) -> tuple[str | None, bool]:
    """The first name of a called chain (``a.b.c``) as the forward pattern has it, and
    whether an attribute follows it: the chain's first word, or where a word first holds a
    letter or ``_`` (``real`` of ``1.real``); None when none does."""
    if chain[0] in _NAME_STARTS:  # nearly always
        dot = chain.find(".")
        return (chain, False) if dot == -1 else (chain[:dot], True)
    words = chain.split(".")
    for i, word in enumerate(words):
        for j, char in enumerate(word):
            if char in _NAME_STARTS:
                return word[j:], i < len(words) - 1
    return None, False


def _line_holds_word(text: str, at: int, names: dict[str, str]) -> bool:
    """Whether the line around ``at`` holds ``self.``, ``cls.``, ``super().`` or a name."""
    start = text.rfind("\n", 0, at) + 1
    end = text.find("\n", at)
    line = text[start:] if end == -1 else text[start:end]
    return any(word in line for word in (*_SELF_WORDS, *names))


def _own_lines_hold(stmt: ast.stmt, lines: list[int]) -> bool:
    """Whether one of these (sorted) lines is the statement's own (not its blocks')."""
    end = getattr(stmt, "end_lineno", None) or stmt.lineno
    body = getattr(stmt, "body", None)
    if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
        end = min(end, body[0].lineno - 1)  # a compound statement: its header
    at = bisect_left(lines, stmt.lineno)
    return at < len(lines) and lines[at] <= max(end, stmt.lineno)


def spans_one_of(stmt: ast.stmt, lines: list[int]) -> bool:
    """Whether one of these (sorted) lines is within the statement's."""
    end = getattr(stmt, "end_lineno", None) or stmt.lineno
    at = bisect_left(lines, stmt.lineno)
    return at < len(lines) and lines[at] <= end


def _calls_in(stmt: ast.stmt) -> list[ast.Call]:
    """The calls among a statement's own expressions (not its nested statements')."""
    return _nodes_in(list(_fields(type(stmt), _OWN_FIELDS, _BLOCKS)(stmt)), ast.Call)


def _nodes_in(todo: list[Any], kind: type[_Node]) -> list[_Node]:
    """The nodes of type ``kind`` in these nodes, found by a walk of their fields cheaper
    than ``ast.walk`` (names and constants are not entered, each node's fields are read
    at once); in no particular order."""
    found: list[_Node] = []
    while todo:
        node = todo.pop()
        node_kind = type(node)
        if node_kind is kind:
            found.append(node)
        if node_kind in _LEAVES:
            continue
        if node_kind is list:
            todo.extend(node)
            continue
        todo.extend(_fields(node_kind, _CHILD_FIELDS, ("ctx",))(node))
    return found


# Node type -> what reads the fields that may hold nodes: of a statement, those that are
# no block (``_OWN_FIELDS``); of any other node, all but its ``ctx`` (``_CHILD_FIELDS``).
_OWN_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}
_CHILD_FIELDS: dict[type, Callable[[Any], tuple[Any, ...]]] = {}


def _fields(
    kind: type, made: dict[type, Callable[[Any], tuple[Any, ...]]], skipped: tuple[str, ...]
) -> Callable[[Any], tuple[Any, ...]]:
    """The reader of a node type's fields (but ``skipped``), made once per type."""
    reader = made.get(kind)
    if reader is None:
        names = [name for name in getattr(kind, "_fields", ()) if name not in skipped]
        reader = attrgetter(*names) if len(names) > 1 else _one_field(names)
        made[kind] = reader
    return reader


def _one_field(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A reader of no field or of one, giving a tuple as ``attrgetter`` of several does."""
    if not names:
        return lambda node: ()
    name = names[0]
    return lambda node: (getattr(node, name),)


def own_expressions(stmt: ast.stmt) -> list[ast.AST]:
    """Every node of a statement except its nested statements (listed on their own)."""
    found: list[ast.AST] = []
    for name, value in ast.iter_fields(stmt):
        if name in _BLOCKS:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, ast.AST):
                found.extend(ast.walk(item))
    return found
