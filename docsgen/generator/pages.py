"""The documentation as pages: what a reader opens one at a time (CONTRACT §11).

The sections stay what the generator builds and ``docs.md`` shows whole; this
module cuts them into pages, in reading order: the Overview, every guide
section, then the API Reference — a parent page (its opening: what is
documented and why, and the list of modules) and one page per public module,
a module too large for one page split at its entries' boundaries.

Every page starts with its own ``#`` heading; the headings under it move up so
that the page reads as a document (a module's entries, ``####`` in the whole
document, are ``##`` on its page).  Each documented symbol is a ``DocSymbol``
whose anchor is its qualified name (``flask.Flask.route``,
``serde_json::from_str``): ``page_html`` gives its heading that id.

Links.  In the whole document every link to a symbol or a section is a
fragment (``#flask.Flask.route``).  On a page, a fragment whose target is on
the same page stays ``#anchor``; one whose target is on another page becomes
``{slug}#anchor`` (or ``{slug}`` for the page itself: a section, a module),
relative, so that it resolves against the reader's address
``/repositories/{id}/docs/{slug}``.  Publishers that write one file per page
rewrite ``{slug}#…`` hrefs to ``{slug}.html#…`` or ``{slug}.md#…``; an href
that holds no ``:``, no ``/`` and does not start with ``#`` is always such a
slug (``is_page_link``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import NamedTuple

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.engine.memo import Memo
from docsgen.generator.markdown import WARNING_SIGN, Piece, anchor, code, join_parts
from docsgen.generator.sections.api_reference import TITLE as API_TITLE
from docsgen.generator.sections.base import SectionResult

API_SLUG = anchor(API_TITLE)  # "api-reference"
# A module page of more Markdown than this is split at its entries.  A page is read as
# its Markdown and its HTML together (about three times the Markdown, in JSON), and that
# answer should stay within 512 KB.
MAX_PAGE_BYTES = 160 * 1024
SUMMARY_CHARS = 240

_HEADING = re.compile(r"^(#{1,6}) (.*)$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# In a whole text: a line ``_FENCE`` matches (its fence, then the rest), or a module's heading.
_BLOCK_LINE = re.compile(r"^(?:[^\S\n]*(`{3,}|~{3,})([^\n]*)|### )", re.MULTILINE)
_MODULE_SPLIT = "modules"  # the memo's name for where an API Reference's modules are...
_MODULE_PAGES = "module pages"  # ... for a module's pages, by its digest...
_PIECE = "piece kind"  # ... for what a piece of it is, and a module's digest...
_LINKED = "linked page"  # ... for one of them with its links rewritten...
_SYMBOLS = "page symbols"  # ... and for its symbols
_CODE_SPAN = re.compile(r"^(`+) ?(.+?) ?\1$")
_LINK_TARGET = re.compile(r"\]\(#([^()\s]+)\)")
_SLUG_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_KIND = re.compile(r"^\*([\w-]+)\* ")
_CITATION = re.compile(r"(`+) ?([^`]+?:\d+) ?\1")
_DECLARED = re.compile(
    r"^(?:@\S+\n)*(?:#\[[^\n]*\n)*(?:(?:pub(?:\([^)]*\))?|export|default|public|protected|"
    r"abstract|final|static|async|declare|unsafe|const)\s+)*"
    r"(class|interface|struct|enum|trait|type|namespace|module|macro_rules!|union|def|fn|"
    r"func|function)\b"
)
_DECLARED_KINDS = {"def": "function", "fn": "function", "func": "function",
                   "function": "function", "macro_rules!": "macro"}  # fmt: skip
_MARKUP_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]<>()#+!|~.-])")
_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)")


class DocSymbol(NamedTuple):
    """A documented symbol: where it is, and enough to find it by name (a named tuple:
    a large repository has tens of thousands, made at every run)."""

    qualname: str  # e.g. "flask.Flask.route", "serde_json::from_str" — also its anchor
    slug: str  # the page it is on
    kind: str | None  # "class", "function", "method", ... when the entry says it
    citation: str | None  # "path:line" of its declaration, or None
    summary: str  # first sentence of its documentation as plain text, or ""
    line: int  # 1-based line of its heading in the page's markdown


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    parent: str | None
    markdown: str
    warnings: int
    symbols: tuple[DocSymbol, ...]


def is_page_link(href: str) -> bool:
    """Whether ``href`` names another page in this module's link form (``slug#anchor``)."""
    return (
        bool(href)
        and not href.startswith("#")
        and ":" not in href.split("#", 1)[0]
        and ("/" not in href.split("#", 1)[0])
    )


