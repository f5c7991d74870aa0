"""Dependencies declared in manifests, each with the line that declares it.

Python (``pyproject.toml`` PEP 621, dependency groups and Poetry tables,
``requirements*.txt``, ``setup.cfg``, ``setup.py`` literal lists, ``Pipfile``),
Node (``package.json``), Go (``go.mod``), Rust (``Cargo.toml``) and Java
(``pom.xml``, ``build.gradle``).  Nothing here raises on a malformed manifest:
it is reported as a problem instead.
"""

from __future__ import annotations

import ast
import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from docsgen.generator.analysis.manifest_lines import (
    LineIndex,
    TomlLines,
    blank_xml_comments,
    ini_keys,
    ini_values,
    json_key_line,
)
from docsgen.generator.markdown import escape

RUNTIME = "runtime"
DEVELOPMENT = "development"
BUILD = "build"
_PEP508 = re.compile(r"^\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$")
_DEV_FILE = re.compile(r"dev|test|lint|doc|ci|check|type", re.IGNORECASE)


@dataclass(frozen=True)
class Dependency:
    name: str
    spec: str  # version constraint, markers, source, as written ("" when none)
    kind: str  # "runtime", "development", "build", "optional (extra)", "peer", "indirect", ...
    line: int | None  # None: declared, but its line could not be located
    token: str  # written on ``line``


@dataclass
class ManifestDependencies:
    path: str
    dependencies: list[Dependency] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[tuple[str, int]] = field(default_factory=list)  # (text, line)


def is_dependency_manifest(path: str) -> bool:
    name = PurePosixPath(path).name.lower()
    return name in (
        "pyproject.toml", "setup.cfg", "setup.py", "package.json", "go.mod", "cargo.toml",
        "pom.xml", "build.gradle", "build.gradle.kts", "pipfile",
    ) or bool(re.fullmatch(r"requirements[\w.-]*\.txt", name))  # fmt: skip


def read(path: str, text: str) -> ManifestDependencies:
    result = ManifestDependencies(path)
    reader = _reader(PurePosixPath(path).name.lower())
    try:
        if reader is not None:
            reader(text, result)
    except (ValueError, RecursionError, SyntaxError) as e:
        message = str(e).splitlines()[0] if str(e) else type(e).__name__
        name = PurePosixPath(path).name
        result.problems.append(f"{escape(name)} could not be read: {escape(message)}")
    result.dependencies.sort(key=lambda d: (d.kind != RUNTIME, d.kind, d.name.lower(), d.line or 0))
    return result


def _pep508(requirement: str) -> tuple[str, str]:
    m = _PEP508.match(requirement)
    if m is None:
        return requirement.strip(), ""
    spec = ((m.group(2) or "") + " " + m.group(3)).strip()
    return m.group(1), spec


def _table(data: Any, *path: str) -> dict[str, Any]:
    for part in path:
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _pep508_list(
    lines: TomlLines,
    table: tuple[str, ...],
    key: str,
    items: Any,
    kind: str,
    out: ManifestDependencies,
) -> None:
    if not isinstance(items, list):
        return
    strings = [i for i in items if isinstance(i, str)]
    for item, line in zip(strings, lines.array_item_lines(table, key, strings), strict=True):
        name, spec = _pep508(item)
        out.dependencies.append(Dependency(name, spec, kind, line, name))


def _pyproject(text: str, out: ManifestDependencies) -> None:
    data = tomllib.loads(text)
    lines = TomlLines(text)
    project = _table(data, "project")
    _pep508_list(lines, ("project",), "dependencies", project.get("dependencies"), RUNTIME, out)
    for extra, items in sorted(_table(project, "optional-dependencies").items()):
        table = ("project", "optional-dependencies")
        _pep508_list(lines, table, extra, items, f"optional ({extra})", out)
    for group, items in sorted(_table(data, "dependency-groups").items()):
        _pep508_list(lines, ("dependency-groups",), group, items, f"{DEVELOPMENT} ({group})", out)
    requires = _table(data, "build-system").get("requires")
    _pep508_list(lines, ("build-system",), "requires", requires, BUILD, out)
    poetry: tuple[str, ...] = ("tool", "poetry")
    _poetry_table(lines, data, (*poetry, "dependencies"), RUNTIME, out)
    _poetry_table(lines, data, (*poetry, "dev-dependencies"), DEVELOPMENT, out)
    for group in sorted(_table(data, *poetry, "group")):
        group_table = (*poetry, "group", group, "dependencies")
        _poetry_table(lines, data, group_table, f"{DEVELOPMENT} ({group})", out)


