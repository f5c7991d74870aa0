"""Doc comments with block tags: JSDoc, TSDoc and Javadoc.

The prose before the first block tag is the description (Markdown in JSDoc
and TSDoc; Javadoc's HTML is mostly simple tags, turned into Markdown); then
``@param``, ``@returns``/``@return``, ``@throws``/``@exception``,
``@example``, ``@deprecated``, ``@see`` and the rest.  Inline ``{@link X}``
becomes a reference to ``X``, ``{@code x}`` code.
"""

from __future__ import annotations

import re

from docsgen.generator.docstrings.model import DocComment, Field, ref

_BLOCK_TAG = re.compile(r"^\s*@(\w+)\b\s?(.*)$")
_INLINE_LINK = re.compile(r"\{@(link|linkcode|linkplain|code|literal)\s+([^}]*)\}")
_HTML = [
    (re.compile(r"</?p\s*/?>", re.I), "\n\n"),
    (re.compile(r"<br\s*/?>", re.I), "\n"),
    (re.compile(r"</?(b|strong)>", re.I), "**"),
    (re.compile(r"</?(i|em)>", re.I), "*"),
    (re.compile(r"</?(code|tt)>", re.I), "`"),
    (re.compile(r"<li>\s*", re.I), "\n- "),
    (re.compile(r"</li>|</?ul>|</?ol>", re.I), "\n"),
    (re.compile(r"<pre>\s*", re.I), "\n```\n"),
    (re.compile(r"\s*</pre>", re.I), "\n```\n"),
]


def inline(text: str) -> str:
    def tag(match: re.Match[str]) -> str:
        kind, content = match.group(1), match.group(2).strip()
        if kind in ("code", "literal"):
            return f"`{content}`"
        target = re.split(r"[\s|]", content, maxsplit=1)[0]
        label = content[len(target) :].strip(" |")
        return ref(target.replace("#", "."), label or target.rpartition("#")[2] or target)

    return _INLINE_LINK.sub(tag, text)


# A block tag written after other text on its line (``/** Adds. @param a first */``).
_TAG_MID_LINE = re.compile(
    r"(?<=\S)[ \t]+(@(?:param|arg|argument|returns?|throws|exception|example|deprecated|see|"
    r"since|typeparam|template|remarks|default|defaultValue)\b)"
)


def parse(text: str, html: bool = False) -> DocComment:
    """A JSDoc/TSDoc comment (``html=False``) or a Javadoc one (``html=True``)."""
    text = _TAG_MID_LINE.sub(lambda m: "\n" + m.group(1), text)
    if html:
        for pattern, replacement in _HTML:
            text = pattern.sub(replacement, text)
        text = re.sub(r"\n{3,}", "\n\n", text)
    prose: list[str] = []
    tags: list[tuple[str, list[str]]] = []
    fenced = False
    for line in text.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        match = None if fenced else _BLOCK_TAG.match(line)
        if match is not None:
            tags.append((match.group(1).lower(), [match.group(2)]))
        elif tags:
            tags[-1][1].append(line)
        else:
            prose.append(line)
    first, _, rest = inline("\n".join(prose)).strip().partition("\n\n")
    parameters: list[Field] = []
    returns: list[Field] = []
    raises: list[Field] = []
    examples: list[str] = []
    notes: list[tuple[str, str]] = []
    deprecated: str | None = None
    for name, lines in tags:
        body = "\n".join(lines).strip()
        if name in _FIELD_TAGS:
            body, example = _trailing_code(body)
            if example:
                examples.append(example)
        if name in ("param", "arg", "argument", "typeparam", "template"):
            parameters.append(_param(body))
        elif name in ("returns", "return"):
            kind, rest_text = _braced(body)
            returns.append(Field("", kind, inline(rest_text.lstrip("- "))))
        elif name in ("throws", "exception", "exceptions"):
            kind, rest_text = _braced(body)
            if kind is None:
                kind, _, rest_text = rest_text.partition(" ")
            raises.append(Field(kind or "", None, inline(rest_text.lstrip("- "))))
        elif name == "example":
            examples.append(body if "```" in body else f"```\n{body}\n```")
        elif name == "deprecated":
            deprecated = inline(body)
        elif name in ("see", "since", "default", "defaultvalue", "remarks", "note"):
            title = {"see": "See also", "defaultvalue": "Default", "remarks": "Remarks"}.get(
                name, name.capitalize()
            )
            shown = inline(body) if not body.startswith(("http", "<a")) else body
            if name == "see" and re.fullmatch(r"[\w.#$]+", body):
                shown = ref(body.replace("#", "."), body)
            notes.append((title, shown))
        # @author, @version, @private, @internal, @override...: not for readers of an API
    return DocComment(
        summary=first.strip(),
        description=rest.strip(),
        parameters=tuple(parameters),
        returns=tuple(returns),
        raises=tuple(raises),
        examples=tuple(examples),
        notes=tuple(notes),
        deprecated=deprecated,
    )


# Tags whose text is one field's description, which a code block may follow.
_FIELD_TAGS = frozenset(
    ("param", "arg", "argument", "typeparam", "template", "returns", "return", "throws",
     "exception", "exceptions")
)  # fmt: skip
_TRAILING_FENCE = re.compile(r"\S[\s\S]*?\n[ \t]*\n[ \t]*(```[\s\S]*```)\s*\Z")


def _trailing_code(body: str) -> tuple[str, str]:
    """A tag's text and the code block that ends it, apart: ``@returns A generator.``
    followed by a fenced example shows the example as one, not flattened into the
    tag's line."""
    match = _TRAILING_FENCE.match(body)
    if match is None:
        return body, ""
    return body[: match.start(1)].rstrip(), match.group(1)


def _braced(text: str) -> tuple[str | None, str]:
    """``{Type} rest`` -> ("Type", "rest"); the type's braces may nest."""
    text = text.strip()
    if not text.startswith("{"):
        return None, text
    depth = 0
    for i, ch in enumerate(text):
        depth += ch == "{"
        depth -= ch == "}"
        if depth == 0:
            return text[1:i].strip(), text[i + 1 :].strip()
    return None, text


def _param(body: str) -> Field:
    kind, rest = _braced(body)
    name, _, description = rest.partition(" ")
    name = name.strip("[]").partition("=")[0]  # [name=default] in JSDoc
    return Field(name, kind, inline(description.strip().lstrip("- ").strip()))
