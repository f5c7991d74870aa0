"""Checks that citations and diagrams in generated docs hold, for tests.

The production grounding check lives with the generator; these helpers let
tests verify the sections' citations against the files directly.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from docsgen.generator.model import Citation

_CITED = re.compile(r"`([^`\s]+):(\d+)`")
_MERMAID = re.compile(r"```mermaid\n(.*?)\n```", re.S)
_NODE = re.compile(r'^ {4}([A-Za-z0-9_]+)\["([^"]*)"\]$')
_EDGE = re.compile(r'^ {4}([A-Za-z0-9_]+) -->(?:\|"([^"]*)"\|)? ([A-Za-z0-9_]+)$')


def citation_problems(
    citations: Iterable[Citation], read: Callable[[str], str | None]
) -> list[str]:
    """Every citation whose file, line or name does not hold ("path:line: why")."""
    problems = []
    for c in citations:
        text = read(c.path)
        if text is None:
            problems.append(f"{c.path}:{c.line}: no such file")
            continue
        lines = text.splitlines()
        if not 1 <= c.line <= len(lines):
            problems.append(f"{c.path}:{c.line}: no such line ({len(lines)} lines)")
        elif c.name is not None and c.name not in lines[c.line - 1]:
            problems.append(f"{c.path}:{c.line}: {c.name!r} not on {lines[c.line - 1]!r}")
    return problems


def markdown_citations(markdown: str) -> list[tuple[str, int]]:
    """``path:line`` code spans as they appear in the Markdown."""
    return [(m.group(1), int(m.group(2))) for m in _CITED.finditer(markdown)]


def mermaid_blocks(markdown: str) -> list[str]:
    return _MERMAID.findall(markdown)


def mermaid_problems(source: str) -> list[str]:
    """Lines of a flowchart that are not the plain syntax the generator writes."""
    lines = source.splitlines()
    problems = []
    if not lines or not re.fullmatch(r"flowchart (LR|TD|TB|RL|BT)", lines[0]):
        problems.append(f"first line is not a flowchart header: {lines[:1]}")
    declared: set[str] = set()
    for line in lines[1:]:
        node = _NODE.match(line)
        edge = _EDGE.match(line)
        if node:
            declared.add(node.group(1))
        elif edge:
            for end in (edge.group(1), edge.group(3)):
                if end not in declared:
                    problems.append(f"edge to an undeclared node: {line}")
        else:
            problems.append(f"not a node or an edge: {line!r}")
    return problems