def _poetry_table(
    lines: TomlLines, data: Any, table: tuple[str, ...], kind: str, out: ManifestDependencies
) -> None:
    for name, value in sorted(_table(data, *table).items()):
        if name.lower() == "python":
            continue
        line = lines.key_line(table, name) or lines.table_line((*table, name))
        out.dependencies.append(Dependency(name, _toml_spec(value), kind, line, name))


def _toml_spec(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        for key in ("version", "path", "git", "url"):
            if isinstance(value.get(key), str):
                return value[key] if key == "version" else f"{key} = {value[key]}"
        if value.get("workspace") is True:
            return "workspace"
    return ""


def _pipfile(text: str, out: ManifestDependencies) -> None:
    data = tomllib.loads(text)
    lines = TomlLines(text)
    for table, kind in ((("packages",), RUNTIME), (("dev-packages",), DEVELOPMENT)):
        _poetry_table(lines, data, table, kind, out)


def _requirements(text: str, out: ManifestDependencies) -> None:
    kind = DEVELOPMENT if _DEV_FILE.search(PurePosixPath(out.path).name) else RUNTIME
    for number, raw in enumerate(text.splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        if not line:
            continue
        if line.startswith(("-r ", "--requirement", "-c ", "--constraint")):
            out.notes.append((f"includes {line.split(None, 1)[-1]}", number))
            continue
        egg = re.search(r"[#&]egg=([A-Za-z0-9._-]+)", line)
        if egg:
            out.dependencies.append(Dependency(egg.group(1), line, kind, number, egg.group(1)))
            continue
        if line.startswith("-"):
            continue
        name, spec = _pep508(line)
        out.dependencies.append(Dependency(name, spec, kind, number, name))


def _setup_cfg(text: str, out: ManifestDependencies) -> None:
    for key, kind in (
        ("install_requires", RUNTIME), ("setup_requires", BUILD), ("tests_require", DEVELOPMENT),
    ):  # fmt: skip
        for value in ini_values(text, "options", key):
            _cfg_requirement(value.text, value.line, kind, out)
    for extra in ini_keys(text, "options.extras_require"):
        for value in ini_values(text, "options.extras_require", extra):
            _cfg_requirement(value.text, value.line, f"optional ({extra})", out)


def _cfg_requirement(text: str, line: int, kind: str, out: ManifestDependencies) -> None:
    for part in text.split(";" if "," not in text else ","):
        name, spec = _pep508(part)
        if name and not name.startswith("#"):
            out.dependencies.append(Dependency(name, spec, kind, line, name))


def _setup_py(text: str, out: ManifestDependencies) -> None:
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) == "setup"):
            continue
        for kw in node.keywords:
            kinds = {"install_requires": RUNTIME, "setup_requires": BUILD,
                     "tests_require": DEVELOPMENT}  # fmt: skip
            if kw.arg in kinds:
                _literal_requirements(kw.value, kinds[kw.arg], out)
            elif kw.arg == "extras_require" and isinstance(kw.value, ast.Dict):
                for key, value in zip(kw.value.keys, kw.value.values, strict=True):
                    if isinstance(key, ast.Constant) and isinstance(key.value, str):
                        _literal_requirements(value, f"optional ({key.value})", out)


def _literal_requirements(node: ast.expr, kind: str, out: ManifestDependencies) -> None:
    if not isinstance(node, ast.List | ast.Tuple):
        return
    for item in node.elts:
        if isinstance(item, ast.Constant) and isinstance(item.value, str):
            name, spec = _pep508(item.value)
            out.dependencies.append(Dependency(name, spec, kind, item.lineno, name))


_NODE_KINDS = (
    ("dependencies", RUNTIME), ("devDependencies", DEVELOPMENT), ("peerDependencies", "peer"),
    ("optionalDependencies", "optional"),
)  # fmt: skip


def _package_json(text: str, out: ManifestDependencies) -> None:
    data = json.loads(text)
    if not isinstance(data, dict):
        return
    index = LineIndex(text)
    for section, kind in _NODE_KINDS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for name, spec in sorted(table.items()):
            line = json_key_line(text, index, name, within=section)
            out.dependencies.append(Dependency(name, str(spec), kind, line, name))


def _go_mod(text: str, out: ManifestDependencies) -> None:
    in_block = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if in_block:
            if line.startswith(")"):
                in_block = False
                continue
            _go_require(line, number, out)
        elif re.match(r"require\s*\($", line):
            in_block = True
        elif line.startswith("require "):
            _go_require(line[len("require ") :], number, out)


