"""Facts of a Python file, read from its syntax tree (``ast``): nothing is imported or run.

Imports, environment reads (``os.environ[...]``, ``os.environ.get``, ``os.getenv``,
``"X" in os.environ``, ``os.getenv("X") or "d"``), HTTP routes (aiohttp,
FastAPI, Flask, Starlette, Django URLconfs), ``if __name__ == "__main__":``
guards and ``setup.py`` console scripts.  Every fact carries the line where
its name is written.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from docsgen.generator.analysis.facts import python_calls
from docsgen.generator.analysis.facts.found import Facts
from docsgen.generator.analysis.facts.python_calls import own_expressions, spans_one_of
from docsgen.generator.analysis.file_analysis import EnvRead, Import, Route
from docsgen.generator.markdown import escape

HTTP_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_AIOHTTP_ADD = {f"add_{m}": m.upper() for m in HTTP_METHODS}
_FRAMEWORKS = (  # top-level module imported -> framework label, first match wins
    ("fastapi", "FastAPI"), ("flask", "Flask"), ("quart", "Quart"), ("aiohttp", "aiohttp"),
    ("sanic", "Sanic"), ("starlette", "Starlette"), ("django", "Django"),
)  # fmt: skip
_ROUTER_MAKERS = {
    "FastAPI": "FastAPI", "APIRouter": "FastAPI", "Flask": "Flask", "Blueprint": "Flask",
    "Quart": "Quart", "Sanic": "Sanic", "RouteTableDef": "aiohttp", "Starlette": "Starlette",
}  # fmt: skip
# Modules whose names, imported, are looked for in the code.
_NAMING_MODULES = frozenset(
    {"os", "aiohttp", "django.urls", "django.conf.urls", "starlette.routing", "fastapi.routing"}
)
_PREFIX_KEYWORDS = {"APIRouter": "prefix", "Blueprint": "url_prefix"}  # all _ROUTER_MAKERS
_MAX_TEXT = 80
# Words of the lines that may hold an environment read or a route call, whatever the imports.
_HINT_WORDS = (
    r"environ|getenv|console_scripts|"
    r"add_(?:get|post|put|patch|delete|head|options|route|view|api_route|url_rule)\b"
)
_HINT_LITERALS = ("environ", "getenv", "console_scripts", "add_")  # one is in each of those
# Where ``str.splitlines`` ends a line besides "\n": in ASCII, and beyond.
_ASCII_LINE_BREAKS = ("\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e")
_OTHER_LINE_BREAKS = (*_ASCII_LINE_BREAKS, "\x85", "\u2028", "\u2029")
# Fields of statements that hold nested statements.
_BLOCKS = ("body", "orelse", "finalbody", "handlers", "cases")


def parse(text: str, path: str) -> tuple[ast.Module | None, str | None]:
    """The tree, or None and the reason it could not be built."""
    try:
        return ast.parse(text, filename=path), None
    except SyntaxError as e:
        return None, f"syntax error at line {e.lineno}: {e.msg}"
    except (RecursionError, MemoryError):
        return None, "nested too deeply for the parser"
    except ValueError as e:  # e.g. NUL bytes
        return None, str(e)


def extract(path: str, text: str, tree: ast.Module | None = None) -> Facts:
    facts = Facts()
    if tree is None:
        tree, problem = parse(text, path)
        if tree is None:
            facts.warnings.append(
                f"Imports, environment reads and routes not read: {escape(str(problem))}."
            )
            return facts
    _Reader(path, text, facts).read(tree)
    return facts


class _Reader:
    def __init__(self, path: str, text: str, facts: Facts) -> None:
        self.path = path
        self.text = text
        self.facts = facts
        self.os_names: set[str] = set()
        self.environ_names: set[str] = set()
        self.getenv_names: set[str] = set()
        self.web_names: set[str] = set()  # aiohttp.web
        self.django_funcs: set[str] = set()  # path, re_path, url
        self.starlette_routes: dict[str, str] = {}  # local name -> "Route"/"WebSocketRoute"
        self.framework = ""
        self.prefixes: dict[str, str] = {}  # router variable -> its ``prefix=``/``url_prefix=``
        self.receivers: dict[str, str] = {}  # router variable -> its framework
        self.or_defaults: dict[int, ast.expr] = {}

    @cached_property
    def lines(self) -> list[str]:
        """The text's lines, split only for the few files that may hold a hint."""
        return self.text.splitlines()

    # -- traversal ---------------------------------------------------------------

    def read(self, tree: ast.Module) -> None:
        statements = _Statements.of(tree)
        for node, guard in statements.imports:
            self._import(node, guard)
        for assignment in statements.assignments:
            self._router(assignment)
        self.framework = self._framework()
        for definition, scope in statements.decorated:
            self._decorators(definition, scope)
        for stmt in tree.body:
            if isinstance(stmt, ast.If) and _is_main_guard(stmt.test):
                self.facts.entry_points.append(("__main__", self.path, stmt.lineno))
        self.facts.classes, self.facts.call_graph = python_calls.extract(
            self.path, self.text, tree, statements.every, statements.scopes, statements.definitions
        )
        hint_lines = self._hint_lines()
        if not hint_lines:
            return  # no environment read or route call can be in this file
        # Only the expressions of statements on those lines: walking every node of
        # every file would cost as much as parsing it.
        nodes: list[ast.AST] = []
        for stmt in statements.every:
            if spans_one_of(stmt, hint_lines):
                nodes.extend(own_expressions(stmt))
        for each in nodes:
            if isinstance(each, ast.BoolOp) and isinstance(each.op, ast.Or):
                self.or_defaults[id(each.values[0])] = each.values[1]
        for each in nodes:
            if isinstance(each, ast.Call):
                self._call(each)
            elif isinstance(each, ast.Subscript):
                self._subscript(each)
            elif isinstance(each, ast.Compare):
                self._compare(each)

    def _hint_lines(self) -> list[int]:
        """Lines that may hold an environment read or a route call, by their words.

        Every hint holds one of a few words as written, and most files hold
        none: finding those words settles them, and of the others only the
        lines holding one are searched.
        """
        named = (  # local names, and what follows them in a hint
            (self.environ_names | self.getenv_names, r"\b"),  # ``from os import getenv as g``
            (self.web_names, r"\s*\."),
            (self.django_funcs, r"\s*\("),
            (set(self.starlette_routes), r"\s*\("),
        )
        text = self.text
        literals = [*_HINT_LITERALS, *(name for names, _ in named for name in names)]
        candidates = _lines_holding(text, literals)
        if not candidates:
            return []
        words = [_HINT_WORDS]
        for names, after in named:
            if names:
                words.append(r"\b(?:" + "|".join(map(re.escape, sorted(names))) + ")" + after)
        pattern = re.compile("|".join(words))
        if not _lines_end_at_newlines(text):
            candidates = list(enumerate(self.lines, start=1))
        return [number for number, line in candidates if pattern.search(line)]

    # -- imports -----------------------------------------------------------------

    def _import(self, node: ast.Import | ast.ImportFrom, guard: str) -> None:
        """``guard``: where the import sits when it is no module-level run-time import
        (``_Statements``): "typing", "main" or "local"; "" when it is one."""
        if isinstance(node, ast.Import):
            for alias in node.names:
                kind = guard or "import"
                self.facts.imports.append(Import(alias.name, node.lineno, kind=kind))
                local = alias.asname or alias.name
                if alias.name == "os":
                    self.os_names.add(local)
                elif alias.name == "aiohttp.web" and alias.asname:
                    self.web_names.add(alias.asname)
            return
        module = node.module or ""
        names = tuple([a.name for a in node.names])
        kind = guard or "from"
        self.facts.imports.append(Import(module, node.lineno, names, node.level, kind=kind))
        if node.level or module not in _NAMING_MODULES:
            return
        for alias in node.names:
            local = alias.asname or alias.name
            if module == "os" and alias.name == "environ":
                self.environ_names.add(local)
            elif module == "os" and alias.name == "getenv":
                self.getenv_names.add(local)
            elif module == "aiohttp" and alias.name == "web":
                self.web_names.add(local)
            elif module in ("django.urls", "django.conf.urls") and alias.name in (
                "path", "re_path", "url",
            ):  # fmt: skip
                self.django_funcs.add(local)
            elif module in ("starlette.routing", "fastapi.routing") and alias.name in (
                "Route", "WebSocketRoute",
            ):  # fmt: skip
                self.starlette_routes[local] = alias.name

    def _router(self, node: ast.Assign) -> None:
        """``api = FastAPI()``, ``router = APIRouter(prefix="/p")``, ``bp = Blueprint(...)``."""
        if len(node.targets) != 1 or not isinstance(node.targets[0], ast.Name):
            return
        call = node.value
        if not isinstance(call, ast.Call):
            return
        func = call.func
        maker = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if maker not in _ROUTER_MAKERS:
            return  # most assignments: nothing a router is made by
        target = node.targets[0].id
        self.receivers[target] = _ROUTER_MAKERS[maker]
        keyword = _PREFIX_KEYWORDS.get(maker)
        prefix = _str(_arg(call, -1, keyword)) if keyword else None
        if prefix:
            self.prefixes[target] = prefix

    def _framework(self) -> str:
        tops = {i.module.split(".")[0] for i in self.facts.imports if i.level == 0}
        for module, label in _FRAMEWORKS:
            if module in tops:
                return label
        return ""

    # -- environment -------------------------------------------------------------

    def _is_environ(self, node: ast.expr) -> bool:
        return self._is_os(node, "environ", self.environ_names)

    def _is_getenv(self, func: ast.expr) -> bool:
        return self._is_os(func, "getenv", self.getenv_names)

    def _is_os(self, node: ast.expr, attr: str, imported: set[str]) -> bool:
        """``node`` is ``os.<attr>``, or a name ``imported`` from ``os`` as it."""
        if isinstance(node, ast.Name):
            return node.id in imported
        return (
            isinstance(node, ast.Attribute)
            and node.attr == attr
            and isinstance(node.value, ast.Name)
            and node.value.id in self.os_names
        )

    def _env(
        self, owner: ast.expr, key: ast.expr | None, how: str, default: ast.expr | None
    ) -> None:
        if default is None:
            default = self.or_defaults.get(id(owner))
        default_text = self._text(default) if default is not None else None
        literal = default is None or _is_literal(default)
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            self.facts.env_reads.append(
                EnvRead(key.value, key.lineno, default_text, how, False, literal)
            )
        elif key is not None:
            self.facts.env_reads.append(
                EnvRead(self._text(key), key.lineno, default_text, how, True, literal)
            )

    def _subscript(self, node: ast.Subscript) -> None:
        if isinstance(node.ctx, ast.Load) and self._is_environ(node.value):
            self._env(node, node.slice, "os.environ[...]", None)

    def _compare(self, node: ast.Compare) -> None:
        if (
            len(node.ops) == 1
            and isinstance(node.ops[0], ast.In | ast.NotIn)
            and self._is_environ(node.comparators[0])
            and isinstance(node.left, ast.Constant)
            and isinstance(node.left.value, str)
        ):
            self._env(node, node.left, "in os.environ", None)

    # -- calls: environment reads, route tables, Django URLconfs, setup() ---------

    def _call(self, node: ast.Call) -> None:
        func = node.func
        if self._is_getenv(func):
            self._env(node, _arg(node, 0, "key"), "os.getenv", _arg(node, 1, "default"))
            return
        if isinstance(func, ast.Attribute):
            if func.attr in ("get", "setdefault") and self._is_environ(func.value):
                how = f"os.environ.{func.attr}"
                self._env(node, _arg(node, 0, "key"), how, _arg(node, 1, "default"))
            elif func.attr in _AIOHTTP_ADD:
                self._route(_AIOHTTP_ADD[func.attr], node, 0, 1, "aiohttp")
            elif func.attr == "add_route" and len(node.args) >= 3:
                self._route(_str(node.args[0]), node, 1, 2, "aiohttp")
            elif func.attr == "add_view":
                self._route("*", node, 0, 1, "aiohttp")
            elif func.attr == "add_api_route":
                for method in self._methods(node, ("GET",)):
                    self._route(method, node, 0, 1, "FastAPI", handler_kw="endpoint")
            elif func.attr == "add_url_rule":
                view = 2 if len(node.args) > 2 else 1
                for method in self._methods(node, ("GET",)):
                    self._route(method, node, 0, view, "Flask", handler_kw="view_func")
            elif isinstance(func.value, ast.Name) and func.value.id in self.web_names:
                if func.attr in HTTP_METHODS:
                    self._route(func.attr.upper(), node, 0, 1, "aiohttp")
                elif func.attr == "view":
                    self._route("*", node, 0, 1, "aiohttp")
                elif func.attr == "route" and len(node.args) >= 3:
                    self._route(_str(node.args[0]), node, 1, 2, "aiohttp")
        elif isinstance(func, ast.Name):
            if func.id in self.django_funcs and len(node.args) >= 2:
                self._route("ANY", node, 0, 1, "Django")
            elif func.id in self.starlette_routes:
                if self.starlette_routes[func.id] == "WebSocketRoute":
                    self._route("WEBSOCKET", node, 0, 1, "Starlette", handler_kw="endpoint")
                else:
                    for method in self._methods(node, ("GET",)):
                        self._route(method, node, 0, 1, "Starlette", handler_kw="endpoint")
            elif func.id == "setup":
                self._console_scripts(node)

    def _methods(self, node: ast.Call, default: tuple[str, ...]) -> tuple[str, ...]:
        value = _arg(node, -1, "methods")
        if isinstance(value, ast.List | ast.Tuple | ast.Set):
            found = tuple(sorted({m.upper() for e in value.elts if (m := _str(e))}))
            return found or default
        return default

    def _route(
        self,
        method: str | None,
        node: ast.Call,
        path_at: int,
        handler_at: int,
        framework: str,
        handler_kw: str = "handler",
    ) -> None:
        path_node = _arg(node, path_at, "path")
        if path_node is None:
            path_node = _arg(node, -1, "rule")
        path = _str(path_node)
        handler = _arg(node, handler_at, handler_kw)
        if method is None or path is None or path_node is None or handler is None:
            return
        if framework != "Django" and not path.startswith("/"):
            return
        self.facts.routes.append(
            Route(method.upper(), path, self._text(handler), path_node.lineno, framework)
        )

    def _decorators(
        self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef, scope: str
    ) -> None:
        handler = f"{scope}.{node.name}" if scope else node.name
        for dec in node.decorator_list:
            if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute)):
                continue
            attr = dec.func.attr
            methods: tuple[str, ...] = ()
            path_node = _arg(dec, 0, "path")
            if attr in HTTP_METHODS:
                methods = (attr.upper(),)
            elif attr == "websocket":
                methods = ("WEBSOCKET",)
            elif attr == "view":
                methods = ("*",)
            elif attr == "route" and len(dec.args) >= 2 and _str(dec.args[0]) is not None:
                # aiohttp's ``@routes.route("GET", "/x")``: method first.
                methods, path_node = (_str(dec.args[0]) or "",), dec.args[1]
            elif attr in ("route", "api_route"):
                methods = self._methods(dec, ("GET",))
                if path_node is None:
                    path_node = _arg(dec, -1, "rule")
            path = _str(path_node)
            if not methods or path is None or path_node is None:
                continue
            receiver = dec.func.value
            prefix = self.prefixes.get(receiver.id, "") if isinstance(receiver, ast.Name) else ""
            if not (path.startswith("/") or (path == "" and (prefix or self.framework))):
                continue
            framework = self.framework if self.framework != "Django" else ""
            if isinstance(receiver, ast.Name):
                framework = self.receivers.get(receiver.id, framework)
            for method in methods:
                self.facts.routes.append(
                    Route(method.upper(), path, handler, path_node.lineno, framework, prefix)
                )

    def _console_scripts(self, node: ast.Call) -> None:
        entry = _arg(node, -1, "entry_points")
        if not isinstance(entry, ast.Dict):
            return
        for key, value in zip(entry.keys, entry.values, strict=True):
            if _str(key) != "console_scripts" or not isinstance(value, ast.List | ast.Tuple):
                continue
            for item in value.elts:
                spec = _str(item)
                if spec and "=" in spec:
                    name, target = (s.strip() for s in spec.split("=", 1))
                    self.facts.entry_points.append((name, target, item.lineno))

    # -- source text ---------------------------------------------------------------

    def _text(self, node: ast.expr) -> str:
        """The expression as written (first line, shortened)."""
        try:
            line = self.lines[node.lineno - 1].encode()
        except IndexError:
            return "…"
        end = node.end_col_offset if node.end_lineno == node.lineno else None
        text = line[node.col_offset : end].decode(errors="replace").strip()
        if node.end_lineno != node.lineno:
            text += " …"
        return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 1] + "…"


