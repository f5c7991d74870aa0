"""A README's code, Markdown or reStructuredText: its blocks and inline code, with their headings.

Getting Started quotes a README's commands and its first example, and the key
concepts count the names its code shows: all of them read the README here,
once.  Each block and each inline code span carries the headings it sits
under, outermost first, so a reader can look for the nearest one that tells a
purpose ("Installing", "Running the tests").

A README whose path ends in ``.rst`` is reStructuredText: its blocks are the
``code-block``, ``code`` and ``sourcecode`` directives (options such as
``:linenos:`` skipped), Sphinx's directives of code that runs (``testcode``
and ``jupyter-execute`` are Python, ``doctest`` a Python session, ``ipython``
an IPython one; ``testoutput`` is what such code prints) and literal blocks (a
paragraph ending in ``::``, then an indented block; their language is unknown,
``""``); its headings are titles
underlined, or over- and underlined, with any punctuation character, a style's
level being the order in which it is first met; its inline code is
``double-backquoted``.  Any other README is Markdown: fenced blocks, a fence
indented in a list item read without that indentation (as CommonMark does),
ATX and Setext headings, inline code in single backticks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class CodeBlock:
    line: int  # 1-based, the block's first line of code
    info: str  # the block's language, lowercased ("" when none)
    text: str  # from its first line of code, without the block's indentation
    headings: tuple[str, ...]  # the headings it sits under, outermost first

    @property
    def heading(self) -> str:
        """The nearest heading above the block ("" when none)."""
        return self.headings[-1] if self.headings else ""


@dataclass(frozen=True)
class InlineCode:
    line: int  # 1-based
    text: str
    headings: tuple[str, ...]


_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_ATX = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_MD_INLINE = re.compile(r"(?<!`)`([^`]+)`(?!`)")
_RST_INLINE = re.compile(r"(?<!`)``([^`]+)``(?!`)")
# A line of one punctuation character repeated: a reST title's underline or overline.
_RST_RULE = re.compile(r"^([!-/:-@\[-`{-~])\1* *$")
_RST_CODE = re.compile(
    r"^( *)\.\.\s+(code-block|code|sourcecode|testcode|doctest|testoutput|ipython|"
    r"jupyter-execute)::\s*(\S*)",
    re.IGNORECASE,
)
# The language of a directive that names none by its argument: what it runs, or prints.
_RST_DIRECTIVE_LANGUAGES = {
    "testcode": "python",
    "jupyter-execute": "python",
    "doctest": "pycon",
    "ipython": "ipython",
    "testoutput": "output",
}
_RST_OPTION = re.compile(r"^ +:[^:\s][^:]*:(\s|$)")
_RST_MARKUP = re.compile(r"^( *)\.\.(\s|$)")
_RST_COMMENT = re.compile(r"^( *)\.\.(\s*$|\s+(?!\[|_|\|)(?![\w.+:-]+::))")
_RST_LIST_ITEM = re.compile(r"^ *(?:[-*+•‣⁃]|\(?(?:\d+|[A-Za-z]|#)[.)]) +")
MIN_RST_RULE = 4  # a rule shorter than its title is still one from this length (as docutils)


def is_rst(path: str) -> bool:
    """Whether a README is reStructuredText, by its name."""
    return PurePosixPath(path).suffix.lower() in (".rst", ".rest")


def readme_code(text: str, path: str) -> Iterator[CodeBlock | InlineCode]:
    """The README's code blocks and inline code spans, in order."""
    if is_rst(path):
        return _rst(text.expandtabs(8).splitlines())
    return _markdown(text.splitlines())


def code_blocks(text: str, path: str) -> Iterator[CodeBlock]:
    """The README's code blocks, in order."""
    return (part for part in readme_code(text, path) if isinstance(part, CodeBlock))


