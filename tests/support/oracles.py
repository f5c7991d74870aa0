"""Each ecosystem's own tool as the oracle of a project's public API.

rustdoc (``cargo doc``'s ``all.html``), ``go doc -all``, TypeDoc's JSON,
``javap`` on the compiled classes of a jar and, for a CommonJS package, what
Node itself finds on the objects a package exports.  Each runs on a project of ``tests.support.projects`` and answers
plain data; results are kept beside the project in the cache folder, named
by the tool and the project's version, so a test session runs each once.
The tools come from the registries too: cargo, go and the JDK's javap from
Debian, TypeDoc and TypeScript from npm, at the versions pinned here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import tomllib
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support import projects

TYPEDOC = "typedoc@0.26.11"
TYPESCRIPT = "typescript@5.6.3"


class OracleUnavailable(RuntimeError):
    """The tool is missing; the message names the command that installs it."""


def _kept(name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``'s JSON, kept in the cache folder under ``name``."""
    path = projects.cache_folder() / "oracles" / f"{name}.json"
    if path.exists():
        return json.loads(path.read_text())
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_suffix(".tmp")
    scratch.write_text(json.dumps(value, indent=1, sort_keys=True))
    scratch.replace(path)
    return value


def _run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    tool = command[0]
    if shutil.which(tool) is None:
        raise OracleUnavailable(f"{tool} is not installed (.ci/run installs it)")
    done = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stderr[-4000:]}")
    return done.stdout


# --- Rust -------------------------------------------------------------------------------


def rustdoc_items(crate: str, dependencies: tuple[str, ...]) -> dict[str, str]:
    """Every item rustdoc lists for ``crate`` (default features): path -> kind.

    Paths are as rustdoc writes them under the crate, ``from_str`` or
    ``de::from_str``; kinds are rustdoc's (``struct``, ``fn``, ``macro``...).
    """
    return {
        path: kind for path, (kind, _, _, _) in rustdoc_declarations(crate, dependencies).items()
    }


def rustdoc_declarations(
    crate: str, dependencies: tuple[str, ...]
) -> dict[str, tuple[str, str, int, int]]:
    """Every item rustdoc lists for ``crate``, with where it is declared: path -> (kind,
    file under the crate's folder, first line, last line), from the item's source link."""
    kept = _rustdoc_kept(crate, dependencies)
    return {path: (kind, file, first, last) for path, (kind, file, first, last, _) in kept.items()}


def rustdoc_members(crate: str, dependencies: tuple[str, ...]) -> dict[str, list[str]]:
    """For each struct, enum, union and trait rustdoc lists, the methods and associated
    constants its page documents as its own: those of its inherent ``impl`` blocks (not
    of trait implementations), or the trait's."""
    kept = _rustdoc_kept(crate, dependencies)
    return {path: item[4] for path, item in kept.items() if item[0] in _WITH_MEMBERS}


_WITH_MEMBERS = ("struct", "enum", "union", "trait")
# Where a page's own members end: the sections of trait implementations, or implementors.
_MEMBERS_END = re.compile(
    r'id="(?:trait-implementations|synthetic-implementations|blanket-implementations|'
    r'deref-methods[^"]*|implementors|foreign-impls)"'
)


def _rustdoc_kept(crate: str, dependencies: tuple[str, ...]) -> dict[str, list[Any]]:
    project = projects.PROJECTS[crate]
    return dict(_kept(f"rustdoc-declarations-{crate}-{project.version}",
                      lambda: _rustdoc(crate, dependencies)))  # fmt: skip


def _own_members(kind: str, html: str) -> list[str]:
    if kind not in _WITH_MEMBERS:
        return []
    if kind != "trait":
        start = html.find('id="implementations-list"')
        if start < 0:
            return []
        html = html[start:]
    end = _MEMBERS_END.search(html)
    own = html[: end.start()] if end else html
    return sorted(set(re.findall(r'id="(?:tymethod|method|associatedconstant)\.(\w+)"', own)))


