"""Python docstrings in Google, NumPy and Sphinx style, parsed by griffe's parsers.

Most docstrings are prose alone (Django: 28 of 3,911 have sections); those
are only converted from reST (``docsgen.generator.docstrings.rest``).  A
docstring with sections (``Args:``, a NumPy ``Parameters`` heading, Sphinx's
``:param x:``) is parsed by griffe's parser of its style, chosen per
docstring; griffe is imported the first time one is met, or beforehand by a
worker process as it starts (``load_parsers``).
"""

from __future__ import annotations

import functools
import logging
import re
from dataclasses import replace
from types import ModuleType
from typing import Any, Literal

from docsgen.generator.docstrings.model import DocComment, Field
from docsgen.generator.docstrings.rest import (
    Converted,
    indentation,
    inline,
    link_targets,
    to_markdown,
)

_SPHINX = re.compile(
    r"^\s*:(param|parameter|arg|argument|key|keyword|type|raises?|except|exception|returns?|"
    r"rtype|yields?|ytype|var|ivar|cvar|vartype)\b",
    re.M,
)
_NUMPY = re.compile(r"^\s*(Parameters|Returns|Yields|Raises|Examples?|Attributes|Other "
                    r"Parameters|Warns|See Also|Notes?|References|Receives|Methods)\s*\n\s*-{3,}"
                    r"\s*$", re.M)  # fmt: skip
_GOOGLE = re.compile(
    r"^\s*(Args|Arguments|Parameters|Params|Returns?|Raises|Yields?|Examples?|Attributes|"
    r"Keyword Args|Keyword Arguments|Other Parameters|Warns|Warnings?|Receives|Methods|Note|"
    r"Notes|Deprecated|See Also|Todo):\s*$",
    re.M,
)


Style = Literal["sphinx", "numpy", "google"]


def style_of(text: str) -> Style | None:
    """The docstring's style when it has sections: "sphinx", "numpy" or "google"."""
    if _SPHINX.search(text):
        return "sphinx"
    if _NUMPY.search(text):
        return "numpy"
    if _GOOGLE.search(text):
        return "google"
    return None


# Directives griffe's parsers do not keep (after a Sphinx field list they are dropped):
# taken out first and converted on their own.
_NOTE_DIRECTIVE = re.compile(
    r"^\.\.\s+(deprecated|versionadded|versionchanged|note|warning|seealso|tip|important|"
    r"caution|attention|danger|hint|admonition|todo)::"
)


def parse(text: str) -> DocComment:
    text = link_targets(text)
    style = style_of(text)
    if style is None:
        return _prose(to_markdown(text))
    text, directives = _take_directives(text)
    trailing = ""
    if style == "sphinx":
        text, trailing = _split_after_fields(text)
    else:  # a role in an ``Args:`` type, ``style (:class:`~x.Style`)``, would trip griffe
        text = inline(text)
    try:
        sections = _griffe_sections(text, style)
    except Exception:  # a docstring griffe cannot read is shown as prose
        logging.getLogger(__name__).debug("griffe could not parse a docstring", exc_info=True)
        return _prose(to_markdown(text))
    doc = _from_sections(sections)
    if trailing:
        after = to_markdown(trailing)
        description = "\n\n".join(x for x in (doc.description, after.markdown) if x)
        doc = replace(doc, description=description, notes=doc.notes + tuple(after.notes))
    if not directives:
        return doc
    extra = to_markdown("\n".join(directives))
    return replace(
        doc,
        notes=doc.notes + tuple(extra.notes),
        deprecated=extra.deprecated if extra.deprecated is not None else doc.deprecated,
    )


def _split_after_fields(text: str) -> tuple[str, str]:
    """A Sphinx docstring as its text with every field (``:param x:`` and its indented
    lines), and the prose written among or after the fields (a ``Usage::`` example),
    which would otherwise be read as the text of the field before it."""
    kept: list[str] = []
    moved: list[str] = []
    seen_field = in_field = False
    for line in text.split("\n"):
        if _SPHINX.match(line):
            seen_field = in_field = True
            kept.append(line)
        elif not seen_field:
            kept.append(line)
        elif in_field and (not line.strip() or line[:1].isspace()):
            kept.append(line)
        else:
            in_field = False
            moved.append(line)
    return "\n".join(kept), "\n".join(moved).strip("\n")


def _take_directives(text: str) -> tuple[str, list[str]]:
    """The text without its top-level note directives, and those directives."""
    kept: list[str] = []
    taken: list[str] = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        if _NOTE_DIRECTIVE.match(lines[i]):
            block = [lines[i]]
            i += 1
            while i < len(lines) and (not lines[i].strip() or lines[i][:1].isspace()):
                block.append(lines[i])
                i += 1
            taken.append("\n".join(block))
            continue
        kept.append(lines[i])
        i += 1
    return "\n".join(kept), taken


