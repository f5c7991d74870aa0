"""Doc comments written in Markdown by convention: rustdoc and Go doc comments.

rustdoc: the conventional sections ``# Examples``, ``# Errors``, ``# Panics``
and ``# Safety``; code blocks are Rust unless they say otherwise; intra-doc
links (``[`Value`]``, ``[text](crate::Value)``) name declarations.

Go: paragraphs, indented code blocks, ``# Heading`` lines (and the older
headings: a line of its own between paragraphs, capitalised, without
punctuation), ``[Name]`` links and a ``Deprecated:`` paragraph
(go.dev/doc/comment).
"""

from __future__ import annotations

import re
import textwrap

from docsgen.generator.docstrings.model import DocComment, ref

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_RUST_LINK = re.compile(r"\[`([^\]`]+)`\](?!\(|\[)")  # [`Value`]
_LINK_DEFINITION = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*(\S+)\s*$", re.M)
_REFERENCE_LINK = re.compile(r"\[([^\]]+)\]\[([^\]]*)\]|\[([^\]]+)\](?!\(|\[|:)")
_RUST_PATH_LINK = re.compile(r"\[([^\]]+)\]\((?!https?:|mailto:|#|/|\.)([\w:]+)\)")
# A link to a page rustdoc writes (``struct.Key.html``, ``../log/fn.logger.html#examples``):
# the item it documents, which these docs hold under its name.
_RUST_PAGE = (
    r"(?:\.{1,2}/)*(?P<folders>(?:\w+/)*)"
    r"(?P<kind>struct|enum|trait|fn|macro|type|constant|static|union|derive|attr)\.(?P<item>\w+)"
    r"\.html(?:#[\w.\-]*)?"
)
_RUST_PAGE_TARGET = re.compile(f"^{_RUST_PAGE}$")
_RUST_PAGE_LINK = re.compile(rf"\[([^\]]+)\]\((?P<page>{_RUST_PAGE})\)")
_RUST_SECTIONS = {"examples": "Examples", "example": "Examples", "errors": "Errors",
                  "panics": "Panics", "safety": "Safety"}  # fmt: skip
_RUST_BLOCK_ATTRIBUTES = frozenset({"", "ignore", "no_run", "should_panic", "compile_fail",
                                    "edition2018", "edition2021", "rust"})  # fmt: skip
_GO_LINK = re.compile(r"\[(\*?[A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\](?!\()")


def _split_paragraph(text: str) -> tuple[str, str]:
    first, _, rest = text.strip().partition("\n\n")
    return first.strip(), rest.strip()


def _links(text: str) -> str:
    """Reference-style links (``[text][label]``, ``[label]``) with their definitions
    (``[label]: crate::Value``) made into references, or plain links for URLs."""
    definitions = {
        m.group(1).strip("`").lower(): m.group(2) for m in _LINK_DEFINITION.finditer(text)
    }
    if not definitions:
        return text
    text = _LINK_DEFINITION.sub("", text)

    def replace(match: re.Match[str]) -> str:
        shown = match.group(1) or match.group(3)
        label = (match.group(2) or shown if match.group(1) else match.group(3)) or ""
        target = definitions.get(label.strip("`").lower())
        if target is None:
            return match.group(0)
        page = _RUST_PAGE_TARGET.match(target)
        if page is not None:
            return ref(_page_item(page), shown)
        if re.match(r"^(https?:|mailto:|#|/|\.)", target):
            return f"[{shown}]({target})"
        return ref(target, shown)

    return _REFERENCE_LINK.sub(replace, text)


def _page_item(page: re.Match[str]) -> str:
    """``kv/struct.Value.html`` -> ``kv::Value``; a macro's page ``::log``: only a
    documented name ending that way, not a module of its name (log's ``log!``)."""
    path = "::".join([*page["folders"].split("/")[:-1], page["item"]])
    return f"::{path}" if page["kind"] == "macro" else path