def _rustdoc(crate: str, dependencies: tuple[str, ...]) -> dict[str, list[Any]]:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / crate
        shutil.copytree(projects.sources(crate), work)
        registry = Path(scratch) / "registry"
        registry.mkdir()
        for dependency in dependencies:
            source = projects.sources(dependency)
            shutil.copytree(source, registry / source.name)
        manifest = work / "Cargo.toml"
        manifest.write_text(_without_optional_dependencies(manifest.read_text()))
        (work / ".cargo").mkdir(exist_ok=True)
        (work / ".cargo" / "config.toml").write_text(
            '[source.crates-io]\nreplace-with = "offline"\n'
            f'[source.offline]\ndirectory = "{registry}"\n[net]\noffline = true\n'
        )
        (work / "Cargo.lock").unlink(missing_ok=True)
        _run(["cargo", "doc", "--no-deps", "--offline"], work,
             {"CARGO_TARGET_DIR": str(Path(scratch) / "target")})  # fmt: skip
        name = tomllib.loads(manifest.read_text())["package"]["name"].replace("-", "_")
        docs = Path(scratch) / "target" / "doc" / name
        page = (docs / "all.html").read_text()
        items: dict[str, list[Any]] = {}
        for href, path in re.findall(r'<li><a href="([^"]+)">([^<]+)</a></li>', page):
            kind = href.rpartition("/")[2].split(".")[0]
            html = (docs / href).read_text()
            source = re.search(
                rf'class="src(?:link)?"[^>]*href="[^"]*src/{name}/([^"#]+)\.html#(\d+)(?:-(\d+))?"',
                html,
            )
            if source is None:
                raise RuntimeError(f"rustdoc's page of {path} has no source link")
            first = int(source[2])
            items[path] = [
                kind,
                source[1],
                first,
                int(source[3] or first),
                _own_members(kind, html),
            ]
    return items


def _without_optional_dependencies(text: str) -> str:
    """The manifest with its dev-dependencies and optional dependencies left out, and
    features reduced to those that need nothing else: rustdoc's default view then
    needs only the crate's required dependencies."""
    data = tomllib.loads(text)
    blocks = re.split(r"(?m)^(?=\[)", text)
    optional = {
        name for name, spec in data.get("dependencies", {}).items()
        if isinstance(spec, dict) and spec.get("optional")
    }  # fmt: skip
    kept = []
    for block in blocks:
        head = block.split("\n", 1)[0].strip()
        table = head.strip("[]")
        if table.startswith(("dev-dependencies", "target.")) or table == "features":
            continue
        if table.startswith("dependencies.") and table.partition(".")[2] in optional:
            continue
        kept.append(block)
    features = []
    for feature, wants in data.get("features", {}).items():
        needed = [w for w in wants if w.split("/")[0].removeprefix("dep:") not in optional]
        features.append(f"{json.dumps(feature)} = {json.dumps(needed)}")
    return "".join(kept) + "\n[features]\n" + "\n".join(features) + "\n"


# --- Go ---------------------------------------------------------------------------------


def go_doc(project: str, package: str) -> dict[str, list[str]]:
    """``go doc -all`` of one package of a Go module: its exported declarations.

    ``{"funcs": [...], "types": [...], "methods": ["Type.Method", ...], "values": [...]}``.
    """
    version = projects.PROJECTS[project].version
    safe = package.strip("./").replace("/", "-") or "root"
    return dict(_kept(f"godoc-{project}-{version}-{safe}", lambda: _go_doc(project, package)))


