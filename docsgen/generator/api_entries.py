"""One file's part of the API Reference, rendered right after the file is analysed.

A file's entries depend on its analysis alone, so they are rendered in the
worker that analysed it and stored with the analysis: a regeneration after a
small change re-renders only the changed files.  Each public declaration is a
*block* (its heading, signature, documentation and source), its members
blocks of their own, so that the API Reference can put each declaration on
the page of the module users import it from (``docsgen.generator.surface``),
whichever file declares it.  Two things are left for the section to fill in:

- the name a declaration is documented under: ``\\x01`` stands for the public
  name of the block's top-level declaration in its module (``Flask`` for
  ``flask.Flask``; a member reads ``\\x01.route``);
- citations, as numbered placeholders ``\\x00<n>\\x00`` (n counts the file's
  citations), written with this snapshot's links.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from docsgen.generator.analysis.file_analysis import FileAnalysis, Parameter, Symbol
from docsgen.generator.docstrings import parse
from docsgen.generator.docstrings.links import referenced
from docsgen.generator.docstrings.model import Field
from docsgen.generator.docstrings.render import render as render_doc
from docsgen.generator.markdown import Citation, code, escape, fence, printable

# Bump when the rendering below changes: stored renderings of older versions are ignored.
REFERENCE_VERSION = 15

WRAP_AT = 88  # a signature longer than this is laid out one parameter per line
# Kinds that should carry documentation; fields, constants and the like read
# well from their signature (``MAX_SIZE = 1024``) and are not counted.
DOCUMENTED_KINDS = frozenset(
    {
        "class", "function", "method", "constructor", "property", "interface", "type",
        "struct", "trait", "enum", "namespace", "module", "macro",
    }
)  # fmt: skip
# Kinds whose whole declaration is short: shown inline, not as a code block.
VALUE_KINDS = frozenset({"attribute", "field", "constant", "variant", "variable"})
LABELS = {"reexport": "re-export"}
PUBLIC_NAME = "\x01"  # the public name of a block's top-level declaration
_DOC_COMMENT = re.compile(r"/\*\*.*?\*/", re.S)
_FENCE_LANGUAGES = {
    "Python": "python", "TypeScript": "ts", "JavaScript": "js", "Go": "go", "Rust": "rust",
    "Java": "java",
}  # fmt: skip


def separator(language: str | None) -> str:
    """Between a name and its members, as the language writes it."""
    return "::" if language == "Rust" else "."


def plural(label: str, n: int) -> str:
    if n == 1:
        return label
    if label.endswith("s"):
        return label + "es"
    if label.endswith("y"):
        return label[:-1] + "ies"
    return label + "s"


def is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__") and len(name) > 4


def counts_for_coverage(s: Symbol) -> bool:
    """Whether a declaration is expected to be documented: kinds that read poorly from
    their signature alone, but not ``__dunder__`` methods, whose meaning is the
    language's, nor re-exports (the declaration they name counts)."""
    return s.kind in DOCUMENTED_KINDS and not is_dunder(s.name)


def declaration(language: str | None, s: Symbol) -> str:
    """The declaration as code: Python's assembled from its parts, wrapped when long."""
    if language == "Rust":  # what it needs to be compiled in: ``#[cfg(feature = "std")]``
        conditions = "".join(f"{d}\n" for d in s.decorators if d.startswith("#[cfg"))
        return conditions + wrap(" ".join((s.signature or s.name).split()))
    if language in ("TypeScript", "JavaScript"):
        # Doc comments inside a type's body are left out; overloads are one a line.
        lines = [" ".join(line.split()) for line in _DOC_COMMENT.sub(" ", s.signature or s.name)
                 .split("\n")]  # fmt: skip
        return " ".join(lines) if s.kind in VALUE_KINDS else "\n".join(map(wrap, lines))
    if language != "Python":
        text = " ".join((s.signature or s.name).split())
        return text if s.kind in VALUE_KINDS else wrap(text)
    sig = s.signature or ""
    decorators = "".join(f"{d if d.startswith('@') else '@' + d}\n" for d in s.decorators[:3])
    if s.kind in ("function", "method"):
        prefix = "async def " if sig.startswith("async ") else "def "
        return decorators + wrap(prefix + s.name + sig.removeprefix("async "))
    if s.kind == "class":
        return decorators + wrap(f"class {s.name}{sig}")
    if s.kind == "property":
        return f"{s.name}: {s.returns}" if s.returns else s.name
    return f"{s.name}{sig}"


