"""What a project calls itself: its name and one-line description, from its root manifest.

The Overview opens with the project's own description and Getting Started
installs it by its own name, the way its ecosystem does (``pip install``,
``npm install``, ``cargo add``, ``go get``).  Only manifests at the root of
the repository name the project; one in a subfolder names an example or a
sub-project.  Each value carries the line it is written on.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from docsgen.generator.analysis.manifest_lines import (
    LineIndex,
    TomlLines,
    blank_xml_comments,
    ini_values,
    json_key_line,
)

# In this order: a repository with several root manifests is first what the first says.
MANIFESTS = ("pyproject.toml", "setup.cfg", "package.json", "Cargo.toml", "go.mod", "pom.xml")


@dataclass(frozen=True)
class Stated:
    """A value written in a manifest, with where: ``token`` is written on ``line``."""

    value: str
    path: str
    line: int
    token: str


@dataclass(frozen=True)
class Identity:
    ecosystem: str  # "Python", "npm", "Rust", "Go", "Maven"
    name: Stated | None
    description: Stated | None
    # Whether the manifest says the package is not published (``"private": true``,
    # ``publish = false``): then no registry installs it.
    unpublished: bool = False

    def install_command(self) -> str | None:
        """How a user of the ecosystem adds the package, by its name."""
        if self.name is None or self.unpublished:
            return None
        name = self.name.value
        return {
            "Python": f"pip install {name}",
            "npm": f"npm install {name}",
            "Rust": f"cargo add {name}",
            "Go": f"go get {name}",
        }.get(self.ecosystem)


def project_identity(texts: Mapping[str, str]) -> Identity | None:
    """The first root manifest's name and description (None when there is none that
    parses)."""
    lowered = {path.lower(): path for path in texts if "/" not in path}
    for manifest in MANIFESTS:
        path = lowered.get(manifest.lower())
        if path is None:
            continue
        try:
            found = _READERS[manifest](path, texts[path])
        except (ValueError, RecursionError):
            continue  # a malformed manifest: the Dependencies section reports it
        if found is not None and (found.name or found.description):
            return found
    return None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _pyproject(path: str, text: str) -> Identity | None:
    data = tomllib.loads(text)
    lines = TomlLines(text)
    for table in (("project",), ("tool", "poetry")):
        node: Any = data
        for part in table:
            node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        name = _stated(path, lines.key_line(table, "name"), _text(node.get("name")), "name")
        about = _text(node.get("description"))
        description = _stated(path, lines.key_line(table, "description"), about, "description")
        if name or description:
            return Identity("Python", name, description)
    return None


def _setup_cfg(path: str, text: str) -> Identity | None:
    """``[metadata]``'s literal name and description (``attr:`` and ``file:`` values are
    read elsewhere by setuptools: they are not what the project is called)."""
    found: dict[str, Stated] = {}
    for key in ("name", "description"):
        values = ini_values(text, "metadata", key)
        if values and not values[0].text.startswith(("attr:", "file:")):
            first = values[0].line
            # The key's own line, or the value's first line after an empty ``key =``.
            written = text.splitlines()[first - 1].strip()
            token = key if written.startswith(key) else values[0].text
            found[key] = Stated(" ".join(v.text for v in values), path, first, token)
    if not found:
        return None
    return Identity("Python", found.get("name"), found.get("description"))


def _stated(path: str, line: int | None, value: str | None, token: str) -> Stated | None:
    return Stated(value, path, line, token) if value is not None and line is not None else None


def _package_json(path: str, text: str) -> Identity | None:
    data = json.loads(text)
    if not isinstance(data, dict):
        return None
    index = LineIndex(text)
    name = _stated(path, json_key_line(text, index, "name"), _text(data.get("name")), "name")
    about = _text(data.get("description"))
    description = _stated(path, json_key_line(text, index, "description"), about, "description")
    return Identity("npm", name, description, unpublished=data.get("private") is True)


def _cargo(path: str, text: str) -> Identity | None:
    data = tomllib.loads(text)
    package = data.get("package")
    if not isinstance(package, dict):
        return None
    lines = TomlLines(text)
    name = _stated(path, lines.key_line(("package",), "name"), _text(package.get("name")), "name")
    about = _text(package.get("description"))
    line = lines.key_line(("package",), "description")
    return Identity(
        "Rust", name, _stated(path, line, about, "description"), package.get("publish") is False
    )


def _go_mod(path: str, text: str) -> Identity | None:
    m = re.search(r"(?m)^\s*module\s+\"?([^\s\"]+)", text)
    if m is None:
        return None
    line = text.count("\n", 0, m.start(1)) + 1
    return Identity("Go", Stated(m.group(1), path, line, m.group(1)), None)


def _pom(path: str, text: str) -> Identity | None:
    """The project's own ``artifactId`` and ``description`` (not its parent's)."""
    text = blank_xml_comments(text)
    body = re.sub(r"(?s)<(parent|dependencies|build|profiles|dependencyManagement)>.*?</\1>",
                  lambda m: re.sub(r"[^\n]", " ", m.group()), text)  # fmt: skip
    found: dict[str, Stated] = {}
    for tag in ("artifactId", "description"):
        m = re.search(rf"<{tag}>\s*([^<]*?)\s*</{tag}>", body)
        if m and m.group(1):
            line = body.count("\n", 0, m.start()) + 1
            found[tag] = Stated(" ".join(m.group(1).split()), path, line, tag)
    if not found:
        return None
    return Identity("Maven", found.get("artifactId"), found.get("description"))


_READERS = {
    "pyproject.toml": _pyproject,
    "setup.cfg": _setup_cfg,
    "package.json": _package_json,
    "Cargo.toml": _cargo,
    "go.mod": _go_mod,
    "pom.xml": _pom,
}