def rustdoc(text: str) -> DocComment:
    text = _links(text)
    prose: list[str] = []
    sections: dict[str, list[str]] = {}
    current = prose
    fence: str | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```"):
            if fence is None:
                fence = stripped[:3]
                attributes = stripped[3:].strip()
                if set(attributes.replace(",", " ").split()) <= _RUST_BLOCK_ATTRIBUTES:
                    line = line.replace(stripped, "```rust")
            else:
                fence = None
            current.append(line)
            continue
        heading = _HEADING.match(line) if fence is None else None
        if heading is not None:
            title = heading.group(1).strip()
            key = _RUST_SECTIONS.get(title.lower())
            if key is not None:
                current = sections.setdefault(key, [])
                continue
            current.append(f"**{title}**")
            continue
        if fence is None:
            line = _RUST_PAGE_LINK.sub(lambda m: ref(_page_item(m), m.group(1)), line)
            line = _RUST_PATH_LINK.sub(lambda m: ref(m.group(2), m.group(1)), line)
            line = _RUST_LINK.sub(lambda m: ref(m.group(1), f"`{m.group(1)}`"), line)
        elif _is_rust_setup(line):
            continue
        current.append(line)
    text = "\n".join(prose).strip()
    # A doc that opens with a title (``# Serde JSON``) is summed up by its first prose.
    title = re.match(r"^\*\*[^\n]*\*\*\s*(\n\s*\n|$)", text)
    first, rest = _split_paragraph(text[title.end() :] if title else text)
    if title and not first:
        first = title.group(0).strip()
    examples = "\n".join(sections.pop("Examples", [])).strip()
    notes = tuple((title, "\n".join(lines).strip()) for title, lines in sections.items())
    return DocComment(summary=first, description=rest,
                      examples=(examples,) if examples else (), notes=notes)  # fmt: skip


def _is_rust_setup(line: str) -> bool:
    """rustdoc hides the lines of an example that start with ``# `` (setup code)."""
    stripped = line.lstrip()
    return stripped == "#" or stripped.startswith("# ")


def godoc(text: str) -> DocComment:
    out: list[str] = []
    deprecated: str | None = None
    paragraphs = re.split(r"\n\s*\n", text.strip())
    for number, paragraph in enumerate(paragraphs):
        lines = paragraph.split("\n")
        if paragraph.startswith("Deprecated:"):
            deprecated = " ".join(paragraph.removeprefix("Deprecated:").split())
            continue
        if all(line.startswith(("\t", "  ")) or not line.strip() for line in lines):
            if all(re.match(r"^\s+([-*+]|\d+[.)])\s", line) for line in lines if line.strip()):
                out.append("\n".join(line.strip() for line in lines))  # a list
            else:
                out.append(f"```go\n{textwrap.dedent(paragraph)}\n```")
            continue
        heading = re.match(r"^#\s+(\S.*)$", paragraph)
        if heading is not None and len(lines) == 1:
            out.append(f"**{heading.group(1)}**")
            continue
        following = paragraphs[number + 1] if number + 1 < len(paragraphs) else ""
        if number and following[:1].strip() and _is_old_go_heading(paragraph):
            out.append(f"**{paragraph}**")
            continue
        out.append(_GO_LINK.sub(lambda m: ref(m.group(1).lstrip("*"), f"`{m.group(1)}`"),
                                paragraph))  # fmt: skip
    first, rest = _split_paragraph("\n\n".join(out))
    return DocComment(summary=first, description=rest, deprecated=deprecated)


_GO_HEADING_CHARACTERS = re.compile(r"[;:!?+*/=\[\]{}_^°&§~%#@<\">\\]")


def _is_old_go_heading(paragraph: str) -> bool:
    """go/doc/comment's older heading: one unindented line, starting with a capital
    letter and ending in a letter or digit, with no punctuation but ``(),``, ``'s`` and
    a ``.`` inside a word (``Adding context to an error``)."""
    line = paragraph.strip()
    if "\n" in line or paragraph[:1].isspace() or not line[:1].isupper():
        return False
    if not line[-1:].isalnum() or _GO_HEADING_CHARACTERS.search(line):
        return False
    after_quotes = line.split("'")[1:]
    if any(a != "s" and not a.startswith("s ") for a in after_quotes):
        return False
    return all(a and not a.startswith(" ") for a in line.split(".")[1:])