def wrap(text: str, width: int = WRAP_AT) -> str:
    """A declaration laid out as black, rustfmt and prettier would: on one line when it
    fits, else one parameter per line inside its first bracketed list."""
    if len(text) <= width or "\n" in text:
        return text
    opening = text.find("(")
    if opening < 0:
        return text
    depth, start, items, close = 0, opening + 1, [], -1
    quote = ""
    for i in range(opening, len(text)):
        ch = text[i]
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
            continue
        if ch in "'\"`":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                close = i
                break
        elif ch == "<" and text[i - 1 : i] not in ("-", "=", "<") and text[i + 1 : i + 2] != "=":
            depth += 1
        elif ch == ">" and text[i - 1 : i] not in ("-", "=") and depth > 1:
            depth -= 1
        elif ch == "," and depth == 1:
            items.append(text[start:i].strip())
            start = i + 1
    if close < 0:
        return text
    last = text[start:close].strip()
    if last:
        items.append(last)
    if not items:
        return text
    body = "".join(f"    {item},\n" for item in items)
    return f"{text[: opening + 1]}\n{body}{text[close:]}"


@dataclass(frozen=True)
class Constructor:
    """What a Python class's parameters table is made of, kept for the classes of other
    files that are constructed with it: on an ``__init__`` (or a class whose fields make
    one), its parameters and the ones its doc describes; on a class that defines none and
    describes parameters, ``parameters`` is None: they are its base's, which the section
    finds."""

    parameters: tuple[Parameter, ...] | None
    described: tuple[Field, ...]

    def to_json(self) -> list[Any]:
        params = None if self.parameters is None else [
            [p.name, p.kind, p.annotation, p.default] for p in self.parameters
        ]  # fmt: skip
        return [params, [[f.name, f.type, f.description] for f in self.described]]

    @classmethod
    def from_json(cls, data: list[Any]) -> Constructor:
        params, described = data
        parameters = None if params is None else tuple(Parameter(*p) for p in params)
        return cls(parameters, tuple(Field(*f) for f in described))


@dataclass(frozen=True)
class Block:
    """One declaration's documentation, its members in blocks of their own."""

    qualname: str
    parent: str | None
    kind: str
    name: str
    text: str  # Markdown, with PUBLIC_NAME and citation placeholders
    citation: int  # the number of its citation (its placeholder in ``text``)
    documented: bool
    counted: bool  # counts in the module's documentation coverage
    warnings: tuple[str, ...] = ()  # what its documentation gets wrong, as Markdown
    constructor: Constructor | None = None  # Python: what its parameters table is made of

    def to_json(self) -> list[Any]:
        made = self.constructor.to_json() if self.constructor is not None else None
        return [self.qualname, self.parent, self.kind, self.name, self.text, self.citation,
                self.documented, self.counted, list(self.warnings), made]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> Block:
        qualname, parent, kind, name, text, citation, documented, counted, warnings, made = data
        constructor = Constructor.from_json(made) if made is not None else None
        return cls(qualname, parent, kind, name, text, citation, documented, counted,
                   tuple(warnings), constructor)  # fmt: skip