@dataclass
class _Draft:
    """A page before its links are rewritten: its lines, and the symbols on them; once
    ``finished``, its text instead of its lines, with what the last steps read of them."""

    title: str
    parent: str | None
    lines: list[str]
    section: int  # the index of the section it is cut from
    self_anchors: tuple[str, ...] = ()  # anchors that mean the page itself
    # (qualname, kind, citation, summary, 0-based line) of each symbol heading
    symbols: list[tuple[str, str | None, str | None, str, int]] = field(default_factory=list)
    slug: str = ""
    text: str = ""  # the page's Markdown, its links as in the whole document
    links: tuple[tuple[int, int], ...] = ()  # where in ``text`` the lines with links are
    named: tuple[str, ...] = ()  # the anchors those links name
    signs: int = 0  # warning signs outside code blocks
    memo_key: str = ""  # a module page's key in the memo: its module's digest, its number

    def for_run(self, section: int) -> _Draft:
        """A copy of a remembered draft for one run (which sets its slug), from section
        ``section``: a shallow copy, its text and symbols shared."""
        copy = _Draft.__new__(_Draft)
        copy.__dict__.update(self.__dict__)
        copy.section = section
        return copy

    def finish(self, flags: Sequence[bool] | None = None) -> None:
        """Join the lines into ``text`` (they are let go), noting the lines whose links
        may be rewritten and the warning signs shown (``flags``: whether each line is
        in a code block, when known)."""
        links: list[tuple[int, int]] = []
        named: dict[str, None] = {}
        signs = at = 0
        lines = self.lines
        for line, fenced in zip(lines, _fenced(lines) if flags is None else flags, strict=True):
            if not fenced:
                if WARNING_SIGN in line:
                    signs += line.count(WARNING_SIGN)
                if "](#" in line:
                    links.append((at, at + len(line)))
                    named.update(dict.fromkeys(_LINK_TARGET.findall(line)))
            at += len(line) + 1
        self.text = "\n".join(self.lines).rstrip("\n") + "\n"
        self.links, self.named, self.signs = tuple(links), tuple(named), signs
        self.lines = []


def reading_order(sections: Sequence[SectionResult]) -> list[SectionResult]:
    """The guide sections in their order, then the API Reference: the order of the pages,
    and of the whole document."""
    guide = [s for s in sections if s.anchor != API_SLUG]
    return guide + [s for s in sections if s.anchor == API_SLUG]


def paginate(
    sections: Sequence[SectionResult],
    memo: Memo | None = None,
    api_pieces: Sequence[Piece] | None = None,
) -> tuple[Page, ...]:
    """The pages of ``sections``, in reading order (see the module's docstring).

    A module's pages are cut from its Markdown alone, so ``memo`` (optional) keeps
    them: a regeneration cuts only the modules that changed, and rewrites the
    links of every page.  ``api_pieces`` are the pieces the API Reference was put
    together from, when its Markdown is theirs (``_module_cuts``).
    """
    sections = reading_order(sections)
    drafts: list[_Draft] = []
    for i, section in enumerate(sections):
        if section.anchor == API_SLUG:
            drafts += _api_pages(i, section, memo, api_pieces)
        else:
            drafts.append(_guide_page(i, section))
    taken: set[str] = set()
    for draft in drafts:
        draft.slug = _unique(draft.slug or _slug_of(draft), taken)
    _link_modules(drafts)
    targets = _targets(drafts)
    for draft in drafts:
        if not draft.text:  # a guide page, or the API Reference's parent page
            draft.finish()
    warnings = _warnings(drafts, sections)
    pages = []
    seen: set[str] = set()
    for draft, count in zip(drafts, warnings, strict=True):
        symbols = _symbols_remembered(draft, seen, memo)
        markdown = _linked_remembered(draft, targets, memo)
        pages.append(Page(draft.slug, draft.title, draft.parent, markdown, count, symbols))
    return tuple(pages)


def _guide_page(index: int, section: SectionResult) -> _Draft:
    lines = [f"# {section.title}", ""]
    for line, fenced in _scan(section.markdown.split("\n")):
        heading = None if fenced else _HEADING.match(line)
        if heading is not None:
            line = "#" * max(len(heading.group(1)) - 1, 2) + " " + heading.group(2)
        lines.append(line)
    draft = _Draft(section.title, None, lines, index, (section.anchor,))
    draft.slug = section.anchor
    return draft