def _go_doc(project: str, package: str) -> dict[str, list[str]]:
    env = {"GOPROXY": "off", "GOFLAGS": "-mod=mod", "GOTOOLCHAIN": "local", "GO111MODULE": "on"}
    with tempfile.TemporaryDirectory() as scratch:
        env |= {"GOPATH": scratch, "GOCACHE": str(Path(scratch) / "cache"), "HOME": scratch}
        out = _run(["go", "doc", "-all", package], projects.sources(project), env)
    found: dict[str, list[str]] = {"funcs": [], "types": [], "methods": [], "values": []}
    block = ""
    for line in out.splitlines():
        if line.startswith(("CONSTANTS", "VARIABLES", "FUNCTIONS", "TYPES")):
            continue
        if m := re.match(r"^func \((?:\w+ )?\*?(\w+)(?:\[[^\]]*\])?\) (\w+)", line):
            found["methods"].append(f"{m[1]}.{m[2]}")
        elif m := re.match(r"^func (\w+)", line):
            found["funcs"].append(m[1])
        elif m := re.match(r"^type (\w+)", line):
            found["types"].append(m[1])
        elif m := re.match(r"^(?:const|var) (\w+)", line):
            found["values"].append(m[1])
        elif re.match(r"^(const|var) \($", line):
            block = "values"
        elif block and line == ")":
            block = ""
        elif block and (m := re.match(r"^\t(\w+)", line)):
            if m[1][0].isupper():
                found["values"].append(m[1])
    return found


# --- Java -------------------------------------------------------------------------------


def javap_api(project: str, jar: str) -> dict[str, list[str]]:
    """What ``javap -protected`` shows of a jar's API: for every class reachable from
    outside its module (a package its ``module-info.class`` exports to every module, or
    any package without one; a nested class only inside such a class), its binary name
    (``javafx.collections.ListChangeListener$Change``) -> the names of its public and
    protected fields, methods and constructors (a constructor by its class's simple name).
    """
    version = projects.PROJECTS[project].version
    stem = jar.removesuffix(".jar")
    return dict(_kept(f"javap-{project}-{version}-{stem}", lambda: _javap(project, jar)))


def _javap(project: str, jar: str) -> dict[str, list[str]]:
    path = projects.sources(project) / jar
    with zipfile.ZipFile(path) as archive:
        entries = archive.namelist()
    exported: set[str] | None = None
    if "module-info.class" in entries:
        descriptor = _run(["javap", f"jar:file:{path}!/module-info.class"], path.parent)
        exported = set(re.findall(r"(?m)^  exports ([\w.]+);$", descriptor))
    classes = []
    for entry in sorted(entries):
        if not entry.endswith(".class") or entry.endswith(
            ("module-info.class", "package-info.class")
        ):
            continue
        name = entry.removesuffix(".class").replace("/", ".")
        if exported is not None and name.rpartition(".")[0] not in exported:
            continue
        if re.search(r"\$\d", name):
            continue  # anonymous and local classes
        classes.append(name)
    found: dict[str, list[str]] = {}
    for start in range(0, len(classes), 100):
        out = _run(["javap", "-protected", "-v", "-cp", str(path), *classes[start : start + 100]],
                   path.parent)  # fmt: skip
        found |= _javap_classes(out)
    return {
        name: members for name, members in found.items()
        if all(outer in found for outer in _enclosing(name))
    }  # fmt: skip


_JAVAP_CLASS = re.compile(
    r"^(?P<modifiers>(?:[\w]+ )*)(?:class|interface|enum|record) (?P<name>[\w.$]+)"
)


def _javap_classes(out: str) -> dict[str, list[str]]:
    """The public and protected classes of ``javap -v``'s output and the names of their
    members, leaving out those the compiler made (``ACC_SYNTHETIC``: bridge methods)."""
    found: dict[str, list[str]] = {}
    members: list[str] | None = None
    inside = False  # between the braces that hold a class's members
    for line in out.splitlines():
        if m := _JAVAP_CLASS.match(line):
            visible = {"public", "protected"} & set(m["modifiers"].split())
            members = found.setdefault(m["name"], []) if visible else None
        elif line in ("{", "}"):
            inside = line == "{"
        elif members is None or not inside:
            continue
        elif re.match(r"^  \S.*;$", line) and line != "  static {};":
            head = line.split("(", 1)[0] if "(" in line else line.rstrip(";")
            members.append(head.split()[-1].rpartition(".")[2].rpartition("$")[2])
        elif line.startswith("    flags: ") and "ACC_SYNTHETIC" in line and members:
            members.pop()
    return {name: sorted(set(found_members)) for name, found_members in found.items()}


