"""griffe as an oracle: the public API it finds statically, and ours read back from Markdown.

Shared by the oracle tests and ``bench/generate.py``.
"""

from __future__ import annotations

import ast
import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import griffe

from tests.support.generation import CITATION, ENTRY, module_blocks

_KINDS = {  # griffe's parameter kinds, as ours are named
    "positional-only": "positional-only",
    "positional or keyword": "positional-or-keyword",
    "variadic positional": "var-positional",
    "keyword-only": "keyword-only",
    "variadic keyword": "var-keyword",
}
Params = tuple[tuple[str, str, str | None], ...]


@dataclass(frozen=True)
class Entry:
    kind: str
    qualname: str
    params: Params | None  # functions and methods only
    path: str
    line: int


def normalise(default: str | None) -> str | None:
    """One spelling per default value (quotes, spacing), so both sides compare."""
    if default is None:
        return None
    try:
        return ast.unparse(ast.parse(default, mode="eval"))
    except SyntaxError:
        return default


def site_root(package: str) -> Path:
    spec = importlib.util.find_spec(package)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent.parent


def griffe_api(
    package: str, search_path: Path | None = None
) -> dict[tuple[str, str], tuple[str, Params | None]]:
    """(module, qualname) -> (kind, parameters) of every public function, class and method."""
    loaded = griffe.load(
        package,
        search_paths=[str(search_path or site_root(package))],
        allow_inspection=False,
        resolve_aliases=False,
    )
    return public_api(loaded)


def public_api(loaded: Any) -> dict[tuple[str, str], tuple[str, Params | None]]:
    """What ``griffe_api`` returns, from a package griffe has already loaded."""
    found: dict[tuple[str, str], tuple[str, Params | None]] = {}

    def walk(obj: Any, module: str) -> None:
        for member in obj.members.values():
            if member.is_alias:
                continue
            if member.is_module:
                walk(member, member.path)
            elif (member.is_function or member.is_class) and member.is_public:
                qualname = member.path[len(module) + 1 :]
                if member.is_class:
                    found[(module, qualname)] = ("class", None)
                    walk(member, module)
                else:
                    params = tuple(_parameter(p) for p in member.parameters)
                    found[(module, qualname)] = ("function", params)

    walk(loaded, loaded.path)
    return found


def _parameter(p: Any) -> tuple[str, str, str | None]:
    kind = _KINDS[p.kind.value]
    # griffe gives ``*args`` and ``**kwargs`` the defaults "()" and "{}"; the source has none.
    if kind in ("var-positional", "var-keyword") or p.default is None:
        return (p.name, kind, None)
    return (p.name, kind, normalise(str(p.default)))


def parse_params(signature: str) -> Params:
    """The parameters of a rendered Python signature ``(a, b=1, *, c) -> x``."""
    tree = ast.parse(f"def _{signature}: pass")
    fn = tree.body[0]
    assert isinstance(fn, ast.FunctionDef)
    args = fn.args
    positional = [*args.posonlyargs, *args.args]
    defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
    out: list[tuple[str, str, str | None]] = []
    for i, (arg, default) in enumerate(zip(positional, defaults, strict=True)):
        kind = "positional-only" if i < len(args.posonlyargs) else "positional-or-keyword"
        out.append((arg.arg, kind, normalise(ast.unparse(default)) if default else None))
    if args.vararg:
        out.append((args.vararg.arg, "var-positional", None))
    for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        out.append(
            (arg.arg, "keyword-only", normalise(ast.unparse(kw_default)) if kw_default else None)
        )
    if args.kwarg:
        out.append((args.kwarg.arg, "var-keyword", None))
    return tuple(out)


def our_api(api_markdown: str) -> dict[tuple[str, str], Entry]:
    """(module, qualname) -> entry, read back from the rendered API Reference."""
    found: dict[tuple[str, str], Entry] = {}
    for module, block in module_blocks(api_markdown).items():
        for m in ENTRY.finditer(block):
            signature = m["signature"]
            kind = m["kind"] or signature.partition(" ")[0]  # unlabelled: the code says it
            cited = CITATION.search(m["rest"].rsplit(" — ", 1)[-1])
            assert cited is not None, m.group(0)
            params = None
            if kind in ("function", "method"):
                signature = signature.removeprefix("async ")
                qualname, _, rest = signature.partition("(")
                params = parse_params("(" + rest)
            elif kind == "class":
                qualname = signature.removeprefix("class ").partition("(")[0]
            else:
                qualname = signature.partition(":")[0].partition(" =")[0]
            key = (module, qualname)
            assert key not in found, f"{key} listed twice"
            found[key] = Entry(kind, qualname, params, cited["path"], int(cited["line"]))
    return found


def declared_names(source: str) -> set[tuple[int, str]]:
    """Every (line, name) a Python file declares: defs, classes, assignments, imports."""
    names: set[tuple[int, str]] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add((node.lineno, node.name))
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add((node.lineno, node.id))
        elif isinstance(node, ast.alias):
            names.add((node.lineno, node.asname or node.name.split(".")[0]))
    return names
