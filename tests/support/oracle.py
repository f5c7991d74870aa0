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

from tests.support.generation import CITATION, api_entries, module_blocks

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
    kind: str  # "alias" for an entry pointing to where the declaration is documented
    qualname: str
    params: Params | None  # functions and methods only
    path: str
    line: int
    alias_of: str | None = None


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


def load_with_aliases(package: str, search_path: Path | None = None) -> Any:
    """The package as griffe loads it statically, its aliases resolved, with the
    conventions of explicit re-exports (``X as X``) and wildcard imports."""
    loader = griffe_loader(search_path or site_root(package))
    loaded = loader.load(package)
    loader.resolve_aliases(implicit=True, external=False)
    return loaded


def griffe_loader(search_path: Path) -> Any:
    extensions = griffe.load_extensions(
        "griffe_public_redundant_aliases", "griffe_public_wildcard_imports"
    )
    return griffe.GriffeLoader(
        search_paths=[str(search_path)], extensions=extensions, allow_inspection=False
    )


def griffe_api(package: str, search_path: Path | None = None) -> dict[tuple[str, str], Expected]:
    """(module, qualname) -> (kind, parameters) of every public function, class and method
    of every public module, re-exports included, as users import them."""
    return public_api(load_with_aliases(package, search_path))


Expected = tuple[str, "Params | None"]


def public_api(loaded: Any) -> dict[tuple[str, str], Expected]:
    """What ``griffe_api`` returns, from a package griffe has loaded (aliases resolved)."""
    found: dict[tuple[str, str], Expected] = {}

    def walk_class(cls: Any, module: str, prefix: str) -> None:
        for name, member in cls.members.items():
            if member.is_alias or not member.is_public:
                continue
            if member.lineno == 0:
                continue  # made by griffe (a dataclass's __init__), not in the source
            if member.is_function:
                found[(module, f"{prefix}.{name}")] = ("function", _params(member))

    def walk(module: Any) -> None:
        # ``__all__`` decides when present: the wildcard-import convention marks what a
        # star import brings in public, but not past a module's own ``__all__``.
        exports = {str(e).rpartition(".")[2] for e in module.exports or ()}
        for name, member in module.members.items():
            if not member.is_alias and member.is_module:
                if not name.startswith("_") and name != "__main__":
                    walk(member)
                continue
            if not member.is_public or (exports and name not in exports):
                continue
            target = member
            if member.is_alias:
                try:
                    target = member.final_target
                except griffe.AliasResolutionError:  # an alias to a name outside the package
                    continue
            if target.is_module:
                continue
            if target.is_class:
                found[(module.path, name)] = ("class", None)
                walk_class(target, module.path, name)
            elif target.is_function:
                found[(module.path, name)] = ("function", _params(target))

    walk(loaded)
    return found


def _params(function: Any) -> Params:
    return tuple(_parameter(p) for p in function.parameters)


def _parameter(p: Any) -> tuple[str, str, str | None]:
    kind = _KINDS[p.kind.value]
    # griffe gives ``*args`` and ``**kwargs`` the defaults "()" and "{}"; the source has none.
    if kind in ("var-positional", "var-keyword") or p.default is None:
        return (p.name, kind, None)
    return (p.name, kind, normalise(str(p.default)))


def parse_params(signature: str) -> Params:
    """The parameters of a Python signature ``(a, b=1, *, c) -> x``."""
    return declared_params(f"def _{signature}")


def declared_params(declaration: str) -> Params:
    """The parameters of a declaration as our reference shows it (``def f(...)``, maybe
    decorated, maybe async, maybe laid out over several lines)."""
    code = "\n".join(line for line in declaration.split("\n") if not line.startswith("@"))
    fn = ast.parse(code + ": pass").body[0]
    assert isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
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
    """(module, qualname) -> entry, read back from the rendered API Reference.  An entry
    that points to the canonical one elsewhere carries ``alias_of``."""
    found: dict[tuple[str, str], Entry] = {}
    for module, block in module_blocks(api_markdown).items():
        for name, entry in api_entries(block).items():
            cited = CITATION.search(entry.citation)
            path, line = (cited["path"], int(cited["line"])) if cited else ("", 0)
            params = None
            if entry.kind in ("function", "method"):
                params = declared_params(entry.declaration)
            found[(module, name)] = Entry(
                entry.kind or "alias", name, params, path, line, entry.alias_of
            )
    return found


def lookup(ours: dict[tuple[str, str], Entry], module: str, qualname: str) -> Entry | None:
    """Our entry for ``module.qualname``, followed to where it is documented in full."""
    for _ in range(8):
        head, _, rest = qualname.partition(".")
        entry = ours.get((module, qualname)) or ours.get((module, head))
        if entry is None:
            return None
        if entry.alias_of is None:
            return ours.get((module, qualname))
        modules = {m for m, _ in ours}
        canonical = entry.alias_of
        split = max((m for m in modules if canonical.startswith(m + ".")), key=len, default=None)
        if split is None:
            return None
        module = split
        qualname = canonical[len(split) + 1 :] + (f".{rest}" if rest else "")
    return None


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
