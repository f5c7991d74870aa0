"""Facts of a Go file, matched on its masked text (see ``lexer``).

Imports, environment reads (``os.Getenv``, ``os.LookupEnv``), configuration
keys (``flag.String("port", "8080", ...)``, ``viper.GetString("key")`` with
``viper.SetDefault``), routes (net/http ``HandleFunc`` with Go 1.22 method
patterns, gorilla/mux ``.Methods``, gin/echo ``r.GET``, chi/fiber ``r.Get``)
and ``func main`` of a ``main`` package.
"""

from __future__ import annotations

import re

from docsgen.generator.analysis.facts import go_calls
from docsgen.generator.analysis.facts.found import Facts, env_read, mains, read
from docsgen.generator.analysis.facts.lexer import Masked, call_arguments, mask
from docsgen.generator.analysis.file_analysis import EnvRead, Import, Route

_Q = r"(?P<q>[\"`])(?P<s>[^\"`\n]*)(?P=q)"
_IMPORT_BLOCK = re.compile(r"(?m)^[ \t]*import\s*\((?P<body>[^)]*)\)")
_IMPORT_SPEC = re.compile(r"(?:(?P<alias>[\w.]+)\s+)?" + _Q)
_IMPORT_ONE = re.compile(r"(?m)^[ \t]*import[ \t]+(?:(?P<alias>[\w.]+)\s+)?" + _Q)
_ENV = re.compile(
    r"(?<![\w.])os\.(?P<fn>Getenv|LookupEnv)\(\s*(?:" + _Q + r"|(?P<expr>[^)\n]+?))\s*\)"
)
_FLAG = re.compile(
    r"(?<![\w.])flag\.(?P<fn>String|Int|Int64|Uint|Uint64|Bool|Float64|Duration)\(\s*"
    + _Q
    + r"\s*,\s*(?P<d>[^,\n]+?)\s*,"
)
_VIPER_GET = re.compile(r"(?<![\w.])viper\.(?P<fn>Get\w*)\(\s*" + _Q + r"\s*\)")
_VIPER_DEFAULT = re.compile(r"(?<![\w.])viper\.SetDefault\(\s*" + _Q + r"\s*,\s*(?P<d>[^\n]+?)\)")
_HANDLE = re.compile(r"(?<![\w])(?P<recv>[A-Za-z_][\w.]*)\.(?P<fn>HandleFunc|Handle)\(\s*" + _Q)
_METHODS_CALL = re.compile(r"\s*\.\s*Methods\(\s*(?P<args>[^)]*)\)")
_UPPER = re.compile(
    r"(?<![\w.])(?P<recv>[A-Za-z_]\w*)\.(?P<method>GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD|Any)\(\s*"
    + _Q
)
_TITLE = re.compile(
    r"(?<![\w.])(?P<recv>[A-Za-z_]\w*)\.(?P<method>Get|Post|Put|Patch|Delete|Options|Head|All)"
    r"\(\s*" + _Q
)
_PATTERN = re.compile(r"^(?P<method>[A-Z]+)\s+(?P<path>/.*)$")
_PACKAGE_MAIN = re.compile(r"(?m)^[ \t]*package[ \t]+main\b")
_FUNC_MAIN = re.compile(r"(?m)^func[ \t]+(?P<name>main)[ \t]*\([ \t]*\)")
_FRAMEWORKS = (
    ("github.com/gin-gonic/gin", "gin"), ("github.com/labstack/echo", "Echo"),
    ("github.com/go-chi/chi", "chi"), ("github.com/gorilla/mux", "gorilla/mux"),
    ("github.com/gofiber/fiber", "Fiber"), ("net/http", "net/http"),
)  # fmt: skip


def extract(path: str, text: str) -> Facts:
    m = mask(text, "go")
    main = mains(m, _FUNC_MAIN, path) if _PACKAGE_MAIN.search(m.code) else []
    facts = read(m, _imports, _config, _routes, entry_points=main)
    facts.call_graph = go_calls.extract(path, m)
    return facts


