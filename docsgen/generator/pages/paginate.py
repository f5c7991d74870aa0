"""The sections cut into pages in reading order, their links rewritten to other pages."""

from __future__ import annotations

import re
from collections.abc import Sequence

from docsgen.generator.engine.memo import Memo
from docsgen.generator.markdown import Piece, anchor, code
from docsgen.generator.pages.draft import Draft
from docsgen.generator.pages.lines import HEADING, LINK_TARGET, scan
from docsgen.generator.pages.model import API_SLUG, DocSymbol, Page
from docsgen.generator.pages.modules import module_cuts
from docsgen.generator.sections.api_reference import TITLE as API_TITLE
from docsgen.generator.sections.base import SectionResult

_LINKED = "linked page"  # ... for one of them with its links rewritten...
_SYMBOLS = "page symbols"  # ... and for its symbols


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
    together from, when its Markdown is theirs (``module_cuts``).
    """
    sections = reading_order(sections)
    drafts: list[Draft] = []
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


def _guide_page(index: int, section: SectionResult) -> Draft:
    lines = [f"# {section.title}", ""]
    for line, fenced in scan(section.markdown.split("\n")):
        heading = None if fenced else HEADING.match(line)
        if heading is not None:
            line = "#" * max(len(heading.group(1)) - 1, 2) + " " + heading.group(2)
        lines.append(line)
    draft = Draft(section.title, None, lines, index, (section.anchor,))
    draft.slug = section.anchor
    return draft


def _api_pages(
    index: int, section: SectionResult, memo: Memo | None, pieces: Sequence[Piece] | None
) -> list[Draft]:
    """The API Reference's parent page, then its modules' pages (the modules' list on
    the parent page is filled in once their slugs are known: ``_link_modules``)."""
    opening, cuts = module_cuts(section.markdown, memo, pieces)
    parent = Draft(API_TITLE, None, [f"# {API_TITLE}", "", *opening.split("\n")], index,
                    (API_SLUG,))  # fmt: skip
    parent.slug = API_SLUG
    drafts = [parent]
    for cut in cuts:
        drafts += [draft.for_run(index) for draft in cut]
    return drafts


def _link_modules(drafts: list[Draft]) -> None:
    """The parent API page lists its modules' pages, each linked by its slug."""
    for parent in (d for d in drafts if d.slug == API_SLUG):
        children = [d for d in drafts if d.parent == parent.slug]
        if children:
            while parent.lines and not parent.lines[-1].strip():
                parent.lines.pop()
            parent.lines += ["", "## Modules", ""]
            parent.lines += [f"- [{code(d.title)}]({d.slug})" for d in children]


def _targets(drafts: list[Draft]) -> dict[str, tuple[str, bool]]:
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
        for line, fenced in scan(draft.lines):
            heading = None if fenced else HEADING.match(line)
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

    return LINK_TARGET.sub(rewrite, line)


def _warnings(drafts: list[Draft], sections: Sequence[SectionResult]) -> list[int]:
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


def _symbols_remembered(draft: Draft, seen: set[str], memo: Memo | None) -> tuple[DocSymbol, ...]:
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
    draft: Draft, targets: dict[str, tuple[str, bool]], memo: Memo | None
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


def _linked(draft: Draft, targets: dict[str, tuple[str, bool]]) -> str:
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


def _slug_of(draft: Draft) -> str:
    return anchor(draft.title) or "page"


def _unique(slug: str, taken: set[str]) -> str:
    candidate, n = slug, 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate
