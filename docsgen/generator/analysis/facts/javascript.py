"""Facts of a JavaScript or TypeScript file, matched on its masked text (see ``lexer``).

Imports (``import``, ``export ... from``, ``require``, ``import()``), environment
reads (``process.env.X``, ``process.env["X"]``, destructuring from
``process.env``, ``import.meta.env.X``, ``Deno.env.get``) with the literal
after ``||``/``??`` as default, and routes declared Express-style
(``app.get('/x', handler)``, ``router.route('/x').post(h)``), which Express,
Koa's router, Fastify and Hono share.
"""

from __future__ import annotations

import re

from docsgen.generator.analysis.facts import javascript_calls
from docsgen.generator.analysis.facts.found import Facts, env_read, read
from docsgen.generator.analysis.facts.lexer import Masked, call_arguments, leading, mask
from docsgen.generator.analysis.file_analysis import EnvRead, Import, Route

_Q = r"(?P<q>[\"'])(?P<s>[^\"'\n]*)(?P=q)"  # a masked string literal: content is filler
_IMPORT_FROM = re.compile(
    leading("import") + r"\s+(?:type\s+)?(?P<clause>[\w$*{},\s]+?)\s*from\s*" + _Q
)
_IMPORT_BARE = re.compile(leading("import") + r"\s*" + _Q)
_EXPORT_FROM = re.compile(
    leading("export") + r"\s+(?:type\s+)?(?P<clause>\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*" + _Q
)
_REQUIRE = re.compile(leading("require") + r"\s*\(\s*" + _Q + r"\s*\)")
_DYNAMIC = re.compile(leading("import") + r"\s*\(\s*" + _Q + r"\s*\)")

_ENV = leading("process.env", "import.meta.env", not_after=r"[\w$]")
_ENV_DOT = re.compile(r"(?P<how>" + _ENV + r")\.(?P<name>[A-Za-z_$][\w$]*)")
_ENV_INDEX = re.compile(r"(?P<how>" + _ENV + r")\s*\[\s*(?:" + _Q + r"|(?P<expr>[^\]\n]+?))\s*\]")
_DENO = re.compile(
    leading("Deno.env.get", not_after=r"[\w$]") + r"\s*\(\s*(?:" + _Q + r"|(?P<expr>[^)\n]+?))\s*\)"
)
_DESTRUCTURE = re.compile(
    leading("const", "let", "var", not_after=r"[\w$]")
    + r"\s*\{(?P<body>[^{}]*)\}\s*=\s*(?P<how>process\.env|import\.meta\.env)(?![\w$.\[])"
)
_DEFAULT = re.compile(
    r"\s*(?:\|\||\?\?)\s*(?P<lit>[\"'][^\"'\n]*[\"']|`x*`|-?\d[\w.]*|true|false|null|undefined)"
    r"|\s*(?:\|\||\?\?)\s*(?P<expr>[A-Za-z_$][\w$.]*)"
)

_ROUTER_MAKERS = re.compile(
    leading("const", "let", "var") + r"\s+(?P<name>[A-Za-z_$][\w$]*)\s*(?::\s*[\w$.<>]+\s*)?=\s*"
    r"(?:await\s+)?(?:new\s+)?(?:express(?:\.Router)?|Router|fastify|Fastify|Hono|KoaRouter)\s*\("
)
_FRAMEWORKS = (
    ("express", "Express"), ("fastify", "Fastify"), ("@koa/router", "Koa"),
    ("koa-router", "Koa"), ("hono", "Hono"),
)  # fmt: skip
_METHODS = "get|post|put|patch|delete|del|options|head|all"
_CALL_ROUTE = r"(?P<recv>{recv})\s*\.\s*(?P<method>" + _METHODS + r")\s*\(\s*" + _Q
_ROUTE_CHAIN = r"(?P<recv>{recv})\s*\.\s*route\s*\(\s*" + _Q + r"\s*\)"
_CHAIN_LINK = re.compile(r"\s*\.\s*(?P<method>" + _METHODS + r")\s*\(")
_HANDLER_NAME = re.compile(r"^[A-Za-z_$][\w$]*(?:\s*\.\s*[A-Za-z_$][\w$]*)*$")
_NAMED_FUNCTION = re.compile(r"^(?:async\s+)?function\s*\*?\s*([A-Za-z_$][\w$]*)")


def extract(path: str, text: str) -> Facts:
    masked = mask(text, "js")
    facts = read(masked, _imports, _env, _routes)
    facts.call_graph = javascript_calls.extract(path, masked)
    return facts


