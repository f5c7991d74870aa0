"""A doc comment as the Markdown of an API entry, next to its signature.

Deprecation first, where it cannot be missed; then the summary and the
description as the author wrote them; a parameters table that joins the
signature (name, type, default) with the documentation (description); what
is returned, yielded and raised; examples as code; notes.  A documented
parameter the signature does not have is flagged (⚠️): the documentation
is out of date, or describes what ``**kwargs`` takes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from docsgen.generator.analysis.file_analysis import Parameter
from docsgen.generator.docstrings.model import REF_OPEN, DocComment, Field
from docsgen.generator.markdown import WARNING_SIGN, code
from docsgen.generator.markdown.cells import cell_code

_SKIPPED_PARAMETERS = frozenset({"self", "cls"})


@dataclass
class Rendered:
    markdown: str
    warnings: list[str] = field(default_factory=list)


def render(doc: DocComment, parameters: Sequence[Parameter] = (), loose: bool = False) -> Rendered:
    """The entry's Markdown; ``loose``: the language lets a function take arguments its
    signature does not name (JavaScript's ``arguments``), so a parameter documented but
    not declared is no error."""
    out = Rendered("")
    parts: list[str] = []
    if doc.deprecated is not None:
        parts.append("> **Deprecated.**" + (f" {_one_block(doc.deprecated)}" if doc.deprecated
                                             else ""))  # fmt: skip
    if doc.summary:
        parts.append(_demote_headings(doc.summary))
    if doc.description:
        parts.append(_demote_headings(doc.description))
    table = _parameters(doc.parameters, parameters, out, loose)
    if table:
        parts.append(table)
    for title, fields in (("Returns", doc.returns), ("Yields", doc.yields)):
        if fields:
            parts.append(_returns(title, fields))
    if doc.raises:
        parts.append("**Raises**\n\n" + "\n".join(
            f"- {code(f.name) if f.name else ''}" + (f": {_cell_text(f.description)}"
                                                     if f.description else "")
            for f in doc.raises
        ))  # fmt: skip
    if doc.attributes:
        parts.append("**Attributes**\n\n" + "\n".join(
            f"- {code(f.name)}" + (f" ({code(f.type)})" if f.type else "")
            + (f": {_cell_text(f.description)}" if f.description else "")
            for f in doc.attributes
        ))  # fmt: skip
    for example in doc.examples:
        parts.append("**Example**\n\n" + _demote_headings(example))
    for title, text in doc.notes:
        parts.append(f"**{title}.** " + _demote_headings(text) if text else f"**{title}.**")
    out.markdown = "\n\n".join(p for p in parts if p.strip())
    return out


def parameters_table(
    documented: Sequence[Field], declared: Sequence[Parameter], also: Sequence[Field] = ()
) -> Rendered:
    """The parameters table alone, as ``render`` makes it; ``also``: descriptions of the
    declared parameters ``documented`` leaves out (a base ``__init__``'s, for a class
    constructed with it)."""
    out = Rendered("")
    out.markdown = _parameters(documented, declared, out, False, also)
    return out


def _parameters(
    documented: Sequence[Field], declared: Sequence[Parameter], out: Rendered, loose: bool,
    also: Sequence[Field] = (),
) -> str:  # fmt: skip
    """The parameters table, when the documentation describes any parameter."""
    if not documented:
        return ""
    # ``\\*\\*kwargs`` (reST escapes its stars), ``**kwargs``, ``kwargs`` and JSDoc's
    # ``...rest`` and ``rest...`` name one parameter.
    described = {_plain_name(f.name): f for f in documented}
    elsewhere = {_plain_name(f.name): f for f in also}
    rows = []
    for p in declared:
        if p.name in _SKIPPED_PARAMETERS:
            continue
        doc = described.pop(p.name, None) or elsewhere.get(p.name)
        shown = {"var-positional": "*", "var-keyword": "**"}.get(p.kind, "") + p.name
        kind = p.annotation or (doc.type if doc else None)
        rows.append((cell_code(shown), _type_cell(kind),
                     cell_code(p.default) if p.default is not None else "",
                     _cell_text(doc.description) if doc else ""))  # fmt: skip
    catch_all = next((p.name for p in declared if p.kind == "var-keyword"), None)
    names = {p.name for p in declared}
    for name, doc in described.items():
        if name.partition(".")[0] in names:
            note = ""  # a property of a parameter: ``options.combine``
        elif catch_all is not None:
            note = f"(passed in {code('**' + catch_all)})"
        elif loose:
            note = "(not named in the signature)"
        else:
            note = f"{WARNING_SIGN} documented, but the signature has no such parameter:"
            out.warnings.append(f"{code(name)} is documented but is not a parameter")
        described_text = _cell_text(doc.description)
        rows.append((cell_code(name), _type_cell(doc.type), "",
                     f"{note} {described_text}".strip()))  # fmt: skip
    if not rows:
        return ""
    lines = ["**Parameters**", "", "| Name | Type | Default | Description |",
             "|---|---|---|---|"]  # fmt: skip
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    return "\n".join(lines)


def _plain_name(name: str) -> str:
    return name.replace("\\", "").strip("*.").removesuffix("...")


def _returns(title: str, fields: Sequence[Field]) -> str:
    items = []
    for f in fields:
        head = " ".join(x for x in (code(f.name) if f.name else "",
                                    code(f.type) if f.type else "") if x)  # fmt: skip
        text = _cell_text(f.description)
        items.append(f"{head}: {text}" if head and text else head or text)
    if len(items) == 1:
        return f"**{title}** {items[0]}"
    return f"**{title}**\n\n" + "\n".join(f"- {i}" for i in items)


def _type_cell(kind: str | None) -> str:
    """A type in a table cell: code, or as written when it refers to declarations (a
    documented type written ``:class:`~x.Y``` becomes a link)."""
    if not kind:
        return ""
    if REF_OPEN in kind:
        return _cell_text(kind)
    return cell_code(kind)


def _cell_text(markdown: str) -> str:
    """Prose on one line, fit for a table cell or a list item: pipes escaped."""
    return " ".join(markdown.split()).replace("|", "\\|")


def _one_block(markdown: str) -> str:
    return " ".join(markdown.split())


def _demote_headings(markdown: str) -> str:
    """Headings in a doc become bold lines: the entry's own heading is the deepest level
    the page structure allows, and a doc's ``# Title`` must not outrank it."""
    out: list[str] = []
    fence = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        if not fence:
            heading = _ATX.match(line)
            if heading is not None:
                line = f"**{heading.group(1)}**"
            elif _SETEXT.match(line) and out and out[-1].strip() and not _LIST.match(out[-1]):
                out[-1] = f"**{out[-1].strip()}**"  # a heading underlined with === or ---
                continue
        out.append(line)
    return "\n".join(out)


_ATX = re.compile(r"^ {0,3}#{1,6}\s+(.+?)\s*#*\s*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)\s*$")
_LIST = re.compile(r"^\s*([-*+]|\d+[.)])\s")
