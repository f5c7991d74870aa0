"""Mermaid flowcharts from plain data: safe node ids, quoted labels, stable output."""

from __future__ import annotations

import re
from collections.abc import Iterable

from docsgen.generator.markdown import printable

_UNSAFE = re.compile(r"[^A-Za-z0-9_]")


def node_ids(labels: Iterable[str]) -> dict[str, str]:
    """A Mermaid-safe id (``^[A-Za-z0-9_]+$``, never a keyword) for each label, stable."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for label in sorted(set(labels)):
        base = "m_" + (_UNSAFE.sub("_", label).strip("_") or "root")
        candidate = base
        n = 2
        while candidate in used:
            candidate = f"{base}_{n}"
            n += 1
        used.add(candidate)
        ids[label] = candidate
    return ids


# Mermaid's entity codes (``#name;`` or ``#decimal;``); ``#`` first, as it starts them all.
_ENTITIES = (("#", "#35;"), ("&", "#amp;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"),
             ("`", "#96;"))  # fmt: skip


def quote(label: str) -> str:
    """A label Mermaid shows as written: quoted, on one line (``printable``), with the
    characters that start an entity, end the quotes, open markup or a Markdown string
    escaped as entities."""
    escaped = printable(label)
    for char, entity in _ENTITIES:
        escaped = escaped.replace(char, entity)
    return f'"{escaped}"'


def flowchart(
    labels: Iterable[str],
    edges: Iterable[tuple[str, str, str | None]],
    direction: str = "LR",
) -> str:
    """``flowchart`` source: one node per label, one arrow per (from, to, arrow label)."""
    ids = node_ids(labels)
    lines = [f"flowchart {direction}"]
    lines += [f"    {ids[label]}[{quote(label)}]" for label in sorted(ids)]
    for source, target, text in sorted(edges, key=lambda e: (e[0], e[1], e[2] or "")):
        arrow = f"-->|{quote(text)}|" if text else "-->"
        lines.append(f"    {ids[source]} {arrow} {ids[target]}")
    return "\n".join(lines)
