"""Overview: what the repository is, in its own words, and what it is made of."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from docsgen.generator.inputs import COMMIT, FILES, TEXTS
from docsgen.generator.markdown import SectionWriter, anchor, code, escape
from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.snapshot import human_size

TITLE = "Overview"
_README = re.compile(r"^readme(\.(md|markdown|rst|txt))?$", re.IGNORECASE)
# Lines that are not prose: badges, images, HTML, link references, rst directives.
_NOT_PROSE = re.compile(
    r"^\s*(\[!\[|!\[|<|\[[^\]]+\]:\s|\.\. |:[a-z]+:|[=\-~^*#`]{3,}\s*$|\|)", re.IGNORECASE
)


def find_readme(model: RepositoryModel) -> str | None:
    candidates = [p for p in model.texts if "/" not in p and _README.match(p)]
    # Prefer Markdown, then reStructuredText, then the rest, alphabetically.
    order = {".md": 0, ".markdown": 0, ".rst": 1}
    candidates.sort(key=lambda p: (order.get(PurePosixPath(p).suffix.lower(), 2), p))
    return candidates[0] if candidates else None


def first_paragraph(text: str) -> tuple[int, list[str]] | None:
    """The README's first paragraph of prose: (first line number, its lines)."""
    lines = text.splitlines()
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        elif (
            not in_fence
            and stripped
            and not stripped.startswith("#")
            and not _NOT_PROSE.match(line)
            and not (i + 1 < len(lines) and re.fullmatch(r"[=\-~^*#]{3,}", lines[i + 1].strip()))
        ):
            start = i
            para: list[str] = []
            while i < len(lines) and lines[i].strip() and not _NOT_PROSE.match(lines[i]):
                para.append(lines[i].strip())
                i += 1
            return start + 1, para
        i += 1
    return None


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
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
    w.add("\n".join(facts))

    readme = find_readme(model)
    if readme is None:
        w.add_warning("No README at the repository root: the project does not describe itself.")
    else:
        found = first_paragraph(model.texts[readme])
        if found is None:
            w.add_warning(f"{code(readme)} has no paragraph of prose to quote.")
        else:
            line, para = found
            quoted = "\n".join("> " + escape(p) for p in para)
            w.add(
                f"The README describes the project as:\n\n{quoted}\n>\n> — {w.cite(readme, line)}"
            )

    w.add(_languages_table(model))
    total = sum(f.size for f in model.files)
    own = [f for f in model.files if f.folder_kind is None]
    w.add(
        f"**Size:** {len(model.files)} files, {human_size(total)}"
        + (f" ({len(model.files) - len(own)} of them in vendored or generated folders)"
           if len(own) != len(model.files) else "")
        + "."
    )  # fmt: skip
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


def _languages_table(model: RepositoryModel) -> str:
    files: dict[str, int] = defaultdict(int)
    lines: dict[str, int] = defaultdict(int)
    for f in model.files:
        if f.language and f.skipped is None and f.folder_kind is None:
            files[f.language] += 1
            lines[f.language] += f.lines
    if not files:
        return "No source files in a recognised language."
    rows = sorted(files, key=lambda lang: (-lines[lang], lang))
    table = ["| Language | Files | Lines |", "|---|---:|---:|"]
    table += [f"| {lang} | {files[lang]} | {lines[lang]} |" for lang in rows]
    return "**Languages** (by lines, vendored and generated folders excluded):\n\n" + "\n".join(
        table
    )


SECTION = Section("overview", TITLE, build, inputs=frozenset({COMMIT, FILES, TEXTS}))