def _api_pages(
    index: int, section: SectionResult, memo: Memo | None, pieces: Sequence[Piece] | None
) -> list[_Draft]:
    """The API Reference's parent page, then its modules' pages (the modules' list on
    the parent page is filled in once their slugs are known: ``_link_modules``)."""
    opening, cuts = _module_cuts(section.markdown, memo, pieces)
    parent = _Draft(API_TITLE, None, [f"# {API_TITLE}", "", *opening.split("\n")], index,
                    (API_SLUG,))  # fmt: skip
    parent.slug = API_SLUG
    drafts = [parent]
    for cut in cuts:
        drafts += [draft.for_run(index) for draft in cut]
    return drafts


def _module_cuts(
    markdown: str, memo: Memo | None, pieces: Sequence[Piece] | None
) -> tuple[str, list[tuple[_Draft, ...]]]:
    """The API Reference's opening, and each module's pages.

    ``pieces``, when given, are those the section was put together from (its
    Markdown is theirs, joined): a piece that is one whole module is that module,
    its pages remembered in ``memo`` by the piece's key, so a regeneration reads
    only the pieces written anew.  Otherwise, or when a piece is not one whole
    module, the modules are found in the whole text, and each one's pages are
    remembered by its digest (where the modules are, by ``_whole_key``).
    """
    if pieces is not None and memo is not None:
        by_piece = _cuts_by_piece(pieces, memo)
        if by_piece is not None:
            return by_piece
    whole = _whole_key(markdown) if memo is not None else ""
    split: tuple[int, tuple[tuple[int, int, str], ...]] | None = (
        memo.recall(whole, _MODULE_SPLIT) if memo is not None else None
    )
    if split is None:
        opening_end, spans, _ = _module_spans(markdown)
        keyed = [(a, b, text_hexdigest(markdown[a:b]) if memo else "") for a, b in spans]
        split = (opening_end, tuple(keyed))
        if memo is not None:
            memo.remember(whole, _MODULE_SPLIT, split, 128 * len(keyed))
    opening_end, modules = split
    cuts = [
        _module_cut(key, memo, partial(markdown.__getitem__, slice(start, end)))
        for start, end, key in modules
    ]
    return markdown[:opening_end], cuts


def _module_cut(key: str, memo: Memo | None, text: str | Callable[[], str]) -> tuple[_Draft, ...]:
    """A module's pages, remembered in ``memo`` by ``key`` (the digest of its Markdown:
    ``text``, or what it gives, read only when the pages must be cut)."""
    cut: tuple[_Draft, ...] | None = memo.recall(key, _MODULE_PAGES) if memo and key else None
    if cut is None:
        markdown = text if isinstance(text, str) else text()
        cut = _cut_text(markdown, key)
        if memo is not None and key:
            memo.remember(key, _MODULE_PAGES, cut, 2 * len(markdown))
    return cut


def _cut_text(text: str, key: str) -> tuple[_Draft, ...]:
    return tuple(
        replace(draft, memo_key=f"{key}:{number}" if key else "")
        for number, draft in enumerate(_module_pages(text.split("\n")))
    )


# What a piece of the API Reference is (``_piece_facts``): its opening, one whole module,
# or anything else (a heading inside it, a code block left open).
_OPENING, _MODULE, _OTHER = "opening", "module", "other"
PieceCut = tuple[str, str, str, tuple["_Draft", ...] | None]  # piece key, kind, digest, pages


def cut_pieces(pieces: Sequence[tuple[str, tuple[str, ...]]]) -> list[PieceCut]:
    """What each piece (its key and parts) is, and a whole module's digest and pages: the
    work ``paginate`` would do for these pieces, done anywhere (a worker process) and
    kept with ``remember_piece_cuts``."""
    found: list[PieceCut] = []
    for key, parts in pieces:
        text = join_parts(parts)
        kind, digest = _piece_facts(text)
        found.append((key, kind, digest, _cut_text(text, digest) if digest else None))
    return found


def remember_piece_cuts(memo: Memo, found: Sequence[PieceCut]) -> None:
    for key, kind, digest, cut in found:
        memo.remember(key, _PIECE, (kind, digest), 64)
        if cut is not None:
            memo.remember(digest, _MODULE_PAGES, cut, 2 * sum(len(d.text) for d in cut))