@dataclass(frozen=True)
class FileReference:
    """A file's API entries as Markdown blocks, with what the section needs around them."""

    path: str
    language: str | None
    module: str | None
    analysed: bool
    skipped: str | None
    parse_error: str | None
    doc: str | None  # the module doc's first paragraph, as Markdown
    doc_line: int | None
    doc_body: str | None  # the rest of the module doc, rendered
    problems: tuple[str, ...]  # the file's warnings, as Markdown
    blocks: tuple[Block, ...]  # in source order, each member after its parent
    citations: tuple[Citation, ...]  # citation n, in this file
    kinds: tuple[tuple[str, int], ...]  # how many symbols of each kind

    @property
    def has_content(self) -> bool:
        return bool(self.blocks or self.doc or self.problems or self.parse_error)

    def summary(self) -> ReferenceSummary:
        texts = [self.doc or "", self.doc_body or "", *(b.text for b in self.blocks)]
        refs = sorted({target for text in texts for target in referenced(text)})
        return ReferenceSummary(
            self.path, self.language, self.module, self.analysed, self.skipped,
            self.has_content, self.kinds, tuple(refs),
        )  # fmt: skip

    def block(self, qualname: str) -> Block | None:
        for b in self.blocks:
            if b.qualname == qualname:
                return b
        return None

    def members_of(self, qualname: str) -> list[Block]:
        """The blocks of a declaration's members, nested ones included, in order."""
        found: list[Block] = []
        inside = {qualname}
        for b in self.blocks:
            if b.parent in inside:
                found.append(b)
                inside.add(b.qualname)
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "language": self.language,
            "module": self.module,
            "analysed": self.analysed,
            "skipped": self.skipped,
            "parse_error": self.parse_error,
            "doc": self.doc,
            "doc_line": self.doc_line,
            "doc_body": self.doc_body,
            "problems": list(self.problems),
            "blocks": [b.to_json() for b in self.blocks],
            "cited": [[c.line, c.name] for c in self.citations],
            "kinds": [list(k) for k in self.kinds],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FileReference:
        path = data["path"]
        return cls(
            path=path,
            language=data["language"],
            module=data["module"],
            analysed=data["analysed"],
            skipped=data["skipped"],
            parse_error=data["parse_error"],
            doc=data["doc"],
            doc_line=data["doc_line"],
            doc_body=data["doc_body"],
            problems=tuple(data["problems"]),
            blocks=tuple(Block.from_json(b) for b in data["blocks"]),
            citations=tuple(Citation(path, line, name) for line, name in data["cited"]),
            kinds=tuple((k, n) for k, n in data["kinds"]),
        )


@dataclass(frozen=True)
class ReferenceSummary:
    """What the API Reference's opening reads of a file: a few fields, stored apart from
    the entries so that a regeneration decodes the entries of the modules it writes only."""

    path: str
    language: str | None
    module: str | None
    analysed: bool
    skipped: str | None
    has_content: bool
    kinds: tuple[tuple[str, int], ...]
    # The names its doc comments refer to, as written: where each resolves decides the
    # links of the pieces that show the file's entries.
    refs: tuple[str, ...] = ()

    def to_json(self) -> list[Any]:
        return [self.path, self.language, self.module, self.analysed, self.skipped,
                self.has_content, [list(k) for k in self.kinds], list(self.refs)]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> ReferenceSummary:
        path, language, module, analysed, skipped, has_content, kinds, refs = data
        kept = tuple((k, n) for k, n in kinds)
        return cls(path, language, module, analysed, skipped, has_content, kept, tuple(refs))


