"""Entry points declared in manifests: console scripts and binaries, with their lines.

``pyproject.toml`` (``[project.scripts]``, ``[project.gui-scripts]``,
``[tool.poetry.scripts]``), ``setup.cfg`` (``console_scripts`` and
``gui_scripts`` of ``[options.entry_points]``), ``package.json`` (``bin``) and
``Cargo.toml`` (``[[bin]]``).  Each entry is ``(name, target, line)`` where
``name`` is written on ``line``.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import PurePosixPath
from typing import Any

from docsgen.generator.analysis.facts.found import EntryPoint, Facts
from docsgen.generator.analysis.manifest_lines import (
    LineIndex,
    TomlLines,
    ini_values,
    json_key_line,
)


def is_manifest(path: str) -> bool:
    return path.rsplit("/", 1)[-1].lower() in (
        "pyproject.toml", "setup.cfg", "package.json", "cargo.toml",
    )  # fmt: skip


def extract(path: str, text: str) -> Facts:
    """Entry points, or a warning (a manifest that does not parse)."""
    name = PurePosixPath(path).name.lower()
    if name == "setup.cfg":
        return Facts(entry_points=_setup_cfg(text))
    try:
        if name == "package.json":
            data = json.loads(text)
        else:
            data = tomllib.loads(text)
    except (ValueError, RecursionError) as e:
        kind = "JSON" if name == "package.json" else "TOML"
        return Facts(warnings=[f"{PurePosixPath(path).name} is not valid {kind}: {_first_line(e)}"])
    if not isinstance(data, dict):
        return Facts()
    if name == "pyproject.toml":
        return Facts(entry_points=_pyproject(text, data))
    if name == "package.json":
        return Facts(entry_points=_package_json(text, data))
    return Facts(entry_points=_cargo(text, data))


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _table(data: dict[str, Any], *path: str) -> dict[str, Any]:
    node: Any = data
    for part in path:
        node = node.get(part) if isinstance(node, dict) else None
    return node if isinstance(node, dict) else {}


def _pyproject(text: str, data: dict[str, Any]) -> list[EntryPoint]:
    lines = TomlLines(text)
    found: list[EntryPoint] = []
    for path in (("project", "scripts"), ("project", "gui-scripts"), ("tool", "poetry", "scripts")):
        for name, target in sorted(_table(data, *path).items()):
            if isinstance(target, dict):  # poetry's {callable = "m:f"}
                target = target.get("callable") or target.get("reference")
            line = lines.key_line(path, name)
            if isinstance(target, str) and line is not None:
                found.append((name, target, line))
    return found


def _setup_cfg(text: str) -> list[EntryPoint]:
    found: list[EntryPoint] = []
    for key in ("console_scripts", "gui_scripts"):
        for value in ini_values(text, "options.entry_points", key):
            spec = re.fullmatch(r"([^=\s]+)\s*=\s*(\S.*)", value.text)
            if spec:
                found.append((spec.group(1), spec.group(2).strip(), value.line))
    return found


def _package_json(text: str, data: dict[str, Any]) -> list[EntryPoint]:
    bins = data.get("bin")
    index = LineIndex(text)
    found: list[EntryPoint] = []
    if isinstance(bins, str):
        package = data.get("name")
        # npm names a lone ``bin`` after the package, without its scope; the citation
        # is the line of ``"name"``, where that word is written.
        line = json_key_line(text, index, "name")
        if line is not None and isinstance(package, str) and package:
            found.append((package.rsplit("/", 1)[-1], bins, line))
    elif isinstance(bins, dict):
        for name, target in sorted(bins.items()):
            line = json_key_line(text, index, name, within="bin")
            if isinstance(target, str) and line is not None:
                found.append((name, target, line))
    return found


def _cargo(text: str, data: dict[str, Any]) -> list[EntryPoint]:
    lines = TomlLines(text)
    found: list[EntryPoint] = []
    bins = data.get("bin")
    if not isinstance(bins, list):
        return found
    for i, entry in enumerate(bins):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        line = lines.key_line(("bin",), "name", occurrence=i)
        path = entry.get("path")
        target = path if isinstance(path, str) else f"src/bin/{entry['name']}.rs"
        if line is not None:
            found.append((entry["name"], target, line))
    return found
