"""API Reference: each module's public names with signatures, docs and where they are.

Modules come in name order (a Go or Java package gathers its files), their
names in source order, members under their class.  Everything shown is read
from the code: a name without documentation says so (⚠️, described from its
signature alone), a file that does not parse shows the parser's error, and
files the analysers do not read are listed.  The entries of each file were
rendered when it was analysed (``docsgen.generator.reference``); this section
orders them, adds the headings and fills in the citations.  The opening and
the grouping read the files' summaries; a file's entries are read only to
write its module's piece.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from docsgen.generator.digest import text_hexdigest
from docsgen.generator.inputs import PATHS, REFERENCES
from docsgen.generator.lazy import Encoded
from docsgen.generator.markdown import Piece, SectionWriter, citation_renderer, code, escape
from docsgen.generator.model import RepositoryModel
from docsgen.generator.modules import python_module, python_packages
from docsgen.generator.reference import FileReference, ReferenceSummary, plural
from docsgen.generator.sections.base import Section, SectionResult, assemble

TITLE = "API Reference"
MAX_LISTED = 10  # files named per warning; the rest are counted
# Languages whose files are documented together, by package.
_PACKAGE_LANGUAGES = frozenset({"Go", "Java"})


@dataclass
class _Group:
    """One heading: a module (or a Go/Java package) and its files."""

    name: str
    language: str | None
    files: list[ReferenceSummary] = field(default_factory=list)


def _groups(model: RepositoryModel, refs: list[ReferenceSummary]) -> list[_Group]:
    packages = python_packages(f.path for f in model.files)
    groups: dict[tuple[str, str], _Group] = {}
    for ref in refs:
        path = ref.path
        if not ref.analysed:
            continue
        name = (python_module(path, packages) if ref.language == "Python" else None) or (
            ref.module or path
        )
        key = (name, ref.language or "") if ref.language in _PACKAGE_LANGUAGES else (name, path)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(name, ref.language)
        group.files.append(ref)
    shown = [g for g in groups.values() if any(r.has_content for r in g.files)]
    return sorted(shown, key=lambda g: (g.name, g.files[0].path))


def module_groups(model: RepositoryModel) -> list[tuple[str, list[str]]]:
    """Each module (or Go/Java package) the section gives a heading, with its files."""
    groups = _groups(model, [model.summaries[path] for path in model.summaries])
    return [(g.name, [r.path for r in g.files]) for g in groups]


def _fill(w: SectionWriter, ref: FileReference) -> str:
    """The file's entries with their citations written (and recorded) in order.

    Placeholder n is the n-th one in the text, so splitting on the NULs that
    delimit them alternates text and citation numbers, 0, 1, 2...
    """
    pieces = ref.entries.split("\x00")
    citations = ref.citations
    if len(pieces) != 2 * len(citations) + 1:
        raise ValueError(f"the entries of {ref.path} do not match their citations")
    render = citation_renderer(w.snapshot, ref.path)
    pieces[1::2] = [render(c.line) for c in citations]
    w.citations.extend(citations)
    return "".join(pieces)


def _render_group(w: SectionWriter, group: _Group, files: list[FileReference]) -> None:
    parts = [f"### {code(group.name)}\n"]
    intro = f"*{group.language}* · " + ", ".join(code(r.path) for r in files)
    documented = next((r for r in files if r.doc and r.doc_line is not None), None)
    if documented is not None and documented.doc_line is not None:
        intro += f" — {documented.doc} — {w.cite(documented.path, documented.doc_line)}"
    parts.append(intro)
    problems = []
    for ref in files:
        prefix = f"{code(ref.path)}: " if len(files) > 1 else ""
        for problem in ref.problems:
            problems.append(w.warn(problem if problem.startswith(code(ref.path)) else
                                   prefix + problem))  # fmt: skip
    if problems:
        parts.append("\n" + "\n\n".join(problems))
    entries = [_fill(w, ref) for ref in files if ref.entries]
    for ref in files:
        w.warnings.extend(ref.undocumented)
    if entries:
        parts.append("\n" + "\n".join(entries))
    w.add("\n".join(parts))


def _not_analysed(w: SectionWriter, refs: list[ReferenceSummary]) -> None:
    for ref in refs:
        if not ref.analysed and ref.skipped:
            w.add_warning(f"{code(ref.path)} was not analysed: {ref.skipped}.")
    by_language: dict[str, list[str]] = defaultdict(list)
    for ref in refs:
        if not ref.analysed and not ref.skipped:
            by_language[ref.language or "unknown"].append(ref.path)
    if by_language:
        parts = []
        for language, paths in sorted(by_language.items()):
            shown = ", ".join(code(p) for p in paths[:MAX_LISTED])
            more = f" and {len(paths) - MAX_LISTED} more" if len(paths) > MAX_LISTED else ""
            parts.append(f"{escape(language)} ({len(paths)}: {shown}{more})")
        total = sum(len(p) for p in by_language.values())
        w.add_warning(
            f"{total} file(s) in languages without an analyser are counted but not analysed: "
            + "; ".join(parts)
            + "."
        )


def build_pieces(model: RepositoryModel, known: Collection[str] = ()) -> list[Piece]:
    """The section in pieces: its opening, then one piece per module.

    A module's piece is named by everything it is written from: how citations
    link, the module's name and language, and its files' content keys.  A
    module whose key is in ``known`` is not written again: it comes back as
    ``Piece(key, None)``, to be filled in by the caller that holds it.
    """
    known = frozenset(known)  # a list of hundreds, looked up once per module
    head = SectionWriter(model.snapshot)
    refs = [model.summaries[path] for path in model.summaries]
    groups = _groups(model, refs)
    kinds: Counter[str] = Counter()
    for ref in refs:
        for kind, n in ref.kinds:
            kinds[kind] += n
    if groups:
        languages = ", ".join(sorted({g.language or "unknown" for g in groups}))
        counts = ", ".join(
            f"{n} {plural(k, n)}" for k, n in sorted(kinds.items(), key=lambda x: (-x[1], x[0]))
        )
        head.add(
            f"The public API of {len(groups)} module(s) in {languages}"
            + (f": {counts}" if counts else "")
            + ". Each entry gives the declaration's signature, the first paragraph of its "
            "documentation and where it is declared; members are listed under their class."
        )
    else:
        head.add("No public declarations were found in the analysed code.")
    _not_analysed(head, refs)
    pieces = [head.piece(None)]
    for group in groups:
        key = _piece_key(model, group)
        if key is not None and key in known:
            pieces.append(Piece(key, None))
            continue
        w = SectionWriter(model.snapshot)
        _render_group(w, group, [model.references[ref.path] for ref in group.files])
        pieces.append(w.piece(key))
    return pieces


def _piece_key(model: RepositoryModel, group: _Group) -> str | None:
    """What a module's piece is written from, digested; None when a file has no content key."""
    references = model.references
    if not isinstance(references, Encoded):
        return None
    keys = [(ref.path, references.content_key(ref.path)) for ref in group.files]
    if not all(key for _, key in keys):
        return None
    named = (model.snapshot.source_url_template, group.name, group.language, keys)
    return text_hexdigest(repr(named))


def build(model: RepositoryModel) -> SectionResult:
    return assemble(TITLE, build_pieces(model))


def applies(model: RepositoryModel) -> bool:
    return bool(model.references)  # the same files as the analyses


SECTION = Section(
    "api_reference", TITLE, build, applies, frozenset({PATHS, REFERENCES}), build_pieces
)