def pieces_to_cut(pieces: Sequence[Piece], memo: Memo) -> list[tuple[str, tuple[str, ...]]]:
    """The pieces (key, parts) whose pages ``memo`` does not hold (``cut_pieces``)."""
    todo = []
    for piece in pieces:
        if piece.key is None or piece.parts is None:
            continue
        known: tuple[str, str] | None = memo.recall(piece.key, _PIECE)
        if known is None or (known[1] and memo.recall(known[1], _MODULE_PAGES) is None):
            todo.append((piece.key, piece.parts))
    return todo


def _piece_facts(text: str) -> tuple[str, str]:
    """What a piece of the API Reference is (its Markdown, ``text``), and a whole
    module's digest ("" for anything else)."""
    _, spans, closed = _module_spans(text)
    if not closed:
        return _OTHER, ""
    if not spans:
        return _OPENING, ""
    if spans != [(0, len(text))]:
        return _OTHER, ""
    return _MODULE, text_hexdigest(text)


def _cuts_by_piece(
    pieces: Sequence[Piece], memo: Memo
) -> tuple[str, list[tuple[_Draft, ...]]] | None:
    """``_module_cuts`` read piece by piece: None unless the section is opening pieces
    (no module heading) then whole modules, each piece closing its code blocks.

    What each piece is, and a module's digest, are remembered by the piece's key:
    a regeneration reads only the pieces written anew.
    """
    opening: list[str] = []
    cuts: list[tuple[_Draft, ...]] = []
    for piece in pieces:
        if piece.parts is None or not any(part.strip() for part in piece.parts):
            continue  # nothing of it in the section
        text: str | Callable[[], str] = partial(join_parts, piece.parts)
        known: tuple[str, str] | None = memo.recall(piece.key, _PIECE) if piece.key else None
        if known is None:
            text = join_parts(piece.parts)
            known = _piece_facts(text)
            if piece.key:
                memo.remember(piece.key, _PIECE, known, 64)
        kind, digest = known
        if kind == _OPENING and not cuts:
            opening.append(text if isinstance(text, str) else text())
        elif kind == _MODULE:
            cuts.append(_module_cut(digest, memo, text))
        else:
            return None  # a heading inside, or text after the modules: read it whole
    return join_parts(opening) if opening else "", cuts


def _whole_key(markdown: str) -> str:
    """The memo's key for where a whole API Reference's modules are: the text's own
    hash (SipHash, keyed anew in each process, and kept by the string once worked
    out, so that ``paginate`` finds what ``cut_modules`` did on the same section
    without reading megabytes again) and its length."""
    return f"{hash(markdown) & 0xFFFFFFFFFFFFFFFF:016x}:{len(markdown)}"


def _module_spans(markdown: str) -> tuple[int, list[tuple[int, int]], bool]:
    """Where the API Reference's opening ends, where each module's Markdown is (from
    a ``###`` line outside code blocks to the next one), and whether the text ends
    outside a code block.

    One pattern finds the lines that matter (fences, module headings) in the whole
    text; the code blocks are followed as ``_fenced`` follows them line by line.
    """
    starts = []
    fence = ""
    for found in _BLOCK_LINE.finditer(markdown):
        run = found.group(1)
        if fence:  # a closing fence: the same character, as many or more, nothing else
            if run and run[0] == fence[0] and len(run) >= len(fence) and not found[2].strip():
                fence = ""
        elif run:
            fence = run
        else:
            starts.append(found.start())
    if not starts:
        return len(markdown), [], not fence
    ends = [start - 1 for start in starts[1:]] + [len(markdown)]
    return max(starts[0] - 1, 0), list(zip(starts, ends, strict=True)), not fence


