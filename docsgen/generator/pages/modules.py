"""The API Reference cut into its modules' pages, each module's remembered by its digest.

A module's pages are cut from its Markdown alone: a regeneration cuts only the
modules whose Markdown changed (``docs/pages.md`` says how this stays fast).
The modules are found by one pattern over the whole section, or read piece by
piece from the pieces the section was put together from; ``cut_pieces`` does
the cutting anywhere (a worker process) and ``remember_piece_cuts`` keeps it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.engine.memo import Memo
from docsgen.generator.markdown import Piece, code, join_parts
from docsgen.generator.pages.draft import Draft
from docsgen.generator.pages.lines import (
    ESCAPED,
    FENCE,
    HEADING,
    LINK_TARGET,
    MARKUP_LINK,
    code_flags,
)
from docsgen.generator.pages.model import API_SLUG, MAX_PAGE_BYTES, SUMMARY_CHARS

# In a whole text: a line ``FENCE`` matches (its fence, then the rest), or a module's heading.
_BLOCK_LINE = re.compile(r"^(?:[^\S\n]*(`{3,}|~{3,})([^\n]*)|### )", re.MULTILINE)
_MODULE_SPLIT = "modules"  # the memo's name for where an API Reference's modules are...
_MODULE_PAGES = "module pages"  # ... for a module's pages, by its digest...
_PIECE = "piece kind"  # ... for what a piece of it is, and a module's digest...
_CODE_SPAN = re.compile(r"^(`+) ?(.+?) ?\1$")
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
_SENTENCE = re.compile(r"^(.+?[.!?])(?=\s|$)")


def module_cuts(
    markdown: str, memo: Memo | None, pieces: Sequence[Piece] | None
) -> tuple[str, list[tuple[Draft, ...]]]:
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


def _module_cut(key: str, memo: Memo | None, text: str | Callable[[], str]) -> tuple[Draft, ...]:
    """A module's pages, remembered in ``memo`` by ``key`` (the digest of its Markdown:
    ``text``, or what it gives, read only when the pages must be cut)."""
    cut: tuple[Draft, ...] | None = memo.recall(key, _MODULE_PAGES) if memo and key else None
    if cut is None:
        markdown = text if isinstance(text, str) else text()
        cut = _cut_text(markdown, key)
        if memo is not None and key:
            memo.remember(key, _MODULE_PAGES, cut, 2 * len(markdown))
    return cut


def _cut_text(text: str, key: str) -> tuple[Draft, ...]:
    return tuple(
        replace(draft, memo_key=f"{key}:{number}" if key else "")
        for number, draft in enumerate(_module_pages(text.split("\n")))
    )


# What a piece of the API Reference is (``_piece_facts``): its opening, one whole module,
# or anything else (a heading inside it, a code block left open).
_OPENING, _MODULE, _OTHER = "opening", "module", "other"
PieceCut = tuple[str, str, str, tuple["Draft", ...] | None]  # piece key, kind, digest, pages


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
) -> tuple[str, list[tuple[Draft, ...]]] | None:
    """``module_cuts`` read piece by piece: None unless the section is opening pieces
    (no module heading) then whole modules, each piece closing its code blocks.

    What each piece is, and a module's digest, are remembered by the piece's key:
    a regeneration reads only the pieces written anew.
    """
    opening: list[str] = []
    cuts: list[tuple[Draft, ...]] = []
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
    text; the code blocks are followed as ``code_flags`` follows them line by line.
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


def _module_pages(block: list[str]) -> tuple[Draft, ...]:
    """One module's page, or its parts when it is larger than ``MAX_PAGE_BYTES``,
    finished (their section's index is the run's to set)."""
    flags = list(code_flags(block))
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
        draft = Draft(title, API_SLUG, list(head), 0, (name,) if number == 1 else ())
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


def _add_entry(draft: Draft, entry: list[str], flags: list[bool], module: str, sep: str) -> None:
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
            if not FENCE.match(line):
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
        if fenced[i] or not lines[i].strip() or HEADING.match(lines[i]):
            break
        paragraph.append(lines[i].strip())
    text = " ".join(paragraph)
    if not text or text[0] in ">|-#" or text.startswith("**") or text.startswith("*Implements"):
        return ""
    if text.startswith("*Inherited from"):
        return ""
    plain = ESCAPED.sub(r"\1", MARKUP_LINK.sub(r"\1", text)).replace("`", "").replace("*", "")
    sentence = _SENTENCE.match(plain)
    plain = sentence.group(1) if sentence else plain
    return plain if len(plain) <= SUMMARY_CHARS else plain[: SUMMARY_CHARS - 1] + "…"


def _citation(text: str) -> str | None:
    found = list(_CITATION.finditer(text))
    return found[-1].group(2).replace("\\|", "|") if found else None


def _module_slug(name: str) -> str:
    return "api-" + _SLUG_UNSAFE.sub("-", name)


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
    return len(text.encode()) + 1 + sum(len(t) + 8 for t in LINK_TARGET.findall(text))
