"""JavaScript's calls between the functions of a CommonJS package, read from masked text.

What "How it works" follows from a package's exported function (express's
``express()`` is ``createApplication``).  A function is named where the file
declares it (``function name(``) or assigns it to a member of a module-level
object (``app.handle = function handle(``); its calls are those written in
its own body (not in the functions it defines, which run later):

- ``name(...)``: a function the file declares, or the function a required file exports;
- ``this.m(...)`` in ``obj.f = function``: ``obj.m``;
- ``x.m(...)``: a member of a module-level object, of what a required file exports, or
  of a local value that ``Object.assign(x, y)`` or ``merge-descriptors``'s
  ``mixin(x, y)`` gave ``y``'s members (their documented meaning).

Names are ``path:name``; a callee in another file is ``@base:member``, ``base`` the
required path without its extension, resolved to a file per repository
(``docsgen.generator.call_chains_js``).  Anything else is no edge.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right
from dataclasses import dataclass

from docsgen.generator.analysis.facts.lexer import Masked, leading, matching_bracket
from docsgen.generator.analysis.file_analysis import CallFacts

_NAME = r"[A-Za-z_$][\w$]*"
_FUNCTION = re.compile(leading("function") + r"\b\s*\*?\s*(" + _NAME + r")?\s*\(")
_MEMBER_BEFORE = re.compile(r"(" + _NAME + r")\s*\.\s*(" + _NAME + r")\s*=\s*(?:async\s+)?$")
_REQUIRE = re.compile(
    leading("var", "let", "const") + r"\s+(" + _NAME + r")\s*=\s*require\s*\(\s*(['\"])(x*)\2\s*\)"
)
_EXPORTS_OBJECT = re.compile(
    leading("var", "let", "const") + r"\s+(" + _NAME + r")\s*=\s*(?:exports\s*=\s*)?"
    r"module\.exports\s*=\s*(?:exports\s*=\s*)?\{"
)
_EXPORT_NAME = re.compile(
    r"(?:"
    + leading("exports")
    + r"\s*=\s*module|"
    + leading("module")
    + r")\.exports\s*=\s*(?:exports\s*=\s*)?("
    + _NAME
    + r")\s*;"
)
_EXPORT_REQUIRE = re.compile(
    leading("module.exports") + r"\s*=\s*require\s*\(\s*(['\"])(x*)\1\s*\)"
)
_CALL = re.compile(r"(?<![\w$.])((?:this|" + _NAME + r")(?:\s*\.\s*" + _NAME + r")?)\s*\(")
_MIXIN = re.compile(
    r"(?<![\w$.])(" + _NAME + r"|Object\.assign)\s*\(\s*(" + _NAME + r")\s*,\s*(" + _NAME + r")\b"
)
_NOT_CALLS = frozenset(
    {"if", "for", "while", "switch", "catch", "function", "return", "typeof", "new", "with",
     "super", "require", "delete", "void", "await", "yield", "in", "of"}
)  # fmt: skip
_MIXIN_PACKAGE = "merge-descriptors"


@dataclass
class _Function:
    name: str | None  # None: anonymous, or defined in another function
    start: int  # where ``function`` is written
    body: int  # its ``{``
    end: int  # its ``}``


def extract(path: str, m: Masked) -> CallFacts | None:
    """The file's functions and the calls between them (CommonJS only: ``require``)."""
    code = m.code
    if "require" not in code and "exports" not in code:
        return None
    requires, packages = _requires(path, m)
    mixins = {local for local, name in packages.items() if name == _MIXIN_PACKAGE}
    functions = _functions(code)
    top = [f for f in functions if f.name is not None]
    declared = {f.name for f in top if f.name and "." not in f.name}
    objects = {f.name.split(".")[0] for f in top if f.name and "." in f.name}
    bindings: list[tuple[str, str]] = []
    exported = _EXPORTS_OBJECT.search(code)
    if exported:
        bindings.append(("module.exports", exported.group(1)))
        objects.add(exported.group(1))
    elif named := _EXPORT_NAME.search(code):
        bindings.append(("module.exports", named.group(1)))
    elif again := _EXPORT_REQUIRE.search(code):
        spec = m.literal(again.start(2), again.end(2))
        target = _required(path, spec)
        if target is not None:
            bindings.append(("module.exports", "@" + target))
    starts = [f.body for f in functions]
    calls: dict[tuple[str, str], int] = {}
    given = _mixed_in(code, functions, starts, requires, mixins)
    for found in _CALL.finditer(code):
        owner = _innermost(functions, starts, found.start())
        if owner is None or owner.name is None:
            continue
        written = "".join(found.group(1).split())
        callee = _resolve(written, owner, declared, objects, requires, given.get(id(owner), {}))
        if callee is None:
            continue
        key = (f"{path}:{owner.name}", callee if callee.startswith("@") else f"{path}:{callee}")
        line = m.line(found.start())
        if key not in calls or line < calls[key]:
            calls[key] = line
    return CallFacts(
        definitions=tuple((f"{path}:{f.name}", "function", m.line(f.start)) for f in top),
        calls=tuple((a, b, line) for (a, b), line in sorted(calls.items(), key=lambda i: i[1])),
        bindings=tuple(bindings),
    )


