"""Facts of a Java file, matched on its masked text (see ``lexer``).

Imports (plain, ``*`` and ``static``), environment reads (``System.getenv``,
``System.getenv().getOrDefault``, ``Optional.ofNullable(System.getenv(..)).orElse``),
configuration keys (``System.getProperty``, Spring ``@Value("${key:default}")``),
Spring MVC routes (``@GetMapping`` & co., ``@RequestMapping`` with its
class-level prefix) and ``static void main``.
"""

from __future__ import annotations

import re

from docsgen.generator.analysis.facts.found import Facts, env_read, mains, read
from docsgen.generator.analysis.facts.lexer import Masked, mask
from docsgen.generator.analysis.file_analysis import EnvRead, Import, Route

_Q = r"(?P<q>\")(?P<s>[^\"\n]*)\""
_IMPORT = re.compile(
    r"(?m)^[ \t]*import\s+(?P<static>static\s+)?(?P<module>[\w.]+?)(?P<star>\s*\.\s*\*)?\s*;"
)
_LIT = r"(?P<lit>\"[^\"\n]*\"|-?\d[\w.]*|true|false|null)"
_GETENV = re.compile(
    r"(?<![\w.])System\s*\.\s*getenv\s*\(\s*(?:" + _Q + r"|(?P<expr>[^)\n]+?))\s*\)"
)
_OR_ELSE = re.compile(r"\s*\)\s*\.\s*orElse\s*\(\s*" + _LIT)
_GETENV_MAP = re.compile(
    r"(?<![\w.])System\s*\.\s*getenv\s*\(\s*\)\s*\.\s*(?P<fn>get|getOrDefault)\s*\(\s*" + _Q
)
_PROPERTY = re.compile(r"(?<![\w.])System\s*\.\s*getProperty\s*\(\s*" + _Q)
_NEXT_ARG = re.compile(r"\s*,\s*" + _LIT)
_VALUE = re.compile(r"@Value\s*\(\s*(?:value\s*=\s*)?" + _Q)
_PLACEHOLDER = re.compile(r"\$\{(?P<key>[^}:]+)(?::(?P<default>[^}]*))?\}")
_CLASS_MAPPING = re.compile(
    r"@RequestMapping\s*\(\s*(?:(?:value|path)\s*=\s*)?\{?\s*" + _Q + r"[^)]*\)"
    r"(?:\s*@\w+(?:\s*\([^)]*\))?)*\s*(?:(?:public|protected|private|abstract|final)\s+)*class\b"
)
_METHOD_MAPPING = re.compile(
    r"@(?P<kind>Get|Post|Put|Delete|Patch|Request)Mapping\b(?:\s*\((?P<args>[^)]*)\))?"
    r"(?P<gap>(?:\s*@\w+(?:\s*\([^)]*\))?)*\s*(?:(?:public|protected|private|static|final|"
    r"synchronized|abstract)\s+)*)(?P<rest>[\w<>\[\],.?\s]+?\s+(?P<name>\w+)\s*\()"
)
_MAIN = re.compile(
    r"(?:public\s+)?static\s+(?:public\s+)?(?:final\s+)?void\s+(?P<name>main)\s*\(\s*(?:final\s+)?String"
)


def extract(path: str, text: str) -> Facts:
    m = mask(text, "java")
    return read(m, _imports, _config, _routes, entry_points=mains(m, _MAIN, path))


def _imports(m: Masked, facts: Facts) -> None:
    for found in _IMPORT.finditer(m.code):
        module = re.sub(r"\s+", "", found["module"])
        names: tuple[str, ...] = ("*",) if found["star"] else ()
        if found["static"] and not found["star"] and "." in module:
            module, member = module.rsplit(".", 1)
            names = (member,)
        facts.imports.append(Import(module, m.line(found.start("module")), names))


def _config(m: Masked, facts: Facts) -> None:
    for found in _GETENV.finditer(m.code):
        default = m.written_after(_OR_ELSE, found.end())
        facts.env_reads.append(env_read(m, found, "System.getenv", default))
    for found in _GETENV_MAP.finditer(m.code):
        default = None
        if found["fn"] == "getOrDefault":
            default = m.written_after(_NEXT_ARG, found.end())
        name = m.literal(found.start("s"), found.end("s"))
        facts.env_reads.append(EnvRead(name, m.line(found.start("s")), default, "System.getenv"))
    for found in _PROPERTY.finditer(m.code):
        default = m.written_after(_NEXT_ARG, found.end())
        name = m.literal(found.start("s"), found.end("s"))
        facts.env_reads.append(
            EnvRead(name, m.line(found.start("s")), default, "System.getProperty")
        )
    for found in _VALUE.finditer(m.code):
        value = m.literal(found.start("s"), found.end("s"))
        for placeholder in _PLACEHOLDER.finditer(value):
            default = placeholder["default"]
            facts.env_reads.append(
                EnvRead(
                    placeholder["key"].strip(),
                    m.line(found.start("s")),
                    None if default is None else f'"{default}"',
                    "@Value",
                )
            )


def _routes(m: Masked, facts: Facts) -> None:
    if not any(i.module.startswith("org.springframework") for i in facts.imports):
        return
    prefixes = [
        (found.start(), m.literal(found.start("s"), found.end("s")))
        for found in _CLASS_MAPPING.finditer(m.code)
    ]
    for found in _METHOD_MAPPING.finditer(m.code):
        if found.start() in {p for p, _ in prefixes}:
            continue  # the class-level mapping itself
        if "class" in found["gap"] or re.search(r"\bclass\b", found["rest"]):
            continue
        args = found["args"] or ""
        start = found.start("args") if found["args"] is not None else found.start()
        path_match = re.search(r"\"([^\"\n]*)\"", args)
        path = ""
        line = m.line(found.start())
        if path_match:
            path = m.literal(start + path_match.start(1), start + path_match.end(1))
            line = m.line(start + path_match.start(1))
        if found["kind"] == "Request":
            methods = sorted(set(re.findall(r"RequestMethod\s*\.\s*([A-Z]+)", args))) or ["ANY"]
        else:
            methods = [found["kind"].upper()]
        prefix = ""
        for position, value in prefixes:
            if position < found.start():
                prefix = value
        for method in methods:
            facts.routes.append(Route(method, path, found["name"], line, "Spring", prefix))