def _module_pages(block: list[str]) -> tuple[_Draft, ...]:
    """One module's page, or its parts when it is larger than ``MAX_PAGE_BYTES``,
    finished (their section's index is the run's to set)."""
    flags = list(_fenced(block))
    name = _code_text(block[0][4:])
    intro_end = next(
        (i for i, line in enumerate(block) if not flags[i] and _is_entry(line)), len(block)
    )
    sep = "::" if any(line.startswith("*Rust*") for line in block[1:intro_end]) else "."
    intro = [f"# {code(name)}", *block[1:intro_end]]
    intro_flags = [False, *flags[1:intro_end]]
    # Each top-level entry (``####``), members staying with their owner, as (start, end).
    starts = [intro_end] if intro_end < len(block) else []
    starts += [
        i for i in range(intro_end + 1, len(block))
        if not flags[i] and block[i].startswith("#### ")
    ]  # fmt: skip
    ends = [*starts[1:], len(block)] if starts else []
    entries = list(zip(starts, ends, strict=True))
    parts: list[list[tuple[int, int]]] = [[]]
    size = _size(intro)
    for start, end in entries:
        entry_size = _size(block[start:end])
        if parts[-1] and size + entry_size > MAX_PAGE_BYTES:
            parts.append([])
            size = 0
        parts[-1].append((start, end))
        size += entry_size
    drafts = []
    for number, part in enumerate(parts, start=1):
        title = name if number == 1 else f"{name} (part {number})"
        head = intro if number == 1 else [f"# {code(name)} (part {number})", ""]
        draft = _Draft(title, API_SLUG, list(head), 0, (name,) if number == 1 else ())
        draft.slug = _module_slug(name) + ("" if number == 1 else f"-{number}")
        draft_flags = list(intro_flags) if number == 1 else [False, False]
        if number == 1:
            citation, summary = _module_facts(intro, intro_flags)
            draft.symbols.append((name, "module", citation, summary, 0))
        for start, end in part:
            _add_entry(draft, block[start:end], flags[start:end], name, sep)
            draft_flags += flags[start:end]
        draft.finish(draft_flags)
        drafts.append(draft)
    return tuple(drafts)


def _add_entry(draft: _Draft, entry: list[str], flags: list[bool], module: str, sep: str) -> None:
    """Append an entry to a module page, its headings moved up two levels and each
    recorded as a symbol (``flags``: whether each line is in a code block)."""
    headings = [i for i, line in enumerate(entry) if not flags[i] and _is_entry(line)]
    at = 0
    for i in headings:
        draft.lines += entry[at:i]
        level, text = entry[i].split(" ", 1)
        name = _code_text(text)
        draft.symbols.append(
            (f"{module}{sep}{name}", *_entry_facts(entry, flags, i, len(level)), len(draft.lines))
        )
        draft.lines.append("#" * (len(level) - 2) + " " + text)
        at = i + 1
    draft.lines += entry[at:]


def _entry_facts(
    lines: list[str], fenced: list[bool], at: int, level: int
) -> tuple[str | None, str | None, str]:
    """An entry's kind, citation and summary, read from the lines under its heading: an
    optional declaration in a code block, the kind line (``*method* · `path:line```),
    then its documentation."""
    i = at + 1
    declaration: list[str] = []
    kind_line = ""
    while i < len(lines) and not (not fenced[i] and _is_entry(lines[i])):
        line = lines[i]
        i += 1
        if fenced[i - 1]:
            if not _FENCE.match(line):
                declaration.append(line)
            continue
        if not line.strip() or line.startswith("*Generated `__init__`:*"):
            continue
        kind_line = line
        break
    if kind_line.startswith("Documented as ") or kind_line.startswith("Re-export of "):
        return None, _citation(kind_line), ""
    kind_match = _KIND.match(kind_line)
    kind = kind_match.group(1) if kind_match else _declared_kind(declaration, level)
    summary = ""
    while i < len(lines) and not fenced[i] and not _is_entry(lines[i]):
        if lines[i].strip():
            summary = _summary_of(lines, fenced, i)
            break
        i += 1
    return kind, _citation(kind_line), summary


def _declared_kind(declaration: list[str], level: int) -> str | None:
    found = _DECLARED.match("\n".join(declaration))
    if found is None:
        return None
    kind = _DECLARED_KINDS.get(found.group(1), found.group(1))
    return "method" if kind == "function" and level > 4 else kind


def _module_facts(intro: list[str], flags: list[bool]) -> tuple[str | None, str]:
    """A module's citation and summary: its intro line ends ``— `path:line```, then
    its documentation's first paragraph."""
    for i, line in enumerate(intro):
        if line.startswith("*") and " — " in line:
            citation = _citation(line.rsplit(" — ", 1)[1])
            j = i + 1
            while j < len(intro) and not intro[j].strip():
                j += 1
            return citation, _summary_of(intro, flags, j) if j < len(intro) else ""
    return None, ""