@functools.cache
def load_parsers() -> ModuleType:
    """griffe, imported once: by a worker as it starts, or at the first docstring with
    sections.

    Nearly every Python project has such a docstring; importing griffe then would
    cost the first run 0.07 s in each worker (and 4 MB, which it takes anyway).
    """
    import griffe

    logging.getLogger("griffe").setLevel(logging.ERROR)  # its warnings are about the docs
    return griffe


def _griffe_sections(text: str, style: Style) -> list[Any]:
    return list(load_parsers().Docstring(text, parser=style).parse())


_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_LIST_ITEM = re.compile(r"\s*(?:[-*+]|\d+[.)])\s")


def _quoted(summary: str, rest: str) -> bool:
    """Whether the text after the summary opens with a block indented deeper than the
    summary's last line (Django's ``Case``: its SQL), which stays a block as written; a
    quoted list reads as a list, and a docstring indented unevenly as prose."""
    opening = rest.partition("\n")[0]
    deeper = indentation(opening) > indentation(summary.rpartition("\n")[2])
    return deeper and not _LIST_ITEM.match(opening)


def _prose(converted: Converted, into: DocComment | None = None) -> DocComment:
    first, _, rest = converted.markdown.strip().partition("\n\n")
    rest = _BLANK_LINES.sub("", rest).rstrip()
    return DocComment(
        summary=first.strip(),
        description=rest if _quoted(first, rest) else rest.lstrip(),
        notes=tuple(converted.notes),
        deprecated=converted.deprecated,
    )


def _md(text: str | None) -> str:
    return to_markdown(text or "").markdown


def _fields(items: Any, name_attr: str = "name") -> tuple[Field, ...]:
    found = []
    for item in items:
        name = getattr(item, name_attr, None) or ""
        # A type written as a role (``:class:`~x.Y```) refers to a declaration.
        annotation = inline(str(item.annotation)) if item.annotation else None
        found.append(Field(str(name), annotation, _md(item.description)))
    return tuple(found)


def _from_sections(sections: list[Any]) -> DocComment:
    texts: list[str] = []
    notes: list[tuple[str, str]] = []
    fields: dict[str, list[Field]] = {k: [] for k in ("parameters", "returns", "yields",
                                                       "raises", "attributes")}  # fmt: skip
    examples: list[str] = []
    deprecated: str | None = None
    for section in sections:
        kind = section.kind.value
        if kind == "text":
            converted = to_markdown(section.value)
            texts.append(converted.markdown)
            notes += converted.notes
            deprecated = converted.deprecated if converted.deprecated is not None else deprecated
        elif kind in ("parameters", "other parameters"):
            fields["parameters"] += _fields(section.value)
        elif kind in ("returns", "yields"):
            fields[kind] += _fields(section.value)
        elif kind == "raises":
            fields["raises"] += [Field(str(r.annotation or ""), None, _md(r.description))
                                 for r in section.value]  # fmt: skip
        elif kind == "attributes":
            fields["attributes"] += _fields(section.value)
        elif kind == "examples":
            examples.append(_examples(section.value))
        elif kind == "deprecated":
            value = section.value
            version = f"Since version {value.version}. " if getattr(value, "version", "") else ""
            deprecated = version + _md(value.description)
        elif kind == "admonition":
            title = section.title or section.value.annotation or "Note"
            body = _md(section.value.description)
            if title.lower().startswith("example"):
                examples.append(body)
            elif title.lower().startswith("deprecated"):
                deprecated = body
            else:
                notes.append((str(title), body))
        else:  # warns, receives, functions, classes, modules...: shown as a note
            title = section.title or kind.capitalize()
            items = section.value if isinstance(section.value, list) else [section.value]
            body = "\n".join(f"- {getattr(i, 'name', '') or getattr(i, 'annotation', '')}: "
                             f"{_md(getattr(i, 'description', ''))}" for i in items)  # fmt: skip
            notes.append((str(title), body))
    text = "\n\n".join(t for t in texts if t)
    first, _, rest = text.strip().partition("\n\n")
    return DocComment(
        summary=first.strip(),
        description=rest.strip(),
        parameters=tuple(fields["parameters"]),
        returns=tuple(fields["returns"]),
        yields=tuple(fields["yields"]),
        raises=tuple(fields["raises"]),
        attributes=tuple(fields["attributes"]),
        examples=tuple(e for e in examples if e),
        notes=tuple(notes),
        deprecated=deprecated,
    )


def _examples(value: Any) -> str:
    parts = []
    for kind, text in value:
        if kind.value == "examples":
            parts.append(f"```python\n{text}\n```")
        else:
            parts.append(_md(text))
    return "\n\n".join(parts)