def _enclosing(binary_name: str) -> list[str]:
    """``a.B$C$D`` -> ``["a.B", "a.B$C"]``."""
    parts = binary_name.split("$")
    return ["$".join(parts[:i]) for i in range(1, len(parts))]


# --- TypeScript -------------------------------------------------------------------------


def typedoc_exports(project: str, entry: str) -> dict[str, str]:
    """TypeDoc's view of what a package's entry point exports: name -> kind."""
    return {name: found["kind"] for name, found in typedoc_declarations(project, entry).items()}


def typedoc_declarations(project: str, entry: str) -> dict[str, dict[str, Any]]:
    """What each name a package's entry point exports is, for TypeDoc: name ->
    ``{"kind", "path", "line"}``, the file (from the project's folder) and line of the
    declaration it names (for ``default``, what ``export default`` names)."""
    version = projects.PROJECTS[project].version
    safe = entry.replace("/", "-")
    return dict(_kept(f"typedoc-{project}-{version}-{safe}", lambda: _typedoc(project, entry)))


def _node_tools() -> Path:
    tools = projects.cache_folder() / "node-tools"
    if not (tools / "node_modules" / ".bin" / "typedoc").exists():
        tools.mkdir(parents=True, exist_ok=True)
        _run(["npm", "install", "--silent", "--no-audit", "--no-fund", "--prefix", str(tools),
              TYPEDOC, TYPESCRIPT], tools)  # fmt: skip
    return tools


def _typedoc(project: str, entry: str) -> dict[str, dict[str, Any]]:
    tools = _node_tools()
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "api.json"
        _run([str(tools / "node_modules" / ".bin" / "typedoc"), "--json", str(out),
              "--skipErrorChecking", "--excludeExternals", "--entryPoints", entry,
              "--basePath", ".", "--logLevel", "Error"], projects.sources(project))  # fmt: skip
        data = json.loads(out.read_text())
    kinds = {1: "project", 2: "module", 4: "namespace", 8: "enum", 32: "variable",
             64: "function", 128: "class", 256: "interface", 2097152: "type"}  # fmt: skip
    found = {}
    for child in data.get("children", []):
        source = (child.get("sources") or [{}])[0]
        found[child["name"]] = {"kind": kinds.get(child["kind"], str(child["kind"])),
                                "path": source.get("fileName"), "line": source.get("line")}  # fmt: skip
    return found


# --- CommonJS ---------------------------------------------------------------------------


def commonjs_members(project: str, modules: tuple[str, ...]) -> dict[str, list[str]]:
    """For each module of a CommonJS package (``"."``, ``"./lib/application"``), the own
    enumerable keys of what it exports, as Node finds them once the package's
    dependencies are installed (``npm install --omit=dev``)."""
    version = projects.PROJECTS[project].version
    return dict(_kept(f"commonjs-{project}-{version}", lambda: _commonjs(project, modules)))


def _commonjs(project: str, modules: tuple[str, ...]) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch) / project
        shutil.copytree(projects.sources(project), work)
        _run(["npm", "install", "--silent", "--omit=dev", "--ignore-scripts", "--no-audit",
              "--no-fund"], work)  # fmt: skip
        script = (
            "const out = {};"
            f"for (const m of {json.dumps(list(modules))}) "
            "{ const v = require(m); out[m] = Object.keys(v).sort(); }"
            "process.stdout.write(JSON.stringify(out));"
        )
        return dict(json.loads(_run(["node", "-e", script], work)))