def _summary_of(lines: list[str], fenced: list[bool], at: int) -> str:
    """The first sentence of the paragraph starting at ``at``, as plain text; nothing
    when what starts there is not prose (a warning, a table, a list of links)."""
    paragraph: list[str] = []
    for i in range(at, len(lines)):
        if fenced[i] or not lines[i].strip() or _HEADING.match(lines[i]):
            break
        paragraph.append(lines[i].strip())
    text = " ".join(paragraph)
    if not text or text[0] in ">|-#" or text.startswith("**") or text.startswith("*Implements"):
        return ""
    if text.startswith("*Inherited from"):
        return ""
    plain = _ESCAPED.sub(r"\1", _MARKUP_LINK.sub(r"\1", text)).replace("`", "").replace("*", "")
    sentence = _SENTENCE.match(plain)
    plain = sentence.group(1) if sentence else plain
    return plain if len(plain) <= SUMMARY_CHARS else plain[: SUMMARY_CHARS - 1] + "…"


def _citation(text: str) -> str | None:
    found = list(_CITATION.finditer(text))
    return found[-1].group(2).replace("\\|", "|") if found else None


def _link_modules(drafts: list[_Draft]) -> None:
    """The parent API page lists its modules' pages, each linked by its slug."""
    for parent in (d for d in drafts if d.slug == API_SLUG):
        children = [d for d in drafts if d.parent == parent.slug]
        if children:
            while parent.lines and not parent.lines[-1].strip():
                parent.lines.pop()
            parent.lines += ["", "## Modules", ""]
            parent.lines += [f"- [{code(d.title)}]({d.slug})" for d in children]


def _targets(drafts: list[_Draft]) -> dict[str, tuple[str, bool]]:
    """Every anchor a link can name: the page it is on, and whether it is the page
    itself.  Symbols first, then pages, then guide headings; the first holder wins."""
    targets: dict[str, tuple[str, bool]] = {}
    for draft in drafts:
        for qualname, *_ in draft.symbols:
            targets.setdefault(qualname, (draft.slug, False))
    for draft in drafts:
        for page_anchor in draft.self_anchors:
            targets[page_anchor] = (draft.slug, True)
    for draft in drafts:
        if draft.parent is not None:
            continue
        for line, fenced in _scan(draft.lines):
            heading = None if fenced else _HEADING.match(line)
            if heading is not None:
                targets.setdefault(anchor(heading.group(2)), (draft.slug, False))
    return targets


def _rewrite_links(line: str, slug: str, targets: dict[str, tuple[str, bool]]) -> str:
    if "](#" not in line:
        return line

    def rewrite(match: re.Match[str]) -> str:
        target = match.group(1)
        where = targets.get(target)
        if where is None:
            return match.group(0)
        page, itself = where
        if page == slug:
            return match.group(0)
        return f"]({page})" if itself else f"]({page}#{target})"

    return _LINK_TARGET.sub(rewrite, line)


def _warnings(drafts: list[_Draft], sections: Sequence[SectionResult]) -> list[int]:
    """Each page's share of its section's warnings: the ⚠️ signs shown on it, counted
    in reading order up to the section's total; warnings no sign shows are counted on
    the section's first page."""
    result = [0] * len(drafts)
    for index, section in enumerate(sections):
        left = len(section.warnings)
        mine = [i for i, d in enumerate(drafts) if d.section == index]
        for i in mine:
            result[i] = min(drafts[i].signs, left)
            left -= result[i]
        if mine:
            result[mine[0]] += left
    return result


def _symbols_remembered(draft: _Draft, seen: set[str], memo: Memo | None) -> tuple[DocSymbol, ...]:
    """The page's symbols, but those ``seen`` on an earlier page (one anchor per name:
    the first declaration keeps it), added to ``seen``; a module page's are remembered
    for the same slug when none was seen before."""
    key = draft.memo_key if memo is not None else ""
    if key and memo is not None:
        found = memo.recall(key, _SYMBOLS)
        if found is not None and found[0] == draft.slug and seen.isdisjoint(found[1]):
            seen.update(found[1])
            return tuple(found[2])
    symbols = []
    for qualname, kind, citation, summary, index in draft.symbols:
        if qualname in seen:
            continue
        seen.add(qualname)
        symbols.append(DocSymbol(qualname, draft.slug, kind, citation, summary, index + 1))
    if key and memo is not None and len(symbols) == len(draft.symbols):
        names = frozenset(s.qualname for s in symbols)
        memo.remember(key, _SYMBOLS, (draft.slug, names, tuple(symbols)), 96 * len(symbols))
    return tuple(symbols)


