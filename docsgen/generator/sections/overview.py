"""Overview: what the project is, in its own words, its key concepts, and what it is made of.

The first screen a newcomer reads.  It opens with the project's own
description: its manifest's, then the README's first paragraph of prose (the
one naming the project, when the README opens about something else), then,
without a README, the top-level module's documentation.  Then the languages
and size in one line, and the key concepts: the few public names ranked from
the code (``docsgen.generator.orientation.key_concepts``), each linked to its
API Reference entry, with a few real uses quoted as examples.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from docsgen.generator.inputs import COMMIT, FILES, REFERENCES, TEXTS, analyses
from docsgen.generator.manifests.identity import Identity, project_identity
from docsgen.generator.markdown import SectionWriter, anchor, code, escape
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.orientation import key_concepts
from docsgen.generator.orientation.key_concepts import Concept
from docsgen.generator.orientation.readme import (
    Paragraph,
    as_markdown,
    link_definitions,
    paragraphs,
    plain_text,
    readme_path,
)
from docsgen.generator.product import product_surfaces, roles_of
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.generator.surface.model import Surface
from docsgen.snapshot import human_size

TITLE = "Overview"
MAX_LANGUAGES = 3  # named in the one line; the rest are counted
NAMING_WINDOW = 6  # README paragraphs searched for one that names the project
MAX_USE_TEXT = 90  # characters of a quoted line of code

__all__ = ["SECTION", "find_readme"]


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    identity = project_identity(model.texts)
    try:
        roles = roles_of(model)
        surfaces = product_surfaces(model)
        concepts = key_concepts.rank(surfaces, model.analyses, model.texts, roles, model.references)
        unread = None
    except (ValueError, LookupError) as exc:
        # A stored analysis that cannot be read costs the key concepts, not the Overview:
        # the project's description comes from its README and manifests.
        surfaces, concepts = [], []
        unread = f"{type(exc).__name__}: {exc}"[:300]
    _description(w, model, identity, surfaces)
    w.add(_languages_line(model))
    if concepts:
        _key_concepts(w, model, concepts)
    elif unread is not None:
        w.add_warning(f"The key concepts could not be ranked ({code(unread)}).")
    w.add(_facts(model))
    skipped = [f for f in model.files if f.skipped]
    if skipped:
        reasons: dict[str, list[str]] = defaultdict(list)
        for f in skipped:
            reasons[f.skipped or ""].append(f.path)
        for reason, paths in sorted(reasons.items()):
            shown = ", ".join(code(p) for p in paths[:5])
            more = f" and {len(paths) - 5} more" if len(paths) > 5 else ""
            w.add_warning(f"{len(paths)} file(s) not read ({reason}): {shown}{more}.")
    for note in model.snapshot.notes:
        w.add_warning(note)
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


def find_readme(model: RepositoryModel) -> str | None:
    """The root README's path (Markdown first, then reStructuredText)."""
    return readme_path(model.texts)


def project_name(model: RepositoryModel, identity: Identity | None) -> str:
    """The name the project gives itself (its manifest's), else the repository's."""
    if identity is not None and identity.name is not None:
        return identity.name.value
    return model.name.rsplit("/", 1)[-1]


def _description(
    w: SectionWriter, model: RepositoryModel, identity: Identity | None, surfaces: Sequence[Surface]
) -> None:
    name = project_name(model, identity)
    described = identity.description if identity is not None else None
    if described is not None:
        text = escape(described.value).rstrip(".")
        w.add(f"{code(name)}: {text}. ({w.cite(described.path, described.line, described.token)})")
    readme = find_readme(model)
    found = _naming_paragraph(model.texts[readme], name) if readme else None
    if readme is not None and found is not None:
        quoted = as_markdown(found.lines, link_definitions(model.texts[readme]))
        lead = "The README says" if described is not None else f"{code(name)}, as its README says"
        w.add(f"{lead} ({w.cite(readme, found.line)}):\n\n> {quoted}")
        return
    module_doc = _top_module_doc(model, surfaces)
    if module_doc is not None:
        module, path, line, doc = module_doc
        w.add(f"The documentation of {code(module)} ({w.cite(path, line)}):\n\n> {doc}")
    if readme is None:
        w.add_warning("No README at the repository root: the project does not describe itself.")
    elif found is None:
        w.add_warning(f"{code(readme)} has no paragraph of prose to quote.")


def _naming_paragraph(text: str, name: str) -> Paragraph | None:
    """The first paragraph of prose that names the project among the first few (serde_json's
    README opens about Serde); else the first that ends a sentence (not a motto: "... so
    better sign this"), else the first.  A paragraph under a heading asking for money or
    setting terms (itsdangerous's "Donate"), or one pointing elsewhere for the documentation
    (tenacity's "Please refer to the tenacity documentation"), describes no project."""
    wanted = _letters(name)
    first = sentence = None
    shown = (p for p in paragraphs(text) if not _ASIDE.search(p.heading))
    for count, paragraph in enumerate(shown):
        plain = plain_text(paragraph.lines)
        if _POINTER.match(plain) and len(plain.split()) <= POINTER_WORDS:
            continue
        if wanted and wanted in _letters(plain):
            return paragraph
        first = first or paragraph
        if sentence is None and plain.rstrip(" *_").endswith((".", "!", "?")):
            sentence = paragraph
        if count + 1 >= NAMING_WINDOW:
            break
    return sentence or first


