"""reStructuredText, as docstrings use it, turned into Markdown.

Docstrings are written in reST (Sphinx projects), Markdown (mkdocs projects)
or plain prose; all of them read as Markdown once reST's own markup is
rewritten: roles (``:class:`~rich.table.Table```) become references to the
declarations they name, double-backquoted literals become code, ``::`` and
``.. code-block::`` blocks and doctests become fenced code, directives
(``.. note::``, ``.. versionchanged::``, ``.. deprecated::``) become notes.
Everything else is the author's text and stays as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise

from docsgen.generator.docstrings.model import ref

# Roles that name a Python object (Sphinx's Python domain, with or without "py:").
_OBJECT_ROLES = frozenset(
    {"class", "func", "meth", "attr", "mod", "obj", "data", "exc", "const", "type",
     "function", "method", "attribute", "module", "exception"}
)  # fmt: skip
# A role, its content in backquotes; doubled ones (``:class:``Table````, a slip Sphinx
# shows raw) are read as the role the author meant.
_ROLE = re.compile(r":(?:py:)?([\w-]+):(``?)([^`]+)\2(?!`)")
_LITERAL = re.compile(r"``(.+?)``")
_LINK = re.compile(r"`([^`<]+?)\s*<([^>`]+)>`__?")
_NAMED = re.compile(r"`([^`]+)`__?(?=\W|$)")
# reST's escape right after inline markup lets a word go on at once: ``:class:`Option`\s``
# reads "Options", and a backslash before a space joins without the space.  Both go; an
# escaped punctuation mark stays, as Markdown reads it alike.
_ESCAPE_AFTER_MARKUP = re.compile(r"(?<=`)\\(?: |(?=\w))")
_DIRECTIVE = re.compile(r"^(\s*)\.\.\s+([\w-]+)::\s*(.*)$")
_HEADING_UNDERLINE = re.compile(r"^([=\-~^\"'`#*+])\1{2,}\s*$")
# What each of ``to_markdown``'s rewritten lines holds: ``::`` (a directive or a literal
# block), ``>>>`` (a doctest), a heading's underline, or a line indented under one after a
# blank line (a definition list's term).
_BLOCK_MARKUP = re.compile(r"::|>>>|([=\-~^\"'`#*+])\1\1|\n[ \t]*\n[^\n]*\S[^\n]*\n[ \t]+\S")
# A hyperlink target (``.. _printf-style: https://...``, its address may go on below), and
# a reference to one (```printf-style`_``).
_TARGET = re.compile(r"^(\s*)\.\.\s+_([^:`]+|`[^`]+`):\s*(\S*)\s*$")
_TARGET_REFERENCE = re.compile(r"`([^`<\[\]]+)`_(?!_)(?=\W|$)")
_WEB_ADDRESS = re.compile(r"^https?://[^\s()<>]+$")
NOTE_TITLES = {
    "note": "Note", "warning": "Warning", "tip": "Tip", "important": "Important",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "hint": "Hint",
    "seealso": "See also", "versionadded": "Added in version", "versionchanged":
    "Changed in version", "todo": "To do",
}  # fmt: skip
_CODE_DIRECTIVES = frozenset({"code-block", "code", "sourcecode", "doctest", "testcode"})


@dataclass
class Converted:
    """A reST text as Markdown, with what its directives say apart."""

    markdown: str
    notes: list[tuple[str, str]] = field(default_factory=list)
    deprecated: str | None = None


def inline(text: str) -> str:
    """reST inline markup as Markdown: roles, literals and links."""
    if "`" not in text:  # each of them holds a backquote
        return text
    if "`\\" in text:
        text = _ESCAPE_AFTER_MARKUP.sub("", text)

    def role(match: re.Match[str]) -> str:
        name, content = match.group(1), match.group(3)
        if name in _OBJECT_ROLES:
            shown, _, target = content.partition("<")
            if target:  # :class:`the table <rich.table.Table>`
                return ref(target.rstrip(">").strip().lstrip("~!"), shown.strip())
            target = content.lstrip("!")
            if target.startswith("~"):
                target = target[1:]
                return ref(target, target.rpartition(".")[2])
            # A leading dot asks Sphinx to search the current scope first; it is not shown.
            return ref(target, target.lstrip(".") or target)
        if name in ("pep", "PEP"):
            return f"PEP {content}"
        if name in ("rfc", "RFC"):
            return f"RFC {content}"
        shown = content.partition("<")[0].strip() or content
        return f"`{shown}`" if name in ("code", "samp", "file", "envvar", "option") else shown

    text = _ROLE.sub(role, text)
    text = _LITERAL.sub(lambda m: "`" + m.group(1) + "`", text)
    text = _LINK.sub(lambda m: f"[{m.group(1).strip()}]({m.group(2).strip()})", text)
    return _NAMED.sub(lambda m: m.group(1), text) if "`_" in text else text


def to_markdown(text: str) -> Converted:
    """A docstring's reST as Markdown; directives' notes and deprecation taken apart."""
    converted = Converted("")
    if not _BLOCK_MARKUP.search(text):  # most docs: no line below is rewritten
        converted.markdown = _inline_outside_code(text.strip("\n"))
        return converted
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = _DIRECTIVE.match(line)
        if directive is not None:
            indent, name, argument = directive.groups()
            body, i = _indented_block(lines, i + 1, len(indent))
            _directive(name.lower(), argument.strip(), body, out, converted)
            continue
        if line.rstrip().endswith("::") and not line.strip().startswith(".."):
            body, after = _indented_block(lines, i + 1, indentation(line))
            if body.strip():
                head = line.rstrip()[:-2].rstrip()
                if head:
                    out.append(inline(head) + (":" if not head.endswith(":") else ""))
                out += ["", _fence(body, "python" if _looks_python(body) else ""), ""]
                i = after
                continue
        if line.lstrip().startswith(">>>") and not _in_fence(out):
            block, i = _doctest(lines, i)
            out += [_fence(block, "python"), ""]
            continue
        if i + 1 < len(lines) and line.strip() and _HEADING_UNDERLINE.match(lines[i + 1]) \
                and len(lines[i + 1].strip()) >= len(line.strip()):  # fmt: skip
            out.append(f"**{inline(line.strip())}**")
            i += 2
            continue
        if _is_definition_term(lines, i) and not _in_fence(out):
            body, after = _indented_block(lines, i + 1, indentation(line))
            # A definition ends at a blank line; Django's ``Case`` has SQL, laid out as code.
            if (after < len(lines) and lines[after - 1].strip()) or _laid_out(body):
                out.append(line)
                i += 1
                continue
            i = after
            definition = to_markdown(body)
            out += [_definition_item(line.strip(), _with_notes(definition)), ""]
            continue
        out.append(line)
        i += 1
    converted.markdown = _inline_outside_code("\n".join(out).strip("\n"))
    return converted


def link_targets(text: str) -> str:
    """A docstring without its hyperlink targets (``.. _printf-style: https://...``), each
    reference to one (```printf-style`_``) a Markdown link to its web address.  Done
    first, on the whole docstring: a target is often written after the sections
    (attrs's ``assoc``), which are read apart."""
    if ".. _" not in text:
        return text
    lines = text.split("\n")
    kept: list[str] = []
    targets: dict[str, str] = {}
    i = 0
    while i < len(lines):
        target = _TARGET.match(lines[i])
        if target is None:
            kept.append(lines[i])
            i += 1
            continue
        rest, i = _indented_block(lines, i + 1, len(target.group(1)))
        targets[target.group(2).strip("`").lower()] = target.group(3) + "".join(rest.split())

    def link(match: re.Match[str]) -> str:
        address = targets.get(match.group(1).lower(), "")
        return f"[{match.group(1)}]({address})" if _WEB_ADDRESS.match(address) else match.group(0)

    return _TARGET_REFERENCE.sub(link, "\n".join(kept)) if targets else text


def _inline_outside_code(markdown: str) -> str:
    """``inline`` over the text between fenced code blocks (a role may span lines)."""
    if "```" not in markdown:  # most docs: one part
        return _plain_dunders(inline(markdown))
    parts = _FENCED.split(markdown)
    return "".join(
        part if part.startswith("```") else _plain_dunders(inline(part)) for part in parts
    )


# A dunder name in prose (``__init__``), which Markdown would show as "init" in bold and
# reST as written; and what to leave alone: code, a link's target, a reference placeholder.
_DUNDER = re.compile(r"(`[^`]*`|\]\([^)]*\)|\x02[^\x02]*\x02)|(?<![\w\\])__(\w+?)__(?!\w)")


def _plain_dunders(markdown: str) -> str:
    """Dunder names in prose escaped, so that they read as written."""
    if "__" not in markdown:
        return markdown
    return _DUNDER.sub(lambda m: m.group(1) or f"\\_\\_{m.group(2)}\\_\\_", markdown)


_FENCED = re.compile(r"(^```[^\n]*\n.*?^```$)", re.M | re.S)


def _directive(name: str, argument: str, body: str, out: list[str], converted: Converted) -> None:
    if name in _CODE_DIRECTIVES:
        language = argument.split()[0] if argument else ("python" if _looks_python(body) else "")
        out += ["", _fence(body, language), ""]
    elif name == "deprecated":
        words = inline(" ".join(body.split()))
        converted.deprecated = (f"Since version {argument}. " if argument else "") + words
    elif name in NOTE_TITLES:
        title = NOTE_TITLES[name] + (f" {argument}" if name.startswith("version") else "")
        if name.startswith("version"):
            content = inline(" ".join(body.split()))
        else:
            content = to_markdown(body).markdown
        if name == "seealso" and argument:
            content = inline(argument) + ("\n\n" + content if content else "")
        converted.notes.append((title.strip(), content))
    elif name in ("image", "figure", "raw", "include", "autoclass", "automodule",
                  "autofunction", "toctree", "only", "index", "highlight"):  # fmt: skip
        return  # nothing a reader of the API Reference can use
    elif name == "admonition":
        converted.notes.append((inline(argument) or "Note", to_markdown(body).markdown))
    else:  # another directive: its content as text, under its argument
        if argument:
            out.append(f"**{inline(argument)}**")
        if body.strip():
            out += ["", to_markdown(body).markdown, ""]


def _indented_block(lines: list[str], start: int, indent: int) -> tuple[str, int]:
    """The block indented deeper than ``indent`` from ``start`` (blank lines inside it
    kept), dedented, and the index after it."""
    block: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.strip() and indentation(line) <= indent:
            break
        block.append(line)
        i += 1
    while block and not block[-1].strip():
        block.pop()
    while block and not block[0].strip():
        block.pop(0)
    depth = min((len(x) - len(x.lstrip()) for x in block if x.strip()), default=0)
    return "\n".join(x[depth:] for x in block), i


def _is_definition_term(lines: list[str], i: int) -> bool:
    """Whether line ``i`` is the term of a reST definition list (``Environment``'s
    parameters): after a blank line, its definition indented deeper on the next line.
    Left as written, Markdown would show an indented list as code.  A line that opens a
    list item, a field, a table or a block of code is no term."""
    line = lines[i]
    if not line.strip() or i + 1 >= len(lines) or not lines[i + 1].strip():
        return False
    # A docstring's first line is not indented as the lines after it are.
    if i == 0 or lines[i - 1].strip():
        return False
    deeper = indentation(lines[i + 1]) > indentation(line)
    return deeper and not _NOT_TERM.search(_ROLE.sub("x", line))


# What opens a list item, a field, a doctest, a table or a quote, and what ends a line of
# code (``with x as y:``, ``f(x)``): not a term.
_NOT_TERM = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|#\.?\s|:|>>>|\||\.\.\s|>)|[:(=\[{]|[:,;]\s*$")


def _with_notes(converted: Converted) -> str:
    """A definition's text with its own notes after it: jinja2's "Added in version 2.7"
    under one parameter of ``Environment`` says nothing among the class's notes."""
    notes = [f"**{title}.** {text}".rstrip() for title, text in converted.notes]
    if converted.deprecated is not None:
        notes.insert(0, f"**Deprecated.** {converted.deprecated}".rstrip())
    return "\n\n".join(x for x in (converted.markdown, *notes) if x)


def _definition_item(term: str, definition: str) -> str:
    """A definition as a Markdown list item: its term, then what defines it."""
    first, _, rest = definition.partition("\n")
    if first.startswith(("```", "- ", "* ")) or not first:
        first, rest = "", definition
    head = f"- {term}" + (f": {first}" if first else "")
    following = "\n".join(f"  {x}" if x.strip() else "" for x in rest.split("\n")) if rest else ""
    return head + ("\n" + following if following else "")


def _laid_out(body: str) -> bool:
    """Whether a line of ``body`` is indented deeper than the line right above it, as code
    and diagrams are and a definition's prose is not."""
    lines = body.split("\n")
    return any(
        above.strip()
        and line.strip()
        and indentation(line) > indentation(above)
        and not above.rstrip().endswith("::")
        and not _DIRECTIVE.match(above)
        for above, line in pairwise(lines)
    )


def indentation(line: str) -> int:
    """How many whitespace characters open ``line``."""
    return len(line) - len(line.lstrip())


def _doctest(lines: list[str], start: int) -> tuple[str, int]:
    """A doctest: its ``>>>`` and ``...`` lines and the output up to a blank line."""
    block = []
    i = start
    depth = len(lines[start]) - len(lines[start].lstrip())
    while i < len(lines) and lines[i].strip():
        block.append(lines[i][depth:] if lines[i][:depth].isspace() else lines[i].lstrip())
        i += 1
    return "\n".join(block), i


def _fence(code: str, language: str) -> str:
    ticks = "```"
    while ticks in code:
        ticks += "`"
    return f"{ticks}{language}\n{code}\n{ticks}"


def _in_fence(out: list[str]) -> bool:
    return sum(1 for line in out if line.lstrip().startswith("```")) % 2 == 1


def _looks_python(code: str) -> bool:
    return bool(re.search(r"^\s*(>>>|def |class |import |from \w+ import |@\w)", code, re.M))
