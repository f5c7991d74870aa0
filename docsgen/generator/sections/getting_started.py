"""Getting Started: install, build, run and test commands, quoted with their source.

Commands written in the repository (README shell blocks under install/usage
headings, ``package.json`` scripts, ``Makefile`` targets, ``Dockerfile``
instructions, declared console scripts) are quoted as written.  Commands a
manifest only implies (``go build ./...`` for a ``go.mod``) are marked
*implied*: they are the build tool's standard commands, not text of the
repository.
"""

from __future__ import annotations

from collections import defaultdict

from docsgen.generator.inputs import PATHS, TEXTS, analyses
from docsgen.generator.manifests.commands import (
    PURPOSES,
    Command,
    manifest_commands,
    readme_blocks,
)
from docsgen.generator.markdown import SectionWriter, anchor, code, escape, fence
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.generator.sections.overview import find_readme

TITLE = "Getting Started"
MAX_PER_PURPOSE = 25


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    readme = find_readme(model)
    blocks = readme_blocks(model.texts[readme]) if readme else []
    commands = manifest_commands(model.texts, [f.path for f in model.files], model.analyses)
    if not blocks and not commands:
        w.add_warning(
            "No install, build, run or test command was found in the README or the build files."
        )
        return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), ())
    w.add(
        "Commands quoted from the repository, each with its source. Commands marked *implied* "
        "are the standard commands of a build tool whose manifest is present; the repository "
        "does not spell them out."
    )
    if blocks and readme:
        w.add("### From the README")
        for block in blocks:
            w.add(f"**{escape(block.heading)}** ({w.cite(readme, block.line, block.token)}):")
            w.add(fence(block.text, block.info or "sh"))
    by_purpose: dict[str, list[Command]] = defaultdict(list)
    for command in commands:
        by_purpose[command.purpose].append(command)
    for purpose in PURPOSES:
        found = sorted(
            by_purpose.get(purpose, []),
            key=lambda c: (c.implied, c.path, c.line, c.command),
        )
        if not found:
            continue
        w.add(f"### {purpose}")
        rows = ["| Command | What it does | Source |", "|---|---|---|"]
        for c in found[:MAX_PER_PURPOSE]:
            mark = " *(implied)*" if c.implied else ""
            rows.append(
                f"| {cell_code(c.command)}{mark} | {escape(c.detail)} | "
                f"{w.cite(c.path, c.line, c.token)} |"
            )
        w.add("\n".join(rows))
        if len(found) > MAX_PER_PURPOSE:
            w.add(f"… and {len(found) - MAX_PER_PURPOSE} more.")
    if readme is None:
        w.add_warning("No README at the repository root: no documented commands to quote.")
    elif not blocks:
        w.add_warning(
            f"{code(readme)} has no shell block under an install, usage, build or test heading."
        )
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


SECTION = Section(
    "getting_started", TITLE, build, inputs=frozenset({PATHS, TEXTS, analyses("entry")})
)