def _arg(node: ast.Call, index: int, keyword: str) -> ast.expr | None:
    """A call's argument by position (``-1``: keyword only) or keyword."""
    if 0 <= index < len(node.args) and not isinstance(node.args[index], ast.Starred):
        return node.args[index]
    for kw in node.keywords:
        if kw.arg == keyword:
            return kw.value
    return None


def _str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _is_literal(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant):
        return True
    return (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub | ast.UAdd)
        and isinstance(node.operand, ast.Constant)
    )


def _is_main_guard(test: ast.expr) -> bool:
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1):
        return False
    if not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, test.comparators[0]]
    return any(isinstance(s, ast.Name) and s.id == "__name__" for s in sides) and any(
        _str(s) == "__main__" for s in sides
    )


Definition = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef


@dataclass
class _Statements:
    """What the facts need from a file's statements, gathered in one walk over them all.

    Statements only: imports, definitions and assignments are statements, and
    skipping the (far more numerous) expression nodes is what keeps this cheap.
    """

    # Each import, and where it sits when that is no module-level run-time import: under
    # ``if TYPE_CHECKING:`` ("typing"), under ``if __name__ == "__main__":`` ("main"),
    # in a function ("local"); "" when it is one.  The outermost guard names it.
    imports: list[tuple[ast.Import | ast.ImportFrom, str]] = field(default_factory=list)
    # Assignments of a call (the way routers are made), in the order routers are
    # read, the last assignment of a name winning: a statement's blocks are read
    # last to first (``else:`` before ``if``'s body).
    assignments: list[ast.Assign] = field(default_factory=list)
    # Decorated definitions, with the qualified name of their scope.
    decorated: list[tuple[Definition, str]] = field(default_factory=list)
    every: list[ast.stmt] = field(default_factory=list)
    scopes: list[str] = field(default_factory=list)  # each of ``every``'s scope, in order
    # Every definition, with the qualified name of its scope, each before those inside it.
    definitions: list[tuple[Definition, str]] = field(default_factory=list)

    @classmethod
    def of(cls, tree: ast.Module) -> _Statements:
        found = cls()
        found.read(tree.body, "", "")
        return found

    def read(self, block: list[ast.stmt], scope: str, guard: str) -> None:
        """Statements of a block and of the blocks nested in them.

        Recursive: the parser refuses more than 100 levels of indentation, so a
        statement's nesting stays far below the recursion limit.
        """
        for node in block:
            self.every.append(node)
            self.scopes.append(scope)
            reader = _STATEMENT_READERS.get(type(node))
            if reader is not None:  # most statements are none of these
                reader(self, node, scope, guard)

    def import_(self, node: ast.Import | ast.ImportFrom, scope: str, guard: str) -> None:
        self.imports.append((node, guard))

    def assignment(self, node: ast.Assign, scope: str, guard: str) -> None:
        if isinstance(node.value, ast.Call):
            self.assignments.append(node)

    def definition(self, node: Definition, scope: str, guard: str) -> None:
        if node.decorator_list:
            self.decorated.append((node, scope))
        self.definitions.append((node, scope))
        inner = guard if isinstance(node, ast.ClassDef) else guard or "local"
        self.read(node.body, f"{scope}.{node.name}" if scope else node.name, inner)

    def if_(self, node: ast.If, scope: str, guard: str) -> None:
        self.read(node.orelse, scope, guard)
        self.read(node.body, scope, guard or _guard_of(node.test))

    def loop(self, node: ast.For | ast.AsyncFor | ast.While, scope: str, guard: str) -> None:
        self.read(node.orelse, scope, guard)
        self.read(node.body, scope, guard)

    def with_(self, node: ast.With | ast.AsyncWith, scope: str, guard: str) -> None:
        self.read(node.body, scope, guard)

    def try_(self, node: ast.Try | ast.TryStar, scope: str, guard: str) -> None:
        for handler in node.handlers:
            self.read(handler.body, scope, guard)
        self.read(node.finalbody, scope, guard)
        self.read(node.orelse, scope, guard)
        self.read(node.body, scope, guard)

    def match(self, node: ast.Match, scope: str, guard: str) -> None:
        for case in node.cases:
            self.read(case.body, scope, guard)


