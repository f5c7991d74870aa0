"""Facts of a Rust file, matched on its masked text (see ``lexer``).

``use`` trees (expanded: ``use a::{b, c::d}`` imports ``b`` and ``c::d`` from
``a``), ``mod x;`` declarations, ``extern crate``, environment reads
(``std::env::var``, ``env::var_os``, ``env!``, ``option_env!``) with the
literal of a following ``unwrap_or``/``unwrap_or_else`` as default, routes
(actix-web/Rocket attributes ``#[get("/x")]``, axum ``.route("/x", get(h))``)
and ``fn main``.
"""

from __future__ import annotations

import re

from docsgen.generator.analysis.facts import rust_calls
from docsgen.generator.analysis.facts.found import Facts, env_read, mains, read
from docsgen.generator.analysis.facts.lexer import Masked, mask
from docsgen.generator.analysis.facts.rust_use import split_use_tree
from docsgen.generator.analysis.file_analysis import EnvRead, Import, Route

_Q = r"(?P<q>\")(?P<s>[^\"\n]*)\""
_USE = re.compile(r"(?<![\w:])(?:pub(?:\s*\([^)]*\))?\s+)?use\s+(?P<tree>[^;]+);")
_MOD = re.compile(r"(?<![\w:])(?:pub(?:\s*\([^)]*\))?\s+)?mod\s+(?P<name>[A-Za-z_]\w*)\s*;")
_EXTERN = re.compile(r"(?<![\w:])extern\s+crate\s+(?P<name>[A-Za-z_]\w*)")
_ENV = re.compile(
    r"(?<![\w])(?P<how>(?:std::)?env::var(?:_os)?)\s*\(\s*(?:" + _Q + r"|(?P<expr>[^)\n]+?))\s*\)"
)
_ENV_MACRO = re.compile(r"(?<![\w:])(?P<how>env|option_env)!\s*\(\s*" + _Q)
_DEFAULT = re.compile(
    r"\s*\.\s*unwrap_or(?:_else)?\s*\(\s*(?:\|[^|]*\|\s*)?(?:String::from\s*\(\s*)?"
    r"(?P<lit>\"[^\"\n]*\"|-?\d[\w.]*|true|false)"
)
_ATTR_ROUTE = re.compile(
    r"#\[\s*(?:[\w:]+::)?(?P<method>get|post|put|patch|delete|head|options)\s*\(\s*"
    + _Q
    + r"[^\]]*\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?(?:async\s+)?fn\s+(?P<fn>\w+)"
)
_AXUM_ROUTE = re.compile(r"\.\s*route\s*\(\s*" + _Q + r"\s*,")
_AXUM_METHOD = re.compile(
    r"\s*\.?\s*(?:[\w:]+::)?(?P<method>get|post|put|patch|delete|head|options|any)\s*\(\s*"
    r"(?P<h>[A-Za-z_][\w:]*)\s*\)"
)
_FN_MAIN = re.compile(r"(?m)^(?:pub\s+)?(?:async\s+)?fn\s+(?P<name>main)\s*\(\s*\)")
_FRAMEWORKS = (("actix_web", "actix-web"), ("rocket", "Rocket"), ("axum", "axum"))


def extract(path: str, text: str) -> Facts:
    m = mask(text, "rust")
    facts = read(m, _imports, _env, _routes, entry_points=mains(m, _FN_MAIN, path))
    facts.call_graph = rust_calls.extract(path, m)
    return facts


def _imports(m: Masked, facts: Facts) -> None:
    for found in _USE.finditer(m.code):
        prefix, names = split_use_tree(found["tree"])
        facts.imports.append(Import(prefix, m.line(found.start("tree")), names, kind="use"))
    for found in _MOD.finditer(m.code):
        facts.imports.append(Import(found["name"], m.line(found.start("name")), kind="mod"))
    for found in _EXTERN.finditer(m.code):
        facts.imports.append(Import(found["name"], m.line(found.start("name")), kind="extern"))


def _env(m: Masked, facts: Facts) -> None:
    for found in _ENV.finditer(m.code):
        default = m.written_after(_DEFAULT, found.end())
        facts.env_reads.append(env_read(m, found, found["how"], default))
    for found in _ENV_MACRO.finditer(m.code):
        name = m.literal(found.start("s"), found.end("s"))
        facts.env_reads.append(EnvRead(name, m.line(found.start("s")), None, f"{found['how']}!"))


def _routes(m: Masked, facts: Facts) -> None:
    roots = {i.module.split("::")[0] for i in facts.imports} | {
        n.split("::")[0] for i in facts.imports for n in i.names
    }
    framework = next((label for mod, label in _FRAMEWORKS if mod in roots), "")
    if not framework:
        return
    for found in _ATTR_ROUTE.finditer(m.code):
        path = m.literal(found.start("s"), found.end("s"))
        facts.routes.append(
            Route(found["method"].upper(), path, found["fn"], m.line(found.start("s")), framework)
        )
    for found in _AXUM_ROUTE.finditer(m.code):
        path = m.literal(found.start("s"), found.end("s"))
        pos = found.end()
        while (method := _AXUM_METHOD.match(m.code, pos)) is not None:
            verb = method["method"].upper()
            facts.routes.append(Route(verb, path, method["h"], m.line(found.start("s")), framework))
            pos = method.end()
