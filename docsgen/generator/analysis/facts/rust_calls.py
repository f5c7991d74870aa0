"""Rust's calls within a crate, read from masked text (comments and strings cannot match).

A function is keyed by its crate and module, as the file's place under ``src/``
says (``src/de.rs`` is module ``de``, ``src/value/mod.rs`` is ``value``,
``src/lib.rs`` the crate's root, ``.`` the folder of its ``src/``):
``.#de:from_str``, and a method of an ``impl`` block ``.#de:Deserializer.parse_value``.
Its calls are those written in its body, closures included (a closure
is mostly run by the combinator it is passed to, within the call):
``name(...)``, ``path::name(...)``, ``Type::name(...)``, ``self.name(...)``,
``Self::name(...)`` and ``x.name(...)`` on a local whose type the code
states (``let x = Type::new(..)``, ``let x: Type``).  A path is
made absolute as Rust does: from ``crate``, ``self``, ``super``, a name the
file's ``use`` brings in, or else the file's own module.  A call that leaves
the crate keys to nothing and is not followed.  ``pub use`` and top-level
``pub fn`` are kept as the module's bindings: what it exports.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from docsgen.generator.analysis.facts.lexer import Masked, matching_bracket
from docsgen.generator.analysis.facts.rust_use import split_use_tree
from docsgen.generator.analysis.file_analysis import CallFacts

# Each pattern starts with its keyword (fast to scan for); what may stand before the
# keyword on its line is checked after, by ``_declared``.
_FN = re.compile(r"fn\s+(?P<name>[A-Za-z_]\w*)")
_FN_BEFORE = re.compile(
    r"(?P<pub>pub(?:\s*\([^)]*\))?\s+)?(?:(?:const|async|unsafe|default)\s+)*"
    r"(?:extern\s+(?:\"[^\"\n]*\"\s+)?)?$"
)
_IMPL = re.compile(r"(?:impl|trait)\b")
_IMPL_HEAD = re.compile(r"[^{;]*\{")
_MOD = re.compile(r"mod\s+(?P<name>[A-Za-z_]\w*)\s*\{")
_USE = re.compile(r"use\s+(?P<tree>[^;]+);")
_ITEM_BEFORE = re.compile(r"(?m)^[ \t]*(?P<pub>pub(?:\s*\([^)]*\))?\s+)?(?:unsafe\s+)?$")
_CALL = re.compile(
    r"(?<![\w.:!])(?<!fn )(?:(?P<recv>[A-Za-z_]\w*)\s*\.\s*)?"
    r"(?P<path>[A-Za-z_]\w*(?:\s*::\s*[A-Za-z_]\w*)*)\s*(?:::\s*<[^()]*?>\s*)?\("
)
# A local whose type the code states: ``let x: T``, ``let x = T::new(..)``, ``let x = T {``.
_LET = re.compile(
    r"let\s+(?:mut\s+)?(?P<name>[a-z_]\w*)\s*(?::\s*&?\s*(?:mut\s+)?(?P<stated>[A-Z]\w*)"
    r"|=\s*(?P<made>[A-Z]\w*)\s*(?:::\s*<[^()]*?>\s*)?(?:::\s*new\s*\(|\{))"
)
_TYPE_NAME = re.compile(r"([A-Za-z_]\w*)\s*(?:<.*)?$", re.S)
_NOT_CALLS = frozenset(
    {"if", "while", "match", "return", "for", "loop", "fn", "in", "as", "move", "Some", "Ok",
     "Err", "None", "Box", "where", "impl", "let", "else", "unsafe", "async", "await"}
)  # fmt: skip


def module_of(path: str) -> tuple[str, list[str]]:
    """The crate (its folder; a binary or a test is a crate of its own) and module path."""
    parts = path.removesuffix(".rs").split("/")
    if "src" not in parts:
        return path.removesuffix(".rs"), []
    at = parts.index("src")
    crate, rest = "/".join(parts[:at]) or ".", parts[at + 1 :]
    if rest[:1] == ["bin"]:
        return path.removesuffix(".rs").removesuffix("/main"), []
    if rest and rest[-1] == "mod":
        rest = rest[:-1]
    if rest in (["lib"], ["main"]):
        rest = []
    return crate, rest


def key(crate: str, module: list[str], item: list[str]) -> str | None:
    """The key of an item of ``module``: ``crate#a.b:name``, or ``crate#a.b:Type.name``
    when the path's owner is a type (its name is capitalised)."""
    if not item:
        return None
    *owner, name = item
    if owner and owner[-1][:1].isupper():
        return f"{scope(crate, module + owner[:-1])}:{owner[-1]}.{name}"
    return f"{scope(crate, module + owner)}:{name}"