# Statement type -> how ``_Statements`` reads it; any other statement is only listed.
_STATEMENT_READERS: dict[type, Callable[[_Statements, Any, str, str], None]] = {
    ast.Import: _Statements.import_,
    ast.ImportFrom: _Statements.import_,
    ast.Assign: _Statements.assignment,
    ast.FunctionDef: _Statements.definition,
    ast.AsyncFunctionDef: _Statements.definition,
    ast.ClassDef: _Statements.definition,
    ast.If: _Statements.if_,
    ast.For: _Statements.loop,
    ast.AsyncFor: _Statements.loop,
    ast.While: _Statements.loop,
    ast.With: _Statements.with_,
    ast.AsyncWith: _Statements.with_,
    ast.Try: _Statements.try_,
    ast.TryStar: _Statements.try_,
    ast.Match: _Statements.match,
}


def _lines_end_at_newlines(text: str) -> bool:
    """Whether "\n" is all that ends lines in ``text``, for ``str.splitlines`` too."""
    breaks = _ASCII_LINE_BREAKS if text.isascii() else _OTHER_LINE_BREAKS
    return not any(other in text for other in breaks)


def _lines_holding(text: str, words: list[str]) -> list[tuple[int, str]]:
    """The lines holding one of these words (none holds a line break), numbered, in order.

    Lines are taken to end at "\n" only; looking each word up in the whole text
    is far cheaper than looking at every line.
    """
    starts: set[int] = set()
    for word in words:
        at = text.find(word)
        while at != -1:
            start = text.rfind("\n", 0, at) + 1
            starts.add(start)
            end = text.find("\n", at)
            at = -1 if end == -1 else text.find(word, end)
    found: list[tuple[int, str]] = []
    number, counted = 1, 0
    for start in sorted(starts):
        number += text.count("\n", counted, start)
        counted = start
        end = text.find("\n", start)
        found.append((number, text[start:] if end == -1 else text[start:end]))
    return found


def _guard_of(test: ast.expr) -> str:
    """What an ``if`` guards its body with: "typing", "main" or nothing ("")."""
    if _is_type_checking(test):
        return "typing"
    return "main" if _is_main_guard(test) else ""


def _is_type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``: a block run by type checkers only."""
    name = test.id if isinstance(test, ast.Name) else getattr(test, "attr", None)
    return name == "TYPE_CHECKING"
