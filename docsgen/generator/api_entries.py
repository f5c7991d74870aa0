"""One file's part of the API Reference, rendered right after the file is analysed.

A file's entries depend on its analysis alone, so they are rendered in the
worker that analysed it and cached with the analysis: a regeneration after a
small change re-renders only the changed files, and the API Reference section
just puts the parts in order.  Citations are left as numbered placeholders
(``\\x00<n>\\x00``) and filled in by the section, which knows how this
snapshot links to its sources.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from docsgen.generator.analysis.file_analysis import FileAnalysis, Symbol
from docsgen.generator.markdown import WARNING_SIGN, Citation, code, escape

# Bump when the rendering below changes: cached renderings of older versions are ignored.
REFERENCE_VERSION = 3

MAX_DOC_CHARS = 400  # the first paragraph of a doc is cut here
UNDOCUMENTED = "no documentation; described from the signature alone"
# Kinds that should carry documentation; fields, constants and the like read
# well from their signature (``MAX_SIZE = 1024``) and are not flagged.
DOCUMENTED_KINDS = frozenset(
    {
        "class", "function", "method", "constructor", "property", "interface", "type",
        "struct", "trait", "enum", "namespace", "module", "macro",
    }
)  # fmt: skip
LABELS = {"reexport": "re-export"}
# Inline code in docs: reST roles (:class:`Foo`), reST literals (``x``), Markdown (`x`),
# JSDoc/Javadoc links ({@link Foo}, {@code x}).
_INLINE_CODE = re.compile(
    r":[\w:.-]+:`~?([^`]+)`|``([^`]+)``|`([^`]+)`|\{@(?:link|linkcode|linkplain|code) +([^}|]+?)"
    r"(?:[ |][^}]*)?\}"
)


def first_paragraph(doc: str | None) -> str | None:
    if not doc:
        return None
    paragraph = re.split(r"\n\s*\n", doc.strip(), maxsplit=1)[0]
    text = " ".join(paragraph.split())
    if len(text) > MAX_DOC_CHARS:
        text = text[: MAX_DOC_CHARS - 1].rstrip() + "…"
    return text


def doc_markdown(text: str) -> str:
    """Doc prose as Markdown: inline code kept as code, everything else shown literally."""
    out: list[str] = []
    pos = 0
    for match in _INLINE_CODE.finditer(text):
        out.append(escape(text[pos : match.start()]))
        out.append(code(next(g for g in match.groups() if g is not None)))
        pos = match.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def plural(label: str, n: int) -> str:
    if n == 1:
        return label
    if label.endswith("s"):
        return label + "es"
    if label.endswith("y"):
        return label[:-1] + "ies"
    return label + "s"


def display_signature(language: str | None, s: Symbol) -> str:
    """How an entry's code span reads; Python's is assembled from its parts."""
    if language != "Python":
        return s.signature or s.qualname
    sig = s.signature or ""
    if s.kind in ("function", "method"):
        if sig.startswith("async "):
            return f"async {s.qualname}{sig[len('async ') :]}"
        return f"{s.qualname}{sig}"
    if s.kind == "class":
        return f"class {s.qualname}{sig}"
    if s.kind == "property":
        return f"{s.qualname}: {s.returns}" if s.returns else s.qualname
    if s.kind == "reexport":
        return s.name
    return f"{s.qualname}{sig}"


@dataclass(frozen=True)
class FileReference:
    """A file's API entries as Markdown, with what the section needs around them."""

    path: str
    language: str | None
    module: str | None
    analysed: bool
    skipped: str | None
    parse_error: str | None
    doc: str | None  # the module doc's first paragraph, as Markdown
    doc_line: int | None
    problems: tuple[str, ...]  # the file's warnings, as Markdown
    entries: str  # one Markdown list item per symbol; citation n appears as \x00n\x00
    citations: tuple[Citation, ...]  # citation n, in this file
    undocumented: tuple[str, ...]  # a warning per public name without documentation
    kinds: tuple[tuple[str, int], ...]  # how many symbols of each kind

    @property
    def has_content(self) -> bool:
        return bool(self.entries or self.doc or self.problems or self.parse_error)

    def summary(self) -> ReferenceSummary:
        return ReferenceSummary(self.path, self.language, self.module, self.analysed,
                                self.skipped, self.has_content, self.kinds)  # fmt: skip

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
            "problems": list(self.problems),
            "entries": self.entries,
            "cited": [[c.line, c.name] for c in self.citations],
            "undocumented": list(self.undocumented),
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
            problems=tuple(data["problems"]),
            entries=data["entries"],
            citations=tuple(Citation(path, line, name) for line, name in data["cited"]),
            undocumented=tuple(data["undocumented"]),
            kinds=tuple((k, n) for k, n in data["kinds"]),
        )


