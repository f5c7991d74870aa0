"""Comments and strings masked out of C-like source, so regexes see only code.

The facts extractors for JavaScript/TypeScript, Go, Rust and Java match
patterns such as ``process.env.X`` or ``import ... from "m"`` with regular
expressions.  Run on raw text they would also match inside comments and string
literals; run on the *masked* text they cannot: comments become spaces and the
content of every string literal becomes ``x`` (quotes kept, newlines kept), so
offsets and line numbers are those of the original.  A match then reads a
literal's real value from the original text at the same offsets.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_FILL = "x"
# How far ``call_arguments`` looks for the end of a call, in characters.
MAX_ARGUMENTS_SCAN = 20_000

# Where something other than plain code may start, per language.
_SPECIAL = {
    "js": re.compile(r"//|/\*|[\"'`/]"),
    "go": re.compile(r"//|/\*|[\"'`]"),
    "rust": re.compile(r"//|/\*|b?r#*\"|b?\"|'"),
    "java": re.compile(r"//|/\*|\"\"\"|[\"']"),
}
_JS_BRACES = re.compile(r"//|/\*|[\"'`/{}]")  # JavaScript's, within a template's ``${``
_DQ = re.compile(r'"(?:[^"\\\n]|\\[\s\S])*(?:"|$)', re.MULTILINE)
_SQ = re.compile(r"'(?:[^'\\\n]|\\[\s\S])*(?:'|$)", re.MULTILINE)
_RUST_STR = re.compile(r'b?"(?:[^"\\]|\\[\s\S])*(?:"|\Z)')
_RUST_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:u\{[0-9A-Fa-f]{1,6}\}|x[0-9A-Fa-f]{2}|[^\n]))'")
_GO_RUNE = re.compile(r"'(?:[^'\\\n]|\\[^\n]+?)'")
_JAVA_BLOCK = re.compile(r'"""[\s\S]*?(?:(?<!\\)"""|\Z)')
_JS_REGEX = re.compile(r"/((?:[^/\\\n\[]|\\[^\n]|\[(?:[^\]\\\n]|\\[^\n])*\])+)/[A-Za-z]*")
_TEMPLATE_PART = re.compile(r"(?:[^`\\$]|\\[\s\S]|\$(?!\{))*")
# A ``/`` after one of these (or at the start) opens a regular expression literal.
_REGEX_AFTER_CHARS = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_AFTER_WORDS = frozenset(
    {"return", "typeof", "case", "do", "else", "in", "of", "new", "delete", "void", "throw",
     "yield", "await", "instanceof"}
)  # fmt: skip
_LAST_WORD = re.compile(r"([A-Za-z_$][\w$]*)\s*$")


def leading(*words: str, not_after: str = r"[\w$.]") -> str:
    r"""A pattern of one of ``words`` (as written, tried in order) where no character of
    the class ``not_after`` is right before it: ``(?<![\w$.])(?:var|let)``, written with
    each word first.  A search for a pattern that starts with a word looks for the word;
    one that starts with a look-behind tries it at every character, several times slower.
    """
    return "(?:" + "|".join(f"{w}(?<!{not_after}{w})" for w in map(re.escape, words)) + ")"


def _blank(text: str) -> str:
    """Spaces for a comment, newlines kept so line numbers stay right."""
    return _every_character_but_newlines(text, " ")


def _fill(text: str) -> str:
    return _every_character_but_newlines(text, _FILL)


def _every_character_but_newlines(text: str, by: str) -> str:
    """``text`` with each character but a newline replaced by ``by``: what
    ``re.sub(r"[^\\n]", by, text)`` gives, without a pattern's work per character."""
    if "\n" not in text:
        return by * len(text)
    return "\n".join([by * len(line) for line in text.split("\n")])


@dataclass
class Masked:
    """The original text, its masked twin (same length) and a line index."""

    text: str
    code: str
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    def line(self, offset: int) -> int:
        """1-based line number of an offset."""
        return bisect.bisect_right(self._line_starts, offset)

    def literal(self, start: int, end: int) -> str:
        """A string literal's value: the original content between ``start`` and ``end``."""
        return unescape(self.text[start:end])

    def written_after(self, pattern: re.Pattern[str], end: int, group: str = "lit") -> str | None:
        """The original text of ``group`` where ``pattern`` matches the code right at
        ``end`` (a default written after a read), or None."""
        found = pattern.match(self.code, end)
        return None if found is None else self.text[found.start(group) : found.end(group)]


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\n": ""}


def unescape(raw: str) -> str:
    """Undo the simple backslash escapes every C-like language shares."""
    if "\\" not in raw:
        return raw
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), raw, flags=re.S)