def _requires(path: str, m: Masked) -> tuple[dict[str, str], dict[str, str]]:
    """Local names bound to a required file (-> its base path) and to a package (-> its
    name)."""
    files: dict[str, str] = {}
    packages: dict[str, str] = {}
    for match in _REQUIRE.finditer(m.code):
        spec = m.literal(match.start(3), match.end(3))
        target = _required(path, spec)
        if target is not None:
            files[match.group(1)] = target
        elif not spec.startswith("."):
            packages[match.group(1)] = spec
    return files, packages


def _required(path: str, spec: str) -> str | None:
    if not spec.startswith("."):
        return None
    base = posixpath.normpath(posixpath.join(posixpath.dirname(path), spec))
    return None if base.startswith("..") else base


def _functions(code: str) -> list[_Function]:
    """Every ``function`` with its body's extent, in order; named when declared at the
    top level or assigned to a member of a name."""
    found: list[_Function] = []
    for match in _FUNCTION.finditer(code):
        close = matching_bracket(code, match.end() - 1, "(", ")")
        if close is None:
            continue
        body = code.find("{", close)
        if body == -1 or code[close + 1 : body].strip():
            continue
        end = matching_bracket(code, body, "{", "}")
        if end is None:
            continue
        member = _member_before(code, match.start())
        name = f"{member.group(1)}.{member.group(2)}" if member else match.group(1)
        found.append(_Function(name, match.start(), body, end))
    for f in found:  # a function defined in another runs when that one says: not named
        if any(o.body < f.start < o.end for o in found if o is not f):
            f.name = None
    return found


def _member_before(code: str, at: int) -> re.Match[str] | None:
    """``obj.name = `` (or ``= async``) right before ``at``, read in the 200 characters
    before it; those not ending with ``=`` or ``async`` (most) are not searched."""
    start = max(0, at - 200)
    if not code[start:at].rstrip().endswith(("=", "async")):
        return None
    return _MEMBER_BEFORE.search(code, start, at)


def _innermost(functions: list[_Function], starts: list[int], at: int) -> _Function | None:
    for index in range(bisect_right(starts, at) - 1, -1, -1):
        f = functions[index]
        if f.body < at < f.end:
            return f
    return None


def _mixed_in(
    code: str,
    functions: list[_Function],
    starts: list[int],
    requires: dict[str, str],
    mixins: set[str],
) -> dict[int, dict[str, str]]:
    """Per function: its local values that were given a required file's members."""
    given: dict[int, dict[str, str]] = {}
    if not mixins and "Object.assign" not in code:
        return given  # none of its calls could be one
    for found in _MIXIN.finditer(code):
        how, local, source = found.groups()
        if how != "Object.assign" and how not in mixins:
            continue
        owner = _innermost(functions, starts, found.start())
        base = requires.get(source)
        if owner is not None and base is not None:
            given.setdefault(id(owner), {})[local] = base
    return given


def _resolve(
    written: str,
    owner: _Function,
    declared: set[str],
    objects: set[str],
    requires: dict[str, str],
    given: dict[str, str],
) -> str | None:
    head, _, member = written.partition(".")
    if head in _NOT_CALLS or written in _NOT_CALLS:
        return None
    if not member:
        if head in declared:
            return head
        base = requires.get(head)
        return f"@{base}:" if base is not None else None
    if head == "this":
        owner_object = owner.name.split(".")[0] if owner.name and "." in owner.name else None
        return f"{owner_object}.{member}" if owner_object else None
    if head in given:
        return f"@{given[head]}:{member}"
    if head in requires:
        return f"@{requires[head]}:{member}"
    if head in objects:
        return f"{head}.{member}"
    return None
