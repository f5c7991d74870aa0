"""Go's calls within a package, read from masked text (comments and strings cannot match).

A function is ``Name`` or, for a method, ``Type.Name``, qualified by its folder
(a Go package is a folder): ``cmp:Equal``, ``cmp:state.compareAny``.  Its calls
are those of its own body, not of the function literals it makes (they run
when called): ``Name(...)`` of the package, and ``v.Name(...)`` where ``v`` is
the receiver or a local whose type the code states (``v := &T{...}``,
``var v T``, or ``v := f(...)`` with ``f`` of the package declared to return
``T`` or ``*T``, written ``folder:()f.Name`` and resolved per repository,
``docsgen.generator.call_chains_go``).  Test files are not read.
"""

from __future__ import annotations

import posixpath
import re
from bisect import bisect_right

from docsgen.generator.analysis.facts.lexer import Masked, matching_bracket
from docsgen.generator.analysis.file_analysis import CallFacts

_FUNC = re.compile(
    r"^func\s*(?:\(\s*(?:(\w+)\s+)?\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)\s*(?:\[[^\]]*\])?\s*\(",
    re.M,
)
_RESULT = re.compile(r"^\(?\s*\*?(\w+)\s*(?:,|\)|$)")
_COMPOSITE = re.compile(r"(?<![\w.])(\w+)\s*:=\s*&?(\w+)\s*\{")
_CALLED = re.compile(r"(?<![\w.])(\w+)(?:\s*,\s*\w+)?\s*:=\s*(\w+)\s*\(")
_VAR = re.compile(r"(?<![\w.])var\s+(\w+)\s+\*?(\w+)\s*$", re.M)
_CALL = re.compile(r"(?<![\w.])(\w+)(?:\.(\w+))?\s*\(")
_LITERAL = re.compile(r"(?<![\w.])func\s*\(")
_NOT_CALLS = frozenset(
    {"if", "for", "switch", "func", "return", "go", "defer", "select", "case", "range",
     "len", "cap", "append", "make", "new", "panic", "recover", "copy", "delete", "close",
     "print", "println", "complex", "real", "imag", "min", "max", "clear"}
)  # fmt: skip


def extract(path: str, m: Masked) -> CallFacts | None:
    if path.endswith("_test.go"):
        return None
    code = m.code
    folder = posixpath.dirname(path) or "."
    definitions: list[tuple[str, str, int]] = []
    returns: list[tuple[str, str]] = []
    calls: dict[tuple[str, str], int] = {}
    for found in _FUNC.finditer(code):
        receiver, kind, name = found.groups()
        qualified = f"{kind}.{name}" if kind else name
        close = matching_bracket(code, found.end() - 1, "(", ")")
        if close is None:
            continue
        body = _body(code, close)
        if body is None:
            continue
        end = matching_bracket(code, body, "{", "}")
        if end is None:
            continue
        definitions.append((f"{folder}:{qualified}", "method" if kind else "function",
                            m.line(found.start(3))))  # fmt: skip
        result = _RESULT.match(code[close + 1 : body].strip())
        if result:
            returns.append((f"{folder}:{qualified}", result.group(1)))
        types = _locals(code, body, end)
        if receiver and kind:
            types[receiver] = kind
        closures = _closures(code, body + 1, end)
        starts = [s for s, _ in closures]
        for call in _CALL.finditer(code, body + 1, end):
            at = call.start()
            i = bisect_right(starts, at)
            if i and closures[i - 1][0] <= at < closures[i - 1][1]:
                continue  # in a function literal: runs when that is called
            head, member = call.groups()
            callee = _callee(head, member, types)
            if callee is None:
                continue
            key = (f"{folder}:{qualified}", f"{folder}:{callee}")
            line = m.line(at)
            if key not in calls or line < calls[key]:
                calls[key] = line
    if not definitions:
        return None
    return CallFacts(
        definitions=tuple(definitions),
        calls=tuple((a, b, line) for (a, b), line in sorted(calls.items(), key=lambda i: i[1])),
        returns=tuple(returns),
    )


def _callee(head: str, member: str | None, types: dict[str, str]) -> str | None:
    if member is None:
        return None if head in _NOT_CALLS else head
    known = types.get(head)
    return f"{known}.{member}" if known else None


def _locals(code: str, body: int, end: int) -> dict[str, str]:
    """A function's locals whose type the code states: ``T`` or ``()f`` (what ``f`` returns)."""
    text = code[body:end]
    types: dict[str, str] = {}
    for found in _VAR.finditer(text):
        types.setdefault(found.group(1), found.group(2))
    for found in _COMPOSITE.finditer(text):
        types.setdefault(found.group(1), found.group(2))
    for found in _CALLED.finditer(text):
        if found.group(2) not in _NOT_CALLS:
            types.setdefault(found.group(1), "()" + found.group(2))
    return types


def _closures(code: str, start: int, end: int) -> list[tuple[int, int]]:
    """The bodies of the function literals between ``start`` and ``end``, outermost."""
    found: list[tuple[int, int]] = []
    for literal in _LITERAL.finditer(code, start, end):
        if found and literal.start() < found[-1][1]:
            continue
        close = matching_bracket(code, literal.end() - 1, "(", ")")
        body = _body(code, close) if close is not None else None
        close_body = matching_bracket(code, body, "{", "}") if body is not None else None
        if body is not None and close_body is not None:
            found.append((body, close_body))
    return found


def _body(code: str, close: int) -> int | None:
    """The ``{`` opening the body after a signature's parameters (results skipped)."""
    at = close + 1
    while True:
        brace = code.find("{", at)
        if brace == -1 or "\n" in code[close:brace]:
            return None  # no body on the signature's line: declared elsewhere (assembly)
        before = code[at:brace].rstrip()
        if before.endswith(("interface", "struct")):
            inner = matching_bracket(code, brace, "{", "}")
            if inner is None:
                return None
            at = inner + 1
            continue
        return brace