def scope(crate: str, module: list[str]) -> str:
    """A module's part of a key: ``crate#a.b`` (no ``:`` before the item's)."""
    return f"{crate}#{'.'.join(module)}"


def extract(path: str, m: Masked) -> CallFacts | None:
    code = m.code
    crate, module = module_of(path)
    uses, exports = _uses(code, crate, module)
    scopes = _scopes(code, module)
    definitions: list[tuple[str, str, int]] = []
    bodies: list[tuple[int, int, str, list[str], str | None]] = []
    for found in _FN.finditer(code):
        before = _declared(code, found.start(), _FN_BEFORE)
        if before is None:
            continue
        span = _body(code, found.end())
        if span is None:
            continue
        inner, owner = _innermost(scopes, found.start(), module)
        name = found["name"]
        qualified = f"{scope(crate, inner)}:{f'{owner}.{name}' if owner else name}"
        definitions.append(
            (qualified, "method" if owner else "function", m.line(found.start("name")))
        )
        bodies.append((span[0], span[1], qualified, inner, owner))
        if _exported(code, before) and not owner and inner == module:
            exports.append((name, qualified))
    if not definitions and not exports:
        return None
    calls: dict[tuple[str, str], int] = {}
    starts = [b[0] for b in bodies]  # in order: ``_FN`` finds them so
    for number, (start, end, caller, inner, owner) in enumerate(bodies):
        last = bisect_left(starts, end, number + 1)
        nested = [(s, e) for s, e, *_ in bodies[number + 1 : last]]
        types = {f["name"]: f["stated"] or f["made"] for f in _LET.finditer(code, start, end)}
        if owner:
            types["self"] = owner
        for call in _CALL.finditer(code, start + 1, end):
            at = call.start()
            if any(s <= at < e for s, e in nested):
                continue  # the body of a function defined inside: its own calls
            callee = _callee(call, crate, inner, owner, uses, types)
            if callee is None or callee == caller:
                continue
            line = m.line(at)
            if (caller, callee) not in calls or line < calls[(caller, callee)]:
                calls[(caller, callee)] = line
    return CallFacts(
        definitions=tuple(definitions),
        calls=tuple((a, b, line) for (a, b), line in sorted(calls.items(), key=lambda i: i[1])),
        bindings=tuple(exports),
    )


_HIDDEN = re.compile(r"#\[\s*doc\s*\(\s*hidden\s*\)\s*\]")


def _exported(code: str, before: re.Match[str]) -> bool:
    """A plain ``pub fn`` not ``#[doc(hidden)]``: what the crate's users call
    (``pub(crate)`` and hidden helpers of its macros are not)."""
    if before["pub"] is None or before["pub"].strip() != "pub":
        return False
    end = code.rfind("\n", 0, before.start())
    while end > 0:  # the attribute lines above the item
        start = code.rfind("\n", 0, end) + 1
        line = code[start:end].strip()
        if not line.startswith("#["):
            return True
        if _HIDDEN.search(line):
            return False
        end = start - 1
    return True


def _declared(code: str, at: int, before: re.Pattern[str]) -> re.Match[str] | None:
    """What stands before a keyword at ``at`` on its line, if ``before`` allows it (and the
    keyword is a whole word)."""
    if at and (code[at - 1].isalnum() or code[at - 1] in "_:"):
        return None
    start = code.rfind("\n", 0, at) + 1
    return before.search(code, start, at)


def _callee(
    call: re.Match[str],
    crate: str,
    module: list[str],
    owner: str | None,
    uses: dict[str, list[str]],
    types: dict[str, str],
) -> str | None:
    segments = [s.strip() for s in call["path"].split("::")]
    if call["recv"]:  # a method of ``self`` or of a local whose type is stated
        known = types.get(call["recv"])
        if known is None or len(segments) != 1:
            return None
        segments = [known, *segments]
    if segments[0] in _NOT_CALLS or segments[-1] in _NOT_CALLS:
        return None
    if segments[0] == "Self":
        if owner is None:
            return None
        segments = [owner, *segments[1:]]
    absolute = _absolute(segments, module, uses)
    return key(crate, [], absolute) if absolute else None