# README headings whose text is not about what the project is.
_ASIDE = re.compile(
    r"donat|sponsor|fund|backer|licen[cs]e|contribut|code of conduct|security|acknowledg",
    re.IGNORECASE,
)


# A paragraph that sends the reader elsewhere ("See the docs", "You can find more ... on").
_POINTER = re.compile(
    r"^\W*(?:please\s+)?(?:refer\s+to|see|visit|read|check\s+out|you\s+(?:can|will)\s+find|"
    r"for\s+(?:more|further|the\s+full|detailed|full))\b",
    re.IGNORECASE,
)
POINTER_WORDS = 30  # longer than this, a paragraph opening so says more than where to look


def _letters(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _top_module_doc(
    model: RepositoryModel, surfaces: Sequence[Surface]
) -> tuple[str, str, int, str] | None:
    """The first paragraph of the top-level public module's documentation."""
    for surface in surfaces:
        for module in sorted(surface.modules, key=lambda m: (len(m.name), m.name)):
            for path in (module.doc_path, *module.paths):
                ref = model.references.get(path) if path else None
                if ref is not None and ref.doc and ref.doc_line is not None:
                    doc = " ".join(ref.doc.split())
                    return module.name, ref.path, ref.doc_line, doc
            break  # only the shortest-named module: the top
    return None


def _languages_line(model: RepositoryModel) -> str:
    files: dict[str, int] = defaultdict(int)
    lines: dict[str, int] = defaultdict(int)
    for f in model.files:
        if f.language and f.skipped is None and f.folder_kind is None:
            files[f.language] += 1
            lines[f.language] += f.lines
    total = sum(f.size for f in model.files)
    own = sum(1 for f in model.files if f.folder_kind is None)
    size = f"{len(model.files)} files, {human_size(total)}"
    if own != len(model.files):
        size += f" ({len(model.files) - own} of them in vendored or generated folders)"
    if not files:
        return f"**Size:** {size}; no source files in a recognised language."
    rows = sorted(files, key=lambda lang: (-lines[lang], lang))
    named = ", ".join(
        f"{escape(lang)} ({_count(files[lang], 'file')}, {_count(lines[lang], 'line')})"
        for lang in rows[:MAX_LANGUAGES]
    )
    more = f" and {len(rows) - MAX_LANGUAGES} more" if len(rows) > MAX_LANGUAGES else ""
    return f"**Languages:** {named}{more} · **Size:** {size}."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _key_concepts(w: SectionWriter, model: RepositoryModel, concepts: list[Concept]) -> None:
    rows = [
        "### Key concepts\n",
        "The public names a newcomer meets first, ranked from the code: exported at the top, "
        "imported by the project's modules, its tests and examples, shown in the README.\n",
        "| Name | Kind | What it is | Declared |",
        "|---|---|---|---|",
    ]
    for concept in concepts:
        found = key_concepts.summary(concept, model.references)
        shown = found.text.replace("|", "\\|") if found.text else "*no documentation*"
        if found.base is not None:
            base = found.base
            shown += f" *(the documentation of its base {code(base.name or '')}, " \
                     f"{w.cite(base.path, base.line, base.name)})*"  # fmt: skip
        cited = found.citation
        rows.append(
            f"| {_link(concept)} | {escape(concept.kind)} | {shown} | "
            f"{w.cite(cited.path, cited.line, cited.name)} |"
        )
    w.add("\n".join(rows))
    uses = [c for c in concepts if c.uses]
    if not uses:
        return
    lines = ["#### Where they are used\n"]
    for concept in uses:
        quoted = []
        for use in concept.uses:
            where = w.cite(use.citation.path, use.citation.line, use.citation.name)
            if use.text is not None:
                text = use.text if len(use.text) <= MAX_USE_TEXT else use.text[:MAX_USE_TEXT] + "…"
                quoted.append(f"{cell_code(text)} ({where})")
            elif (use.citation.name or "").startswith("Example"):
                quoted.append(f"the runnable example {code(use.citation.name or '')} ({where})")
            else:
                whose = {"example": "an example", "test": "a test"}.get(use.how, "a module")
                quoted.append(f"imported by {whose} ({where})")
        lines.append(f"- {_link(concept)}: " + "; ".join(quoted))
    w.add("\n".join(lines))


def _link(concept: Concept) -> str:
    """The concept's name, linked to its API Reference entry (anchors are qualified names)."""
    return f"[{code(concept.label)}](#{concept.anchor})"


def _facts(model: RepositoryModel) -> str:
    meta = model.snapshot.metadata
    facts = [f"- **Repository:** {escape(model.name)}", f"- **Commit:** {code(model.commit_sha)}"]
    if meta.description:
        facts.append(
            f"- **Description (from the repository settings):** {escape(meta.description)}"
        )
    if meta.default_branch:
        facts.append(f"- **Default branch:** {code(meta.default_branch)}")
    if meta.license:
        facts.append(f"- **License:** {escape(meta.license)}")
    if meta.topics:
        facts.append("- **Topics:** " + ", ".join(escape(t) for t in meta.topics))
    if meta.archived:
        facts.append("- **Archived:** yes — the repository is read-only")
    return "\n".join(facts)


SECTION = Section(
    "overview",
    TITLE,
    build,
    inputs=frozenset({COMMIT, FILES, TEXTS, REFERENCES, analyses("surface")}),
)