class _Headings:
    """The headings above the current line: a new one replaces those of its level and below."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, title))

    def titles(self) -> tuple[str, ...]:
        return tuple(title for _, title in self._stack)


def _block(body: list[str], first_line: int, info: str, headings: _Headings) -> CodeBlock | None:
    """A block from its body lines (already without the block's indentation), or None when
    it holds no code; ``first_line`` is the 1-based line of ``body[0]``."""
    first = next((k for k, line in enumerate(body) if line.strip()), None)
    if first is None:
        return None
    text = "\n".join(body[first:]).rstrip()
    return CodeBlock(first_line + first, info.lower(), text, headings.titles())


def _inline(
    line: str, number: int, pattern: re.Pattern[str], headings: _Headings
) -> Iterator[InlineCode]:
    for span in pattern.finditer(line):
        yield InlineCode(number, span.group(1), headings.titles())


# -- Markdown ---------------------------------------------------------------------------


def _markdown(lines: list[str]) -> Iterator[CodeBlock | InlineCode]:
    headings = _Headings()
    i = 0
    while i < len(lines):
        fence = _fence(lines[i])
        if fence is not None:
            indent, marker, info = fence
            j = i + 1
            while j < len(lines) and not lines[j].strip().startswith(marker):
                j += 1
            body = [_unindent(line, indent) for line in lines[i + 1 : j]]
            block = _block(body, i + 2, info, headings)
            if block is not None:
                yield block
            i = j + 1
            continue
        heading = _markdown_heading(lines, i)
        if heading is not None:
            headings.enter(*heading)
        else:
            yield from _inline(lines[i], i + 1, _MD_INLINE, headings)
        i += 1


def _fence(line: str) -> tuple[int, str, str] | None:
    """An opening fence's indentation, marker and language; a backtick fence's info
    string holds no backtick (```` ```x``` ```` is inline code)."""
    m = _FENCE.match(line)
    if m is None or (m.group(2)[0] == "`" and "`" in m.group(3)):
        return None
    words = m.group(3).split()
    return len(m.group(1)), m.group(2), words[0] if words else ""


def _unindent(line: str, indent: int) -> str:
    """A fenced line without up to ``indent`` spaces: the fence's own indentation."""
    return line[min(indent, len(line) - len(line.lstrip(" "))) :]


def _markdown_heading(lines: list[str], i: int) -> tuple[int, str] | None:
    atx = _ATX.match(lines[i])
    if atx:
        return len(atx.group(1)), atx.group(2)
    if i + 1 < len(lines) and lines[i].strip() and not lines[i].startswith((" ", "\t")):
        under = lines[i + 1].strip()
        if re.fullmatch(r"=+", under) and len(under) >= 3:
            return 1, lines[i].strip()
        if re.fullmatch(r"-+", under) and len(under) >= 3:
            return 2, lines[i].strip()
    return None


# -- reStructuredText -------------------------------------------------------------------


def _rst(lines: list[str]) -> Iterator[CodeBlock | InlineCode]:
    headings = _Headings()
    styles: dict[tuple[str, bool], int] = {}  # a title style's level, in order first met
    i = 0
    while i < len(lines):
        line = lines[i]
        title = _rst_title(lines, i)
        if title is not None:
            style, text, consumed = title
            headings.enter(styles.setdefault(style, len(styles) + 1), text)
            i += consumed
            continue
        directive = _RST_CODE.match(line)
        if directive:
            indent = len(directive.group(1))
            j = i + 1
            while j < len(lines) and _RST_OPTION.match(lines[j]) and _indent(lines[j]) > indent:
                j += 1
            end = _indented_end(lines, j, indent)
            block = _block(_dedent(lines[j:end]), j + 1, _language(directive), headings)
            if block is not None:
                yield block
            i = end
            continue
        comment = _RST_COMMENT.match(line)
        if comment:
            i = _comment_end(lines, i)
            continue
        yield from _inline(line, i + 1, _RST_INLINE, headings)
        if line.rstrip().endswith("::") and not _RST_MARKUP.match(line):
            literal = _literal_block(lines, i, headings)
            if literal is not None:
                block, i = literal
                yield block
                continue
        i += 1


def _language(directive: re.Match[str]) -> str:
    """A code directive's language: ``code-block``'s argument; for Sphinx's directives of
    code that runs, the language they run (their argument is a group's name)."""
    name = directive.group(2).lower()
    return _RST_DIRECTIVE_LANGUAGES.get(name) or directive.group(3)


def _rst_title(lines: list[str], i: int) -> tuple[tuple[str, bool], str, int] | None:
    """The title at line ``i``: its style (character, overlined), text, lines taken."""
    rule = _RST_RULE.match(lines[i])
    if rule and i + 2 < len(lines):
        title, under = lines[i + 1].strip(), lines[i + 2].rstrip()
        if title and under == lines[i].rstrip() and _long_enough(under, title):
            return (rule.group(1), True), _unescape(title), 3
    if rule or not lines[i].strip() or lines[i].startswith(" ") or i + 1 >= len(lines):
        return None
    under_rule = _RST_RULE.match(lines[i + 1])
    before = lines[i - 1] if i else ""
    opens = not before.strip() or _RST_RULE.match(before) or _RST_MARKUP.match(before)
    title = lines[i].strip()
    if under_rule and opens and _long_enough(lines[i + 1].rstrip(), title):
        return (under_rule.group(1), False), _unescape(title), 2
    return None


def _long_enough(rule: str, title: str) -> bool:
    return len(rule) >= len(title) or len(rule) >= MIN_RST_RULE


def _unescape(title: str) -> str:
    """A title as it reads: reST's backslash escapes (``\\$ click\\_``) removed."""
    return re.sub(r"\\(.)", r"\1", title)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _indented_end(lines: list[str], start: int, indent: int) -> int:
    """Where the lines indented deeper than ``indent`` from ``start`` end (blank lines
    inside them kept, those after them not)."""
    end = j = start
    while j < len(lines):
        if lines[j].strip():
            if _indent(lines[j]) <= indent:
                break
            end = j + 1
        j += 1
    return end


def _dedent(body: list[str]) -> list[str]:
    depth = min((_indent(line) for line in body if line.strip()), default=0)
    return [line[depth:] for line in body]


def _comment_end(lines: list[str], i: int) -> int:
    """The line after a comment and its indented lines; a bare ``..`` before a blank line
    is a comment alone (what is indented after the blank line is a quote)."""
    if lines[i].strip() == ".." and (i + 1 >= len(lines) or not lines[i + 1].strip()):
        return i + 1
    return max(i + 1, _indented_end(lines, i + 1, _indent(lines[i])))


def _literal_block(lines: list[str], i: int, headings: _Headings) -> tuple[CodeBlock, int] | None:
    """The literal block after the paragraph whose last line, ``i``, ends in ``::``, and
    the line after it."""
    if i + 1 < len(lines) and lines[i + 1].strip():
        return None  # not the paragraph's last line
    item = _RST_LIST_ITEM.match(lines[i])
    indent = len(item.group()) if item else _indent(lines[i])
    j = i + 1
    while j < len(lines) and not lines[j].strip():
        j += 1
    if j == i + 1 or j >= len(lines) or _indent(lines[j]) <= indent:
        return None
    end = _indented_end(lines, j, indent)
    block = _block(_dedent(lines[j:end]), j + 1, "", headings)
    return (block, end) if block is not None else None