@dataclass(frozen=True)
class ReferenceSummary:
    """What the API Reference's opening and its grouping of files into modules read of a
    file: a few fields, cached apart from the entries so that a regeneration decodes the
    entries of the modules it writes only."""

    path: str
    language: str | None
    module: str | None
    analysed: bool
    skipped: str | None
    has_content: bool
    kinds: tuple[tuple[str, int], ...]

    def to_json(self) -> list[Any]:
        return [self.path, self.language, self.module, self.analysed, self.skipped,
                self.has_content, [list(k) for k in self.kinds]]  # fmt: skip

    @classmethod
    def from_json(cls, data: list[Any]) -> ReferenceSummary:
        path, language, module, analysed, skipped, has_content, kinds = data
        kept = tuple((k, n) for k, n in kinds)
        return cls(path, language, module, analysed, skipped, has_content, kept)


def _entry(a: FileAnalysis, s: Symbol, depth: int, index: int) -> tuple[str, bool]:
    """An entry's Markdown (its citation as placeholder ``index``), and whether it lacks docs."""
    label = LABELS.get(s.kind, s.kind)
    decorators = " ".join(
        code(("" if d.startswith("@") else "@") + (d if len(d) <= 60 else d[:59] + "…"))
        for d in s.decorators[:3]
    )
    shown = display_signature(a.language, s).replace("\n", " ")
    # The kind is said once: not before code that says it already (``class Foo(Base)``).
    text = f"{'  ' * depth}- " + ("" if _says_kind(shown, s.name, label) else f"**{label}** ")
    text += (decorators + " " if decorators else "") + code(shown)
    if s.kind == "reexport" and s.target:
        head = s.target.rpartition(".")[0]
        text += f" from {code(head if head.strip('.') else head + '.')}"
    doc = first_paragraph(s.doc)
    missing = doc is None and s.kind in DOCUMENTED_KINDS
    if doc is not None:
        text += " — " + doc_markdown(doc)
    elif missing:
        text += f" — {WARNING_SIGN} {UNDOCUMENTED}"
    # A NUL in the repository's text must not read as a placeholder.
    return text.replace("\x00", "\ufffd") + f" — \x00{index}\x00", missing


def _says_kind(shown: str, name: str, label: str) -> bool:
    """Whether the code before the symbol's name has the kind as a word: ``export class Foo``."""
    at = re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", shown)
    return at is not None and label in re.findall(r"[\w-]+", shown[: at.start()])


def render(a: FileAnalysis) -> FileReference:
    """A file's API entries: each public symbol under its parent, in source order."""
    lines: list[str] = []
    cited: list[Citation] = []
    undocumented: list[str] = []
    depth: dict[str, int] = {}
    for s in a.symbols:
        level = depth[s.parent] + 1 if s.parent in depth else 0
        depth[s.qualname] = level
        line, missing = _entry(a, s, level, len(cited))
        cited.append(Citation(a.path, s.line, s.name))
        lines.append(line)
        if missing:
            undocumented.append(f"{code(s.qualname)} in {code(a.path)} has no documentation.")
    problems: list[str] = []
    if a.parse_error is not None:
        problems.append(
            f"{code(a.path)} could not be parsed: {escape(a.parse_error)}. "
            "No declarations are listed for it."
        )
    problems.extend(a.warnings)
    doc = first_paragraph(a.doc)
    kinds = Counter(LABELS.get(s.kind, s.kind) for s in a.symbols)
    return FileReference(
        path=a.path,
        language=a.language,
        module=a.module,
        analysed=a.analysed,
        skipped=a.skipped,
        parse_error=a.parse_error,
        doc=doc_markdown(doc).replace("\x00", "\ufffd") if doc else None,
        doc_line=a.doc_line,
        problems=tuple(problems),
        entries="\n".join(lines),
        citations=tuple(cited),
        undocumented=tuple(undocumented),
        kinds=tuple(sorted(kinds.items())),
    )