def _block(
    a: FileAnalysis, s: Symbol, top: str, depth: int, index: int,
    init: tuple[Parameter, ...] | None, generated: bool = False,
) -> Block:  # fmt: skip
    """A declaration's block; ``top`` is the qualname of its top-level declaration;
    ``init``: a class's ``__init__`` parameters, None when it defines none;
    ``generated``: its ``__init__`` is made from its fields."""
    sep = separator(a.language)
    member = printable(s.qualname[len(top) :].replace(".", sep)).replace("`", "'")
    heading = "#" * min(4 + depth, 6)
    label = LABELS.get(s.kind, s.kind)
    # The public name is filled in by the section (``public_name``): no ``code`` around it.
    parts = [f"{heading} `{PUBLIC_NAME}{member}`\n\n"]
    text = safe_text(declaration(a.language, s))
    if s.kind in VALUE_KINDS or s.kind == "property":
        parts.append(f"*{label}* {code(text.replace(chr(10), ' '))} · ")
    else:
        parts.append(fence(text, _FENCE_LANGUAGES.get(a.language or "", "")) + "\n\n")
        if generated:
            parts.append(f"*Generated `__init__`:*\n\n{_init_code(init or ())}\n\n")
        # The kind is said once: not after code that says it already (``class Foo(Base)``).
        parts.append("" if _says_kind(text, s.name, label) else f"*{label}* · ")
    parts.append(f"\x00{index}\x00\n")
    doc = parse(a.language, safe_text(s.doc)) if s.doc else None
    warnings: tuple[str, ...] = ()
    if doc is not None and not doc.empty:
        # A class's documentation describes what constructing it takes.
        loose = a.language == "JavaScript"
        rendered = render_doc(doc, (init or ()) if s.kind == "class" else s.parameters, loose)
        parts.append("\n" + rendered.markdown + "\n")
        warnings = tuple(f"{code(shown_name(a, s))}: {w}" for w in rendered.warnings)
    counted = counts_for_coverage(s)
    documented = (doc is not None and not doc.empty) or not counted
    made = _constructor(a, s, doc.parameters if doc is not None else (), init, generated)
    return Block(s.qualname, s.parent, s.kind, s.name, "".join(parts), index, documented,
                 counted, warnings, made)  # fmt: skip


def _constructor(
    a: FileAnalysis, s: Symbol, described: tuple[Field, ...], init: tuple[Parameter, ...] | None,
    generated: bool,
) -> Constructor | None:  # fmt: skip
    """What a Python class's parameters table is made of, where a class of another file
    may need it (``Constructor``)."""
    if a.language != "Python":
        return None
    if s.name == "__init__" and s.kind == "method":
        return Constructor(s.parameters, described)
    if s.kind != "class":
        return None
    if generated:
        return Constructor(init, described)
    if init is None and described and s.bases:
        return Constructor(None, described)  # its base's parameters, found by the section
    return None


def public_name(name: str) -> str:
    """A public name as it replaces ``PUBLIC_NAME`` in a heading's code span."""
    return printable(name).replace("`", "'")


def safe_text(text: str) -> str:
    """Repository text with the characters this module uses as placeholders replaced."""
    # Looking for them first is far cheaper than translating text that holds none (most).
    return text.translate(_PLACEHOLDERS) if _PLACEHOLDER.search(text) else text


_PLACEHOLDERS = {0: "\ufffd", 1: "\ufffd", 2: "\ufffd", 3: "\ufffd"}
_PLACEHOLDER = re.compile("[\x00-\x03]")


def shown_name(a: FileAnalysis, s: Symbol) -> str:
    return s.qualname.replace(".", separator(a.language))


# Class decorators and bases whose fields make the ``__init__`` (dataclasses, attrs,
# NamedTuple): the generated signature is shown, and the class's documentation of its
# parameters is matched against it.
_GENERATING_DECORATOR = re.compile(r"^@?(?:[\w.]*\.)?(dataclass|define|frozen|mutable|attrs|s)\b")


def _generated_inits(
    a: FileAnalysis, explicit: Mapping[str, tuple[Parameter, ...]]
) -> dict[str, tuple[Parameter, ...]]:
    if a.language != "Python":
        return {}
    found: dict[str, tuple[Parameter, ...]] = {}
    for s in a.symbols:
        if s.kind != "class" or s.qualname in explicit:
            continue
        generating = any(_GENERATING_DECORATOR.match(d) for d in s.decorators) or any(
            b.rpartition(".")[2] == "NamedTuple" for b in s.bases
        )
        if not generating:
            continue
        params = []
        for member in a.symbols:
            if member.parent != s.qualname or member.kind != "field":
                continue
            if (member.returns or "").startswith(("ClassVar", "typing.ClassVar")):
                continue
            _, has_default, default = (member.signature or "").partition(" = ")
            params.append(Parameter(member.name, annotation=member.returns,
                                    default=default if has_default else None))  # fmt: skip
        found[s.qualname] = tuple(params)
    return found