def _go_require(line: str, number: int, out: ManifestDependencies) -> None:
    m = re.match(r"^\"?([^\s\"]+)\"?\s+(\S+)", line)
    if m and not line.startswith("//"):
        kind = "indirect" if "// indirect" in line else RUNTIME
        out.dependencies.append(Dependency(m.group(1), m.group(2), kind, number, m.group(1)))


def _cargo(text: str, out: ManifestDependencies) -> None:
    data = tomllib.loads(text)
    lines = TomlLines(text)
    kinds = (("dependencies", RUNTIME), ("dev-dependencies", DEVELOPMENT),
             ("build-dependencies", BUILD))  # fmt: skip
    for key, kind in kinds:
        _cargo_table(lines, data, (key,), kind, out)
        _cargo_table(lines, data, ("workspace", key), f"{kind} (workspace)", out)
    for target in sorted(_table(data, "target")):
        for key, kind in kinds:
            _cargo_table(lines, data, ("target", target, key), f"{kind} ({target})", out)


def _cargo_table(
    lines: TomlLines, data: Any, table: tuple[str, ...], kind: str, out: ManifestDependencies
) -> None:
    for name, value in sorted(_table(data, *table).items()):
        line = lines.key_line(table, name) or lines.table_line((*table, name))
        out.dependencies.append(Dependency(name, _toml_spec(value), kind, line, name))


_POM_DEPENDENCY = re.compile(r"<dependency>(?P<body>[\s\S]*?)</dependency>")
_POM_FOLDED = re.compile(r"<(dependencyManagement|plugins|pluginManagement)>[\s\S]*?</\1>")


def _pom(text: str, out: ManifestDependencies) -> None:
    code = blank_xml_comments(text)
    code = _POM_FOLDED.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), code)
    index = LineIndex(text)
    for found in _POM_DEPENDENCY.finditer(code):
        body = found["body"]
        fields = {k: v.strip() for k, v in re.findall(r"<(\w+)>([^<]*)</\1>", body)}
        artifact = fields.get("artifactId")
        if not artifact:
            continue
        at = re.search(r"<artifactId>", body)
        line = index.line(found.start("body") + (at.start() if at else 0))
        name = f"{fields.get('groupId', '?')}:{artifact}"
        scope = fields.get("scope", "compile")
        kind = (
            DEVELOPMENT
            if scope == "test"
            else (RUNTIME if scope in ("compile", "runtime") else scope)
        )
        out.dependencies.append(Dependency(name, fields.get("version", ""), kind, line, artifact))


_GRADLE = re.compile(
    r"(?m)^[ \t]*(?P<conf>implementation|api|compileOnly|runtimeOnly|testImplementation|"
    r"testRuntimeOnly|testCompileOnly|annotationProcessor|kapt|ksp)[ \t]*\(?[ \t]*"
    r"[\"'](?P<group>[^\"':\s]+):(?P<artifact>[^\"':\s]+)(?::(?P<version>[^\"'\s]+))?[\"']"
)


def _gradle(text: str, out: ManifestDependencies) -> None:
    index = LineIndex(text)
    for found in _GRADLE.finditer(text):
        kind = DEVELOPMENT if found["conf"].startswith("test") else RUNTIME
        if found["conf"] in ("annotationProcessor", "kapt", "ksp", "compileOnly"):
            kind = BUILD
        name = f"{found['group']}:{found['artifact']}"
        out.dependencies.append(
            Dependency(
                name,
                found["version"] or "",
                kind,
                index.line(found.start("group")),
                found["artifact"],
            )
        )


Reader = Callable[[str, ManifestDependencies], None]
# A manifest's file name (lower case) -> what reads its dependencies.
_READERS: dict[str, Reader] = {
    "pyproject.toml": _pyproject, "pipfile": _pipfile, "setup.cfg": _setup_cfg,
    "setup.py": _setup_py, "package.json": _package_json, "go.mod": _go_mod,
    "cargo.toml": _cargo, "pom.xml": _pom,
}  # fmt: skip
_READERS_BY_PREFIX: tuple[tuple[str, Reader], ...] = (
    ("build.gradle", _gradle),  # and build.gradle.kts
    ("requirements", _requirements),  # requirements-dev.txt and the like
)


def _reader(name: str) -> Reader | None:
    found = _READERS.get(name)
    if found is None:
        found = next((r for prefix, r in _READERS_BY_PREFIX if name.startswith(prefix)), None)
    return found
