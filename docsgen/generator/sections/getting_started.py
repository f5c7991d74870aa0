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
from docsgen.generator.manifests.identity import project_identity
from docsgen.generator.manifests.readme_code import CodeBlock, code_blocks
from docsgen.generator.markdown import SectionWriter, anchor, code, escape, fence
from docsgen.generator.markdown.cells import cell_code
from docsgen.generator.model import RepositoryModel
from docsgen.generator.orientation.readme import is_example, plain_text, readme_path
from docsgen.generator.product import roles_of
from docsgen.generator.sections.base import Section, SectionResult
from docsgen.generator.surface.roles import PRODUCT

TITLE = "Getting Started"
MAX_PER_PURPOSE = 25
MAX_EXAMPLE_LINES = 25


def build(model: RepositoryModel) -> SectionResult:
    w = SectionWriter(model.snapshot)
    readme = readme_path(model.texts)
    blocks = readme_blocks(model.texts[readme], readme) if readme else []
    roles = roles_of(model)
    commands = manifest_commands(
        model.texts, [f.path for f in model.files], model.analyses,
        lambda path: roles.of.get(path, PRODUCT),
    )  # fmt: skip
    all_blocks = list(code_blocks(model.texts[readme], readme)) if readme else []
    snippets = [b for b in all_blocks if _is_manifest_snippet(b)]
    example = next((b for b in all_blocks if is_example(b)), None)
    if not blocks and not commands and not snippets and example is None:
        w.add_warning(
            "No install, build, run or test command was found in the README or the build files."
        )
        return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), ())
    w.add(
        "Commands quoted from the repository, each with its source. Commands marked *implied* "
        "are the standard commands of a build tool whose manifest is present; the repository "
        "does not spell them out."
    )
    _install(w, model)
    if readme is not None:
        for snippet in snippets[:1]:
            w.add(f"The README adds it to {code('Cargo.toml')} ({w.cite(readme, snippet.line)}):")
            w.add(fence(snippet.text, snippet.info))
        if example is not None:
            w.add("### First example from the README")
            heading = escape(" ".join(plain_text((example.heading,)).split()) or "README")
            w.add(f"**{heading}** ({w.cite(readme, example.line)}):")
            w.add(fence(_shortened(example.text), example.info))
    if blocks and readme:
        w.add("### From the README")
        for block in blocks:
            w.add(f"**{escape(block.heading)}** ({w.cite(readme, block.line, block.token)}):")
            w.add(fence(block.text, block.info or "sh"))
    by_purpose: dict[str, list[Command]] = defaultdict(list)
    for command in commands:
        by_purpose[command.purpose].append(command)
    for purpose in PURPOSES:
        # The repository's own manifest before its sub-projects' (``pip install .`` before
        # ``pip install ./examples/celery``), what is written before what is implied.
        found = sorted(
            by_purpose.get(purpose, []),
            key=lambda c: ("/" in c.path, c.implied, c.path, c.line, c.command),
        )
        if not found:
            continue
        w.add(f"### {purpose}")
        rows = ["| Command | What it does | Source |", "|---|---|---|"]
        for c in found[:MAX_PER_PURPOSE]:
            mark = " *(implied)*" if c.implied else ""
            rows.append(
                f"| {cell_code(c.command)}{mark} | {_what_it_does(c)} | "
                f"{w.cite(c.path, c.line, c.token)} |"
            )
        w.add("\n".join(rows))
        if len(found) > MAX_PER_PURPOSE:
            w.add(f"… and {len(found) - MAX_PER_PURPOSE} more.")
    if readme is None:
        w.add_warning("No README at the repository root: no documented commands to quote.")
    elif not blocks and not snippets:
        w.add_warning(
            f"{code(readme)} has no shell block under an install, usage, build or test heading."
        )
    return SectionResult(TITLE, anchor(TITLE), w.markdown(), tuple(w.warnings), tuple(w.citations))


_TOOLS = {"Python": "pip", "Rust": "Cargo", "Go": "Go"}


def _install(w: SectionWriter, model: RepositoryModel) -> None:
    """How a user installs the published package: the ecosystem's command and its name."""
    identity = project_identity(model.texts)
    command = identity.install_command() if identity is not None else None
    if identity is None or identity.name is None or command is None:
        return
    name = identity.name
    w.add("### Installing the package")
    w.add(fence(command, "sh"))
    tool = _TOOLS.get(identity.ecosystem, identity.ecosystem)
    w.add(
        f"*Implied:* {escape(tool)}'s command for the package by the name its manifest "
        f"gives it ({w.cite(name.path, name.line, name.token)}), as published."
    )


def _is_manifest_snippet(block: CodeBlock) -> bool:
    """A README block that adds the package to a manifest (Cargo's ``[dependencies]``)."""
    return block.info == "toml" and "[dependencies]" in block.text


def _shortened(text: str) -> str:
    lines = text.splitlines()
    if len(lines) <= MAX_EXAMPLE_LINES:
        return text
    more = f"… {len(lines) - MAX_EXAMPLE_LINES} more lines"
    return "\n".join([*lines[:MAX_EXAMPLE_LINES], more])


SECTION = Section(
    "getting_started", TITLE, build, inputs=frozenset({PATHS, TEXTS, analyses("entry")})
)


def _what_it_does(command: Command) -> str:
    """The detail in words, then what it runs as code: a recipe's ``$(VAR)`` and a script's
    ``|`` read as written."""
    shown = escape(command.detail)
    return f"{shown} {cell_code(command.runs)}" if command.runs else shown