def _linked_remembered(
    draft: _Draft, targets: dict[str, tuple[str, bool]], memo: Memo | None
) -> str:
    """``_linked``, remembered for a module page whose links resolve as they did."""
    if memo is None or not draft.memo_key or not draft.links:
        return _linked(draft, targets)
    resolved = (draft.slug, tuple(targets.get(name) for name in draft.named))
    found = memo.recall(draft.memo_key, _LINKED)
    if found is not None and found[0] == resolved:
        return str(found[1])
    markdown = _linked(draft, targets)
    memo.remember(draft.memo_key, _LINKED, (resolved, markdown), len(markdown))
    return markdown


def _linked(draft: _Draft, targets: dict[str, tuple[str, bool]]) -> str:
    """A finished page's Markdown with its links rewritten (``_rewrite_links``)."""
    text = draft.text
    if not draft.links:
        return text
    parts, at = [], 0
    for start, end in draft.links:
        parts += [text[at:start], _rewrite_links(text[start:end], draft.slug, targets)]
        at = end
    parts.append(text[at:])
    return "".join(parts)


def _module_slug(name: str) -> str:
    return "api-" + _SLUG_UNSAFE.sub("-", name)


def _slug_of(draft: _Draft) -> str:
    return anchor(draft.title) or "page"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def _is_entry(line: str) -> bool:
    return line.startswith(("#### ", "##### ", "###### "))


def _code_text(text: str) -> str:
    found = _CODE_SPAN.match(text.strip())
    return found.group(2) if found else text.strip()


def _size(lines: list[str]) -> int:
    """Bytes of ``lines`` once their links are rewritten: a fragment link may gain its
    page's slug, at most ``api-``, the module's name (a prefix of the name it links
    to), a part's number and a ``#``."""
    text = "\n".join(lines)
    return len(text.encode()) + 1 + sum(len(t) + 8 for t in _LINK_TARGET.findall(text))


def _scan(lines: Sequence[str]) -> Iterator[tuple[str, bool]]:
    """Each line, and whether it belongs to a fenced code block (its fences included)."""
    return zip(lines, _fenced(lines), strict=True)


def _fenced(lines: Sequence[str]) -> Iterator[bool]:
    fence = ""
    for line in lines:
        if fence:
            stripped = line.strip()
            if stripped.startswith(fence) and not stripped.strip(fence[0]):
                fence = ""
            yield True
            continue
        opening = _FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
            yield True
        else:
            yield False


@dataclass(frozen=True)
class TextPart:
    """A page's text under one heading, as plain text: what full-text search reads."""

    anchor: str | None  # the heading's id (a symbol's qualified name); None: the page's top
    title: str  # the heading as plain text (for a symbol, its qualified name)
    text: str  # the text under it, code included, markup left out


_TABLE_RULE = re.compile(r"^\|?[\s:|-]+\|?$")


def text_parts(page: Page) -> list[TextPart]:
    """``page`` cut at its headings, in order, each part as plain text."""
    symbols = {s.line: s.qualname for s in page.symbols}
    parts: list[TextPart] = []
    anchor_of: str | None = None
    title = page.title
    body: list[str] = []
    for number, (line, fenced) in enumerate(_scan(page.markdown.split("\n")), start=1):
        heading = None if fenced else _HEADING.match(line)
        if heading is None:
            if not (fenced and _FENCE.match(line)) and not _TABLE_RULE.match(line.strip()):
                body.append(line if fenced else plain_text(line))
            continue
        if number > 1 or body:
            parts.append(TextPart(anchor_of, title, " ".join(" ".join(body).split())))
        anchor_of = symbols.get(number) or (anchor(heading.group(2)) if number > 1 else None)
        title = symbols.get(number) or plain_text(heading.group(2))
        body = []
    parts.append(TextPart(anchor_of, title, " ".join(" ".join(body).split())))
    return parts


def plain_text(markdown: str) -> str:
    """One line of Markdown as the text it shows: links as their text, no markup."""
    text = _MARKUP_LINK.sub(r"\1", markdown.strip())
    text = text.lstrip(">#-+ ").replace("`", "").replace("*", "").replace("|", " ")
    return _ESCAPED.sub(r"\1", text).strip()
