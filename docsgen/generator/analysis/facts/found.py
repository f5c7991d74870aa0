"""What a facts extractor finds in one file, in the order it finds it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from docsgen.generator.analysis.facts.lexer import Masked
from docsgen.generator.analysis.file_analysis import CallFacts, Classes, EnvRead, Import, Route

EntryPoint = tuple[str, str, int]  # (name, target, line)


@dataclass
class Facts:
    imports: list[Import] = field(default_factory=list)
    env_reads: list[EnvRead] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    entry_points: list[EntryPoint] = field(default_factory=list)
    call_graph: CallFacts | None = None
    classes: Classes = ()  # Python only
    warnings: list[str] = field(default_factory=list)  # what could not be read, and why


def env_read(
    m: Masked, found: re.Match[str], how: str, default: str | None = None, literal: bool = True
) -> EnvRead:
    """The read ``found`` matched in ``m``'s code: of the name in its string literal (group
    ``s``), or else of the expression it computes (group ``expr``), as written."""
    if found["s"] is not None:
        name = m.literal(found.start("s"), found.end("s"))
        return EnvRead(name, m.line(found.start("s")), default, how, False, literal)
    expr = m.text[found.start("expr") : found.end("expr")].strip()
    return EnvRead(expr, m.line(found.start("expr")), default, how, True, literal)


def read(
    m: Masked,
    *readers: Callable[[Masked, Facts], None],
    entry_points: list[EntryPoint] | None = None,
) -> Facts:
    """What ``readers`` find in a masked text, each in turn (routes are read once the
    imports are: the imports say which framework declares them), and ``entry_points``."""
    facts = Facts(entry_points=entry_points or [])
    for reader in readers:
        reader(m, facts)
    return facts


def mains(m: Masked, pattern: re.Pattern[str], path: str) -> list[EntryPoint]:
    """A ``main`` entry point of ``path`` wherever ``pattern`` finds one (its group ``name``)."""
    return [("main", path, m.line(found.start("name"))) for found in pattern.finditer(m.code)]
