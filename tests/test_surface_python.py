"""The Python API as users import it, against griffe with its aliases resolved.

griffe (with its redundant-alias and wildcard-import conventions) says what
``import flask; flask.X`` gives; every such public name must be in our
surface of that module, resolved to the declaration griffe resolves it to,
with the same parameters.
"""

from __future__ import annotations

import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import griffe
import pytest

from docsgen.generator.analysis.declarations.python import analyse
from docsgen.generator.modules import python_module, python_packages
from docsgen.generator.surface.model import Surface
from docsgen.generator.surface.python import resolve
from docsgen.generator.surface.roles import classify
from tests.support import projects
from tests.support.oracle import normalise

# project -> (import name, the folder griffe searches)
PACKAGES = {"flask": ("flask", "src"), "httpx": ("httpx", ""), "rich": ("rich", "")}
_MANIFESTS = {"pyproject.toml", "setup.cfg", "setup.py", "package.json"}


@cache
def surface_of(project: str) -> tuple[Path, Surface]:
    repo = projects.checkout(project)
    listed = subprocess.run(
        ["git", "-C", str(repo), "-c", "core.quotepath=off", "ls-files", "-z"],
        capture_output=True, check=True,
    ).stdout.decode().split("\0")[:-1]  # fmt: skip
    texts = {p: (repo / p).read_text() for p in listed if p.rpartition("/")[2] in _MANIFESTS}
    roles = classify(listed, texts)
    code = [p for p in listed if p.endswith(".py") and roles.is_product(p)]
    packages = python_packages(listed)
    analyses = [analyse(p, (repo / p).read_text(), "Python") for p in code]
    modules = {p: python_module(p, packages) or "" for p in code}
    return repo, resolve(analyses, modules)


def griffe_top(project: str) -> Any:
    name, folder = PACKAGES[project]
    repo = projects.checkout(project)
    extensions = griffe.load_extensions(
        "griffe_public_redundant_aliases", "griffe_public_wildcard_imports"
    )
    loader = griffe.GriffeLoader(
        search_paths=[str(repo / folder)], extensions=extensions, allow_inspection=False
    )
    module = loader.load(name)
    loader.resolve_aliases(implicit=True, external=False)
    return module


def _params(parameters: Any) -> tuple[tuple[str, str, str | None], ...]:
    kinds = {"positional-only": "positional-only", "positional or keyword":
             "positional-or-keyword", "variadic positional": "var-positional",
             "keyword-only": "keyword-only", "variadic keyword": "var-keyword"}  # fmt: skip
    out = []
    for p in parameters:
        kind = kinds[p.kind.value]
        default = None if kind.startswith("var-") or p.default is None else str(p.default)
        out.append((p.name, kind, normalise(default)))
    return tuple(out)


@pytest.mark.parametrize("project", sorted(PACKAGES))
def test_every_public_name_griffe_finds_at_the_top_is_ours_with_its_parameters(
    project: str,
) -> None:
    repo, surface = surface_of(project)
    theirs = griffe_top(project)
    top = surface.module(theirs.path)
    assert top is not None
    ours = {n.name: n for n in top.names}
    modules = {m.name for m in surface.modules}
    missing, wrong, different = [], [], []
    for name, member in theirs.members.items():
        if not member.is_public or name == "__main__":
            continue
        if member.is_module or (
            member.is_alias and member.resolved and member.final_target.is_module
        ):
            if f"{theirs.path}.{name}" not in modules and name not in ours:
                missing.append(name)
            continue
        entry = ours.get(name)
        if entry is None:
            missing.append(name)
            continue
        target = member.final_target if member.is_alias else member
        where = (Path(target.filepath).relative_to(repo).as_posix(), target.name)
        ours_where = (entry.target.path, (entry.target.qualname or "").rpartition(".")[2])
        if ours_where != where:
            wrong.append((name, where, ours_where))
            continue
        if target.is_function:
            analysis = analyse(entry.target.path, (repo / entry.target.path).read_text(), "Python")
            symbol = next(s for s in analysis.symbols if s.qualname == entry.target.qualname)
            mine = tuple((p.name, p.kind, normalise(p.default)) for p in symbol.parameters)
            if mine != _params(target.parameters):
                different.append((name, mine, _params(target.parameters)))
    assert missing == []
    assert wrong == []
    assert different == []


def test_a_declaration_is_documented_once_under_the_shortest_public_name() -> None:
    _, surface = surface_of("flask")
    assert surface.canonical[("src/flask/app.py", "Flask")] == "flask.Flask"
    app = surface.module("flask.app")
    assert app is not None
    flask_entry = next(n for n in app.names if n.name == "Flask")
    assert not flask_entry.is_canonical and flask_entry.canonical == "flask.Flask"


def test_private_modules_have_no_page_but_what_they_define_is_exported() -> None:
    _, surface = surface_of("httpx")
    assert [m.name for m in surface.modules] == ["httpx"]
    top = surface.module("httpx")
    assert top is not None
    client = next(n for n in top.names if n.name == "Client")
    assert (client.target.path, client.target.qualname) == ("httpx/_client.py", "Client")
    assert client.is_canonical and client.how == "star import"