def _absolute(segments: list[str], module: list[str], uses: dict[str, list[str]]) -> list[str]:
    """A path from the crate's root, as Rust reads ``crate``, ``self``, ``super`` and ``use``."""
    head = segments[0]
    if head == "crate":
        return segments[1:]
    if head == "self":
        return module + segments[1:]
    if head == "super":
        up = 0
        while up < len(segments) and segments[up] == "super":
            up += 1
        return module[: max(len(module) - up, 0)] + segments[up:]
    if head in uses:
        return uses[head] + segments[1:]
    return module + segments


def _uses(
    code: str, crate: str, module: list[str]
) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    """What the file's ``use`` declarations bring in (local name -> absolute path), and
    what its ``pub use`` exports (name, key)."""
    uses: dict[str, list[str]] = {}
    exports: list[tuple[str, str]] = []
    for found in _USE.finditer(code):
        before = _declared(code, found.start(), _ITEM_BEFORE)
        if before is None:
            continue
        prefix, names = split_use_tree(found["tree"])
        for name in names or ("",):
            whole = prefix + "::" + name if name and name != "self" else prefix
            path = [s for s in whole.split("::") if s]
            if not path or path[-1] == "*":
                continue
            absolute = _absolute(path, module, {})
            uses.setdefault(path[-1], absolute)
            if before["pub"]:
                exported = key(crate, [], absolute)
                if exported:
                    exports.append((path[-1], exported))
    return uses, exports


def _scopes(code: str, module: list[str]) -> list[tuple[int, int, list[str], str | None]]:
    """The inline modules and ``impl``/``trait`` blocks: (start, end, module, type)."""
    scopes: list[tuple[int, int, list[str], str | None]] = []
    for found in _MOD.finditer(code):
        if _declared(code, found.start(), _ITEM_BEFORE) is None:
            continue
        end = matching_bracket(code, found.end() - 1, "{", "}")
        if end is not None:
            scopes.append((found.end(), end, [found["name"]], None))
    for found in _IMPL.finditer(code):
        if _declared(code, found.start(), _ITEM_BEFORE) is None:
            continue
        head = _IMPL_HEAD.match(code, found.end())
        if head is None:
            continue
        end = matching_bracket(code, head.end() - 1, "{", "}")
        owner = _owner(found.group(), code[found.end() : head.end() - 1])
        if end is not None and owner:
            scopes.append((head.end(), end, [], owner))
    scopes.sort(key=lambda s: s[0])
    return scopes


def _innermost(
    scopes: list[tuple[int, int, list[str], str | None]], at: int, module: list[str]
) -> tuple[list[str], str | None]:
    inner, owner = list(module), None
    for start, end, names, kind in scopes:
        if start <= at < end:
            inner += names
            owner = kind if kind else owner
    return inner, owner


def _owner(keyword: str, head: str) -> str | None:
    """The type an ``impl`` block is for (``impl<T> Trait for Type<T>`` -> ``Type``)."""
    text = _without_generics(head).split(" where ")[0].strip()
    if keyword == "impl" and " for " in text:
        text = text.split(" for ", 1)[1].strip()
    text = text.lstrip("&*").split("::")[-1].strip()
    found = _TYPE_NAME.match(text)
    return found.group(1) if found else None


def _without_generics(text: str) -> str:
    """``<...>`` dropped at every depth (``->`` is not a bracket)."""
    out, depth = [], 0
    for i, c in enumerate(text):
        if c == "<":
            depth += 1
        elif c == ">" and not (i and text[i - 1] == "-"):
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(c)
    return " ".join("".join(out).split())


def _body(code: str, at: int) -> tuple[int, int] | None:
    """The ``{ ... }`` of a function whose name ends at ``at``; None for a declaration."""
    depth = 0
    i = at
    while i < len(code):  # past the generics to the parameters
        c = code[i]
        if c == "<":
            depth += 1
        elif c == ">" and code[i - 1] != "-":
            depth -= 1
        elif c == "(" and depth == 0:
            break
        elif c in "{;" or (depth == 0 and not c.isspace()):
            return None
        i += 1
    close = matching_bracket(code, i, "(", ")")
    if close is None:
        return None
    brace = code.find("{", close)
    semi = code.find(";", close)
    if brace == -1 or (semi != -1 and semi < brace):
        return None
    end = matching_bracket(code, brace, "{", "}")
    return (brace, end) if end is not None else None