def mask(text: str, language: str) -> Masked:
    """Mask comments and string contents of ``text`` written in ``language``.

    ``language`` is one of "js" (also TypeScript), "go", "rust", "java".  Never
    raises on odd input: an unterminated comment or string runs to the end.
    """
    special = _SPECIAL[language]
    out: list[str] = []
    pos = 0
    n = len(text)
    # JS template literals nest: each entry is the brace depth of an open ``${``.
    template_depths: list[int] = []
    while pos < n:
        # Braces matter only inside a template literal's ``${``: outside, they are code.
        m = (_JS_BRACES if template_depths else special).search(text, pos)
        if m is None:
            out.append(text[pos:])
            break
        start = m.start()
        out.append(text[pos:start])
        tok = m.group()
        if tok == "//":
            end = text.find("\n", start)
            end = n if end < 0 else end
            out.append(_blank(text[start:end]))
        elif tok == "/*":
            end = _block_comment_end(text, start, nested=language == "rust")
            out.append(_blank(text[start:end]))
        elif language == "js" and tok in "{}":
            end = start + 1
            if template_depths:
                if tok == "{":
                    template_depths[-1] += 1
                elif template_depths[-1] == 0:
                    # The ``}`` that closes a ``${``: back into the template literal.
                    template_depths.pop()
                    out.append(" ")
                    pos = _template_rest(text, end, out, template_depths)
                    continue
                else:
                    template_depths[-1] -= 1
            out.append(tok)
        elif language == "js" and tok == "`":
            out.append("`")
            pos = _template_rest(text, start + 1, out, template_depths)
            continue
        elif language == "js" and tok == "/":
            end = start + 1
            if _regex_may_start("".join(out[-8:])):
                rm = _JS_REGEX.match(text, start)
                if rm is not None:
                    end = rm.end()
                    body_end = rm.end(1)
                    out.append("/" + _fill(rm.group(1)) + text[body_end:end])
                    pos = end
                    continue
            out.append("/")
        else:
            end = _string_end(text, start, tok, language)
            if end <= start + 1 and tok == "'":
                # A Rust lifetime or a stray quote: plain code.
                out.append("'")
                end = start + 1
            else:
                out.append(_mask_literal(text[start:end], tok))
        pos = end
    code = "".join(out)
    if len(code) != len(text):  # pragma: no cover - a bug in the lexer, never the input
        raise AssertionError("masked text must keep every offset")
    return Masked(text, code)


def _block_comment_end(text: str, start: int, *, nested: bool) -> int:
    if not nested:
        end = text.find("*/", start + 2)
        return len(text) if end < 0 else end + 2
    depth = 0
    for m in re.compile(r"/\*|\*/").finditer(text, start):
        depth += 1 if m.group() == "/*" else -1
        if depth == 0:
            return m.end()
    return len(text)


def _regex_may_start(before: str) -> bool:
    stripped = before.rstrip()
    if not stripped:
        return True
    if stripped[-1] in _REGEX_AFTER_CHARS:
        return True
    word = _LAST_WORD.search(stripped)
    return word is not None and word.group(1) in _REGEX_AFTER_WORDS


def _template_rest(text: str, pos: int, out: list[str], depths: list[int]) -> int:
    """Mask a template literal from ``pos`` up to its end or its next ``${``."""
    m = _TEMPLATE_PART.match(text, pos)
    end = m.end() if m else pos
    out.append(_fill(text[pos:end]))
    if end >= len(text):
        return end
    if text[end] == "`":
        out.append("`")
        return end + 1
    if not text.startswith("${", end):  # a backslash ending the text: unterminated
        out.append(_fill(text[end:]))
        return len(text)
    # ``${``: the expression inside is code (the delimiters become spaces).
    out.append("  ")
    depths.append(0)
    return end + 2


def _string_end(text: str, start: int, tok: str, language: str) -> int:
    if language == "rust":
        if tok == "'":
            m = _RUST_CHAR.match(text, start)
            return m.end() if m else start + 1
        if "r" in tok:
            hashes = tok.count("#")
            close = '"' + "#" * hashes
            end = text.find(close, start + len(tok))
            return len(text) if end < 0 else end + len(close)
        m = _RUST_STR.match(text, start + (1 if tok.startswith("b") else 0))
        return m.end() if m else len(text)
    if language == "go":
        if tok == "`":
            end = text.find("`", start + 1)
            return len(text) if end < 0 else end + 1
        if tok == "'":
            m = _GO_RUNE.match(text, start)
            return m.end() if m else start + 1
    if language == "java" and tok == '"""':
        m = _JAVA_BLOCK.match(text, start)
        return m.end() if m else len(text)
    m = (_DQ if tok == '"' else _SQ).match(text, start)
    return m.end() if m else len(text)


def _mask_literal(literal: str, tok: str) -> str:
    """Keep the opening and closing delimiters, fill the content."""
    close = '"' + "#" * tok.count("#") if "r" in tok else ('"""' if tok == '"""' else tok[-1])
    opening = len(tok)
    if len(literal) >= opening + len(close) and literal.endswith(close):
        inner = literal[opening : len(literal) - len(close)]
        return literal[:opening] + _fill(inner) + close
    return literal[:opening] + _fill(literal[opening:])


def call_arguments(code: str, pos: int, *, first: bool = False) -> list[tuple[int, int]]:
    """Spans of the top-level arguments that follow ``pos``, up to the call's ``)``.

    With ``first`` the scan starts at the first argument; otherwise at the comma
    after the one already read.
    """
    spans: list[tuple[int, int]] = []
    depth = 0
    start = pos
    if not first:
        comma = re.compile(r"\s*,").match(code, pos)
        if comma is None:
            return spans
        start = comma.end()
    i = start
    limit = min(len(code), start + MAX_ARGUMENTS_SCAN)
    while i < limit:
        c = code[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                if code[start:i].strip():
                    spans.append((start, i))
                return spans
            depth -= 1
        elif c == "," and depth == 0:
            spans.append((start, i))
            start = i + 1
        i += 1
    return []


def matching_bracket(code: str, at: int, opening: str, closing: str) -> int | None:
    """The offset of the bracket that closes the one at ``at`` in masked ``code`` (its
    strings and comments blanked, so only real brackets count)."""
    depth = 0
    pattern = re.compile(re.escape(opening) + "|" + re.escape(closing))
    for found in pattern.finditer(code, at):
        depth += 1 if found.group() == opening else -1
        if depth == 0:
            return found.start()
    return None