def _init_code(params: tuple[Parameter, ...]) -> str:
    """The ``__init__`` that fields make, as code."""
    shown = ", ".join(["self"] + [
        (f"{p.name}: {p.annotation}" if p.annotation else p.name)
        + (f" = {p.default}" if p.default is not None else "") for p in params
    ])  # fmt: skip
    return fence(safe_text(wrap(f"def __init__({shown}) -> None")), "python")


def _says_kind(shown: str, name: str, label: str) -> bool:
    """Whether the code before the symbol's name has the kind as a word: ``export class Foo``."""
    at = _word_at(shown, name)
    return at >= 0 and label in _WORDS.findall(shown, 0, at)


_WORDS = re.compile(r"[\w-]+")


def _word_at(text: str, name: str) -> int:
    """Where ``name`` first stands alone in ``text`` (no word character or ``$`` touching
    it), -1 if nowhere: a pattern made for each name would be compiled for each symbol."""
    if not name:
        return _word_at_slowly(text)
    at = text.find(name)
    while at >= 0:
        end = at + len(name)
        if (at == 0 or not _in_word(text[at - 1])) and (
            end == len(text) or not _in_word(text[end])
        ):
            return at
        at = text.find(name, at + 1)
    return -1


def _in_word(char: str) -> bool:
    """``[\\w$]`` of a pattern over text."""
    return char.isalnum() or char in "_$"


def _word_at_slowly(text: str) -> int:
    """``_word_at`` of the empty name: the first place between two non-word characters."""
    found = re.search(r"(?<![\w$])(?![\w$])", text)
    return found.start() if found is not None else -1


def render(a: FileAnalysis) -> FileReference:
    """A file's API entries: a block per public declaration, in source order."""
    blocks: list[Block] = []
    cited: list[Citation] = []
    depth: dict[str, int] = {}
    top: dict[str, str] = {}
    inits = {s.parent: s.parameters for s in a.symbols if s.name == "__init__" and s.parent}
    generated = _generated_inits(a, inits)
    inits.update(generated)
    for s in a.symbols:
        if s.kind == "reexport":
            continue  # documented where it is declared (docsgen.generator.surface)
        if not s.public and s.parent is not None:
            continue  # a private field, kept for the generated __init__
        if s.parent in depth:
            level = depth[s.parent] + 1
            top[s.qualname] = top[s.parent]
        elif s.parent is not None:  # a member of a type another file declares (Go, Rust)
            level = s.qualname.count(".")
            top[s.qualname] = s.qualname.split(".", 1)[0]
        else:
            level = 0
            top[s.qualname] = s.qualname
        depth[s.qualname] = level
        init = inits.get(s.qualname)
        made = s.qualname in generated
        blocks.append(_block(a, s, top[s.qualname], level, len(cited), init, made))
        # ``module.exports = function query()`` is the module's ``default``: the line has
        # the declaration, not that name.
        named = (
            None if s.name == "default" and a.language in ("JavaScript", "TypeScript") else s.name
        )
        cited.append(Citation(a.path, s.line, named))
    problems: list[str] = []
    if a.parse_error is not None:
        problems.append(
            f"{code(a.path)} could not be parsed: {escape(a.parse_error)}. "
            "No declarations are listed for it."
        )
    problems.extend(a.warnings)
    module_doc = parse(a.language, safe_text(a.doc)) if a.doc else None
    body = render_doc(replace(module_doc, summary="")).markdown if module_doc else ""
    kinds = Counter(
        LABELS.get(s.kind, s.kind) for s in a.symbols if s.kind != "reexport" and s.public
    )
    return FileReference(
        path=a.path,
        language=a.language,
        module=a.module,
        analysed=a.analysed,
        skipped=a.skipped,
        parse_error=a.parse_error,
        doc=module_doc.summary if module_doc and module_doc.summary else None,
        doc_line=a.doc_line,
        doc_body=body or None,
        problems=tuple(problems),
        blocks=tuple(blocks),
        citations=tuple(cited),
        kinds=tuple(sorted(kinds.items())),
    )