def _imports(m: Masked, facts: Facts) -> None:
    for pattern, kind in (
        (_IMPORT_FROM, "import"), (_IMPORT_BARE, "import"), (_EXPORT_FROM, "export"),
        (_REQUIRE, "require"), (_DYNAMIC, "dynamic"),
    ):  # fmt: skip
        for found in pattern.finditer(m.code):
            clause = found.groupdict().get("clause") or ""
            module = m.literal(found.start("s"), found.end("s"))
            line = m.line(found.start("s"))
            facts.imports.append(Import(module, line, _names(clause), kind=kind))


def _names(clause: str) -> tuple[str, ...]:
    """Imported names: ``*`` for a namespace, the exported name of ``a as b``."""
    names: list[str] = []
    braces = re.search(r"\{([^}]*)\}", clause)
    outside = re.sub(r"\{[^}]*\}", "", clause)
    for part in outside.split(","):
        part = part.strip()
        if part.startswith("*"):
            names.append("*")
        elif part and part != "type":
            names.append(part.split()[0])
    if braces:
        for part in braces.group(1).split(","):
            words = part.replace("type ", " ").split()
            if words:
                names.append(words[0])
    return tuple(names)


def _env(m: Masked, facts: Facts) -> None:
    code = m.code
    for found in _ENV_DOT.finditer(code):
        default, literal = _default(m, found.end())
        facts.env_reads.append(
            EnvRead(
                found["name"], m.line(found.start("name")), default, found["how"], False, literal
            )
        )
    for pattern in (_ENV_INDEX, _DENO):
        for found in pattern.finditer(code):
            how = found.groupdict().get("how") or "Deno.env.get"
            default, literal = _default(m, found.end())
            facts.env_reads.append(env_read(m, found, how, default, literal))
    for found in _DESTRUCTURE.finditer(code):
        body_start = found.start("body")
        for part in re.finditer(r"[^,]+", found["body"]):
            entry = re.match(
                r"\s*(?P<name>[A-Za-z_$][\w$]*)\s*(?::\s*[A-Za-z_$][\w$]*\s*)?(?:=\s*(?P<d>.+?))?\s*$",
                part.group(),
                re.S,
            )
            if entry is None or entry["name"].startswith("..."):
                continue
            offset = body_start + part.start() + entry.start("name")
            default = None
            literal = True
            if entry["d"] is not None:
                start = body_start + part.start() + entry.start("d")
                default = m.text[start : start + len(entry["d"])].strip()
                literal = bool(re.fullmatch(r"[\"'`].*[\"'`]|-?\d[\w.]*|true|false|null", default))
            facts.env_reads.append(
                EnvRead(entry["name"], m.line(offset), default, found["how"], False, literal)
            )


def _default(m: Masked, end: int) -> tuple[str | None, bool]:
    found = _DEFAULT.match(m.code, end)
    if found is None:
        return None, True
    if found["lit"] is not None:
        return m.text[found.start("lit") : found.end("lit")], True
    return m.text[found.start("expr") : found.end("expr")], False


def _routes(m: Masked, facts: Facts) -> None:
    code = m.code
    imported = {i.module for i in facts.imports}
    framework = next((label for mod, label in _FRAMEWORKS if mod in imported), "")
    receivers = {found["name"] for found in _ROUTER_MAKERS.finditer(code)}
    if framework:
        receivers |= {"app", "router", "server", "api", "fastify"}
    if not receivers:
        return
    recv = leading(*sorted(receivers))
    for found in re.finditer(_CALL_ROUTE.format(recv=recv), code):
        args = call_arguments(code, found.end())
        if not args:  # the path alone: ``app.get("setting")`` reads a setting
            continue
        _add_route(m, facts, found["method"], found, args[-1], framework)
    for found in re.finditer(_ROUTE_CHAIN.format(recv=recv), code):
        pos = found.end()
        while (link := _CHAIN_LINK.match(code, pos)) is not None:
            args = call_arguments(code, link.end(), first=True)
            if not args:
                break
            _add_route(m, facts, link["method"], found, args[-1], framework)
            pos = args[-1][1]
            close = code.find(")", pos)
            if close < 0:
                break
            pos = close + 1


def _add_route(
    m: Masked,
    facts: Facts,
    method: str,
    found: re.Match[str],
    handler: tuple[int, int],
    framework: str,
) -> None:
    path = m.literal(found.start("s"), found.end("s"))
    if not (path.startswith("/") or path == "*"):
        return
    raw = m.text[handler[0] : handler[1]].strip()
    if _HANDLER_NAME.match(raw):
        name = re.sub(r"\s+", "", raw)
    elif named := _NAMED_FUNCTION.match(raw):
        name = named.group(1)
    else:
        name = "(inline function)"
    verb = "DELETE" if method == "del" else method.upper()
    verb = "ANY" if verb == "ALL" else verb
    facts.routes.append(Route(verb, path, name, m.line(found.start("s")), framework))