def _imports(m: Masked, facts: Facts) -> None:
    for block in _IMPORT_BLOCK.finditer(m.code):
        start = block.start("body")
        for spec in _IMPORT_SPEC.finditer(block["body"]):
            s0, s1 = start + spec.start("s"), start + spec.end("s")
            alias = (spec["alias"],) if spec["alias"] else ()
            facts.imports.append(Import(m.literal(s0, s1), m.line(s0), alias))
    for one in _IMPORT_ONE.finditer(m.code):
        alias = (one["alias"],) if one["alias"] else ()
        module = m.literal(one.start("s"), one.end("s"))
        facts.imports.append(Import(module, m.line(one.start("s")), alias))


def _config(m: Masked, facts: Facts) -> None:
    for found in _ENV.finditer(m.code):
        facts.env_reads.append(env_read(m, found, f"os.{found['fn']}"))
    for found in _FLAG.finditer(m.code):
        default = m.text[found.start("d") : found.end("d")].strip()
        literal = bool(re.fullmatch(r"\".*\"|`.*`|-?[\d.]+\w*|true|false", default))
        name = m.literal(found.start("s"), found.end("s"))
        how = f"flag.{found['fn']}"
        facts.env_reads.append(
            EnvRead(name, m.line(found.start("s")), default, how, False, literal)
        )
    defaults: dict[str, str] = {}
    for found in _VIPER_DEFAULT.finditer(m.code):
        defaults[m.literal(found.start("s"), found.end("s"))] = m.text[
            found.start("d") : found.end("d")
        ].strip()
    for found in _VIPER_GET.finditer(m.code):
        name = m.literal(found.start("s"), found.end("s"))
        viper_default = defaults.get(name)
        literal = viper_default is None or bool(
            re.fullmatch(r"\".*\"|-?[\d.]+|true|false", viper_default)
        )
        how = f"viper.{found['fn']}"
        facts.env_reads.append(
            EnvRead(name, m.line(found.start("s")), viper_default, how, False, literal)
        )


def _routes(m: Masked, facts: Facts) -> None:
    imported = {i.module for i in facts.imports}
    framework = next(
        (label for mod, label in _FRAMEWORKS if any(i.startswith(mod) for i in imported)), ""
    )
    if not framework:
        return
    for found in _HANDLE.finditer(m.code):
        args = call_arguments(m.code, found.end())
        if not args:
            continue
        raw = m.literal(found.start("s"), found.end("s"))
        methods = ["ANY"]
        path = raw
        pattern = _PATTERN.match(raw)
        if pattern:
            methods, path = [pattern["method"]], pattern["path"]
        close = args[-1][1] + 1
        chained = _METHODS_CALL.match(m.code, close)
        if chained:
            start = chained.start("args")
            listed = [
                m.literal(start + s.start(1), start + s.end(1))
                for s in re.finditer(r"\"([^\"\n]*)\"", chained["args"])
            ]
            methods = sorted(x.upper() for x in listed) or methods
        if path.startswith("/"):
            handler = _handler(m, args[-1])
            for method in methods:
                facts.routes.append(
                    Route(method, path, handler, m.line(found.start("s")), framework)
                )
    for verbs in (_UPPER, _TITLE):
        for found in verbs.finditer(m.code):
            args = call_arguments(m.code, found.end())
            path = m.literal(found.start("s"), found.end("s"))
            if not args or not path.startswith("/"):
                continue
            method = found["method"].upper()
            method = "ANY" if method in ("ANY", "ALL") else method
            facts.routes.append(
                Route(method, path, _handler(m, args[-1]), m.line(found.start("s")), framework)
            )


def _handler(m: Masked, span: tuple[int, int]) -> str:
    raw = m.text[span[0] : span[1]].strip()
    if re.fullmatch(r"[A-Za-z_][\w.]*", raw):
        return raw
    wrapped = re.fullmatch(r"[\w.]+\(\s*([A-Za-z_][\w.]*)\s*\)", raw)
    if wrapped:  # http.HandlerFunc(h)
        return wrapped.group(1)
    return "(inline function)"
