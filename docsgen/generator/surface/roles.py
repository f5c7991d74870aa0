"""What each file of a repository is for: the product, or its tests, examples, docs...

The API Reference, the HTTP Interface, Configuration, entry points and the
warnings describe the *product*: what a user installs.  Tests, examples,
documentation sources, benchmarks and fuzz targets are told apart, first from
what the manifests declare (the packages a ``pyproject.toml`` builds, the
files a ``package.json`` publishes, a ``Cargo.toml``'s library and binaries,
Maven's ``src/main``), then by the conventions every ecosystem shares
(``tests/``, ``examples/``, ``conftest.py``, ``*_test.go``, ``*.test.ts``).
Each decision keeps its reason, so the docs can say what was classified as
what and why.
"""

from __future__ import annotations

import ast
import configparser
import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

_PYTHON = frozenset({".py", ".pyi"})
_JAVASCRIPT = frozenset({".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"})
_RUST = frozenset({".rs"})
_CODE = _PYTHON | _JAVASCRIPT | _RUST | frozenset({".go", ".java", ".kt", ".c", ".h", ".cpp"})

PRODUCT = "product"
TEST = "test"
EXAMPLE = "example"
DOCS = "docs"
BENCH = "bench"
FUZZ = "fuzz"
TOOLING = "tooling"  # build and development scripts: setup.py, noxfile.py, scripts/
OTHER = "other"  # outside what the manifests build, and no convention names it
ROLES = (PRODUCT, TEST, EXAMPLE, DOCS, BENCH, FUZZ, TOOLING, OTHER)

# Folder names that say what their files are for, wherever they appear.
_FOLDER_ROLES = {
    "tests": TEST, "test": TEST, "testing": TEST, "__tests__": TEST, "spec": TEST,
    "specs": TEST, "e2e": TEST, "testdata": TEST, "test_data": TEST, "fixtures": TEST,
    "examples": EXAMPLE, "example": EXAMPLE, "samples": EXAMPLE, "sample": EXAMPLE,
    "demo": EXAMPLE, "demos": EXAMPLE, "tutorial": EXAMPLE,
    "docs": DOCS, "doc": DOCS, "documentation": DOCS,
    "benches": BENCH, "bench": BENCH, "benchmarks": BENCH, "benchmark": BENCH,
    "fuzz": FUZZ, "fuzzing": FUZZ,
    "scripts": TOOLING, "tools": TOOLING, "ci": TOOLING, ".github": TOOLING,
    "vendor": OTHER,  # copies of dependencies (Go modules, PHP, Ruby): not the product
}  # fmt: skip
_AMBIGUOUS = frozenset(
    {"test", "testing", "spec", "example", "sample", "demo", "tutorial", "doc", "bench",
     "benchmark", "scripts", "tools", "ci", "fixtures"}
)  # fmt: skip
# Inside a package the manifest declares, only these folder names are not the product:
# ``django/test/`` and ``numpy/testing/`` are importable parts of their packages.
_IN_PACKAGE_FOLDER_ROLES = {"tests": TEST, "__tests__": TEST, "testdata": TEST}
_TEST_FILE = re.compile(
    r"(^test_.*\.py$|.*_test\.py$|^conftest\.py$|.*_test\.go$|.*\.(test|spec)\.[cm]?[jt]sx?$|"
    r".*Tests?\.java$|.*Test\.kt$|"
    # A JavaScript package's tests in one file, and tsd's type tests (``index.test-d.ts``).
    r"^test\.[cm]?[jt]sx?$|.*\.test-d\.[cm]?tsx?$)"
)
_TOOLING_FILE = re.compile(r"^(setup\.py|noxfile\.py|fabfile\.py|tasks\.py|build\.rs|"
                           r"Gruntfile\.js|Gulpfile\.js|gulpfile\.js|webpack\.config\.[cm]?js|"
                           r"rollup\.config\.[cm]?js|vite\.config\.[cm]?[jt]s|jest\.config\.[cm]?js|"
                           r"eslint\.config\.[cm]?js|\.eslintrc\.[cm]?js)$")  # fmt: skip


@dataclass(frozen=True)
class Reason:
    """Why files got a role: a folder (or file) and what decided it, with its source line."""

    role: str
    where: str  # "src/flask/", "tests/", "*_test.go"; "" for everything else
    why: str  # "declared by [tool.flit.module]", "conventional folder name"
    path: str | None = None  # the manifest that says so
    line: int | None = None


@dataclass(frozen=True)
class Roles:
    """Each file's role, and the reasons, in the order a reader would want them."""

    of: Mapping[str, str]
    reasons: tuple[Reason, ...]

    def paths(self, role: str) -> list[str]:
        return [p for p, r in self.of.items() if r == role]

    def is_product(self, path: str) -> bool:
        return self.of.get(path, PRODUCT) == PRODUCT


@dataclass
class _Root:
    """A folder (or single file) the manifests say is the product."""

    folder: str  # "" for the repository's root, else "src/flask"
    reason: Reason
    # The file extensions it is strict about: a file of one of these outside every root
    # that governs it is not the product (a Python package declared by pyproject.toml
    # says nothing about loose TypeScript files beside it).
    governs: frozenset[str]
    is_package: bool = True  # a Python package: conventions inside it are narrower
    # False: no convention applies inside; the build compiles every file of it (Maven's
    # ``src/main``, where ``DepthTest.java`` is a class of the product, not a test).
    conventions: bool = True


def classify(paths: Iterable[str], texts: Mapping[str, str]) -> Roles:
    """The role of every path; ``texts`` holds the manifests' text by path."""
    paths = list(paths)
    roots: list[_Root] = []
    for manifest, text in sorted(texts.items()):
        folder, _, name = manifest.rpartition("/")
        if folder and _role_by_convention(manifest, folder.split("/")) is not None:
            continue  # the manifest of an example or a test project
        reader = _MANIFESTS.get(name.lower())
        if reader is not None:
            try:
                roots.extend(reader(manifest, folder, text, paths))
            except (
                ValueError,
                TypeError,
                KeyError,
                SyntaxError,
                configparser.Error,
                RecursionError,
            ):
                continue  # an unreadable manifest decides nothing; conventions apply
    roots += _implicit_packages(paths, roots)
    classifier = _Classifier(roots)
    of: dict[str, str] = {}
    used: dict[tuple[str, str, str], Reason] = {}
    for path in paths:
        role, reason = classifier.role(path)
        of[path] = role
        used.setdefault((reason.role, reason.where, reason.why), reason)
    ordered = sorted(used.values(), key=lambda r: (ROLES.index(r.role), r.where))
    return Roles(of, tuple(ordered))


def _implicit_packages(paths: list[str], roots: list[_Root]) -> list[_Root]:
    """Top-level Python packages no manifest names, outside conventional folders: a
    checkout of a package folder alone, or a project without packaging metadata."""
    found = []
    present = set(paths)
    for path in paths:
        folder, _, name = path.rpartition("/")
        if name != "__init__.py" or not folder:
            continue
        parent = folder.rpartition("/")[0]
        if parent and parent + "/__init__.py" in present:
            continue  # a subpackage: its top-level package is the root
        if _deepest_root(path, roots) is not None:
            continue
        if _role_by_convention(path, path.split("/")[:-1]) is not None:
            continue
        reason = Reason(PRODUCT, folder + "/", "a Python package (it has an __init__.py)")
        found.append(_Root(folder, reason, governs=frozenset()))
    return found


class _Classifier:
    """Decides each path's role; what depends on its folder alone is decided once per
    folder (a large repository has thousands of files in hundreds of folders)."""

    def __init__(self, roots: list[_Root]) -> None:
        self.roots = roots
        # Roots that are one file (``index.js`` in package.json's "files", a module a
        # setup.py names): looked up by path, before the file's folder.
        self.files = {r.folder: r for r in roots if "." in r.folder.rpartition("/")[2]}
        self.strict: frozenset[str] = frozenset().union(*(r.governs for r in roots))
        self._folders: dict[str, tuple[_Root | None, tuple[str, str] | None, bool]] = {}

    def _folder(self, folder: str) -> tuple[_Root | None, tuple[str, str] | None, bool]:
        """The folder's root, the role its path gives (and where), and whether the
        narrower conventions of a package apply in it."""
        known = self._folders.get(folder)
        if known is None:
            root = _deepest_root(folder + "/", self.roots)
            if root is not None:
                inside = folder[len(root.folder) + 1 :] if root.folder else folder
                in_package = root.is_package and bool(root.folder)
                table = _IN_PACKAGE_FOLDER_ROLES if in_package else _FOLDER_ROLES
                found = _folder_role(inside.split("/") if inside else [], table)
                if found is not None and root.folder:
                    found = (found[0], f"{root.folder}/{found[1]}")
            else:
                in_package = False
                found = _folder_role(folder.split("/") if folder else [], _FOLDER_ROLES)
            known = self._folders[folder] = (root, found, in_package)
        return known

    def role(self, path: str) -> tuple[str, Reason]:
        single = self.files.get(path)
        if single is not None:
            return PRODUCT, single.reason
        folder, _, name = path.rpartition("/")
        root, found, in_package = self._folder(folder)
        if root is not None and not root.conventions:
            return PRODUCT, root.reason
        if found is not None:
            role, where = found
            return role, Reason(role, where, _CONVENTION[True])
        by_name = _name_role(name, in_package)
        if by_name is not None:
            role, pattern = by_name
            where = f"{root.folder}/{pattern}" if root is not None and root.folder else pattern
            return role, Reason(role, where, _CONVENTION[False])
        if root is not None:
            return PRODUCT, root.reason
        extension = "." + name.rpartition(".")[2] if "." in name else ""
        if extension in self.strict or (self.strict and extension not in _CODE):
            return OTHER, Reason(OTHER, "", "outside what the manifests build")
        return PRODUCT, Reason(PRODUCT, "", "no manifest of its language says otherwise")


_CONVENTION = {True: "conventional folder name", False: "conventional file name"}


def _deepest_root(path: str, roots: list[_Root]) -> _Root | None:
    best: _Root | None = None
    for root in roots:
        folder = root.folder
        if folder == path or not folder or path.startswith(folder + "/"):
            if best is None or len(folder) > len(best.folder):
                best = root
    return best


def _role_by_convention(
    path: str, folders: Iterable[str], table: Mapping[str, str] = _FOLDER_ROLES
) -> tuple[str, str] | None:
    """The role conventions give ``path`` (relative to where they apply), and where."""
    return _folder_role(folders, table) or _name_role(
        path.rpartition("/")[2], table is not _FOLDER_ROLES
    )


def _folder_role(folders: Iterable[str], table: Mapping[str, str]) -> tuple[str, str] | None:
    seen: list[str] = []
    for folder in folders:
        seen.append(folder)
        lowered = folder.lower()
        role = table.get(lowered)
        # ``example``, ``test``, ``doc``... name a package as often as a folder of examples
        # (``com/example``, ``django/test``): deeper than the top they say nothing.
        if role is not None and (len(seen) == 1 or lowered not in _AMBIGUOUS):
            return role, "/".join(seen) + "/"
    return None


def _name_role(name: str, in_package: bool) -> tuple[str, str] | None:
    # Inside a package only conftest.py says "tests" by its name: ``aiohttp/test_utils.py``
    # and ``django/test/testcases.py`` are importable parts of their packages.
    if _TEST_FILE.match(name) and (not in_package or name == "conftest.py"):
        return TEST, _pattern_of(name)
    if _TOOLING_FILE.match(name) and not in_package:
        return TOOLING, name
    return None


def _pattern_of(name: str) -> str:
    for pattern in (
        "test_*.py",
        "*_test.py",
        "conftest.py",
        "*_test.go",
        "*Test.java",
        "*Tests.java",
        "*Test.kt",
        "*.test-d.*",
        "test.*",
    ):
        if fnmatchcase(name, pattern):
            return pattern
    return "*.test.js / *.spec.js"


# --- manifests ---------------------------------------------------------------------------


def _join(folder: str, sub: str) -> str:
    sub = sub.strip().strip("/").removeprefix("./")
    if sub in ("", "."):
        return folder
    return f"{folder}/{sub}" if folder else sub


def _line_of(text: str, needle: str) -> int | None:
    at = text.find(needle)
    return text.count("\n", 0, at) + 1 if at >= 0 else None


def _python_roots(
    manifest: str,
    folder: str,
    text: str,
    paths: list[str],
    names: list[str],
    where: str,
    why: str,
    key: str,
) -> list[_Root]:
    """Roots for Python packages (or modules) ``names`` under ``where``; ``key`` is the text
    of the manifest that declares them (its line is cited)."""
    roots = []
    base = _join(folder, where)
    present = set(paths)
    for name in names:
        sub = _join(base, name.replace(".", "/"))
        line = _line_of(text, key)
        reason = Reason(PRODUCT, sub + "/", why, manifest, line)
        if any(p.startswith(sub + "/") for p in paths):
            roots.append(_Root(sub, reason, governs=_PYTHON))
        elif sub + ".py" in present:
            roots.append(
                _Root(
                    sub + ".py",
                    Reason(PRODUCT, sub + ".py", why, manifest, line),
                    governs=_PYTHON,
                    is_package=False,
                )
            )
    return roots


def _top_packages(paths: list[str], base: str, pattern: str = "*") -> list[str]:
    """Top-level Python packages (folders with ``__init__.py``) directly under ``base``."""
    found = []
    prefix = base + "/" if base else ""
    for path in paths:
        if not path.startswith(prefix):
            continue
        parts = path[len(prefix) :].split("/")
        if len(parts) == 2 and parts[1] in ("__init__.py", "__init__.pyi"):
            if fnmatchcase(parts[0], pattern) and parts[0] not in _FOLDER_ROLES:
                found.append(parts[0])
    return sorted(set(found))


def _pyproject(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    data = tomllib.loads(text)
    tool = data.get("tool", {})
    setuptools = tool.get("setuptools", {})
    find = (
        setuptools.get("packages", {}).get("find")
        if isinstance(setuptools.get("packages"), dict)
        else None
    )
    if isinstance(find, dict):
        wheres = find.get("where") or ["."]
        includes = find.get("include") or ["*"]
        roots: list[_Root] = []
        for where in wheres:
            base = _join(folder, where)
            names = [n for inc in includes for n in _top_packages(paths, base, inc.split(".")[0])]
            roots += _python_roots(
                manifest,
                folder,
                text,
                paths,
                sorted(set(names)),
                where,
                "declared by [tool.setuptools.packages.find]",
                "[tool.setuptools.packages.find]",
            )
        return roots
    if isinstance(setuptools.get("packages"), list):
        package_dir = setuptools.get("package-dir", {}).get("", "")
        top = sorted({p.split(".")[0] for p in setuptools["packages"]})
        return _python_roots(
            manifest,
            folder,
            text,
            paths,
            top,
            package_dir,
            "declared by [tool.setuptools] packages",
            "packages",
        )
    flit = tool.get("flit", {}).get("module", {}).get("name")
    if isinstance(flit, str):
        found = _in_src_or_root(manifest, folder, text, paths, flit,
                                "declared by [tool.flit.module]", "[tool.flit.module]")  # fmt: skip
        if found:
            return found
    wheel = tool.get("hatch", {}).get("build", {}).get("targets", {}).get("wheel", {})
    if isinstance(wheel.get("packages"), list):
        return _python_roots(
            manifest,
            folder,
            text,
            paths,
            wheel["packages"],
            "",
            "declared by [tool.hatch.build.targets.wheel]",
            "[tool.hatch.build.targets.wheel]",
        )
    poetry = tool.get("poetry", {})
    if isinstance(poetry.get("packages"), list):
        roots = []
        for entry in poetry["packages"]:
            if isinstance(entry, dict) and isinstance(entry.get("include"), str):
                roots += _python_roots(
                    manifest,
                    folder,
                    text,
                    paths,
                    [entry["include"]],
                    entry.get("from", ""),
                    "declared by [tool.poetry] packages",
                    "packages",
                )
        return roots
    name = data.get("project", {}).get("name") or poetry.get("name")
    if isinstance(name, str):
        normalised = re.sub(r"[-.]+", "_", name).lower()
        return _in_src_or_root(manifest, folder, text, paths, normalised,
                               "named by the project's name", "name")  # fmt: skip
    return []


def _in_src_or_root(
    manifest: str, folder: str, text: str, paths: list[str], name: str, why: str, key: str
) -> list[_Root]:
    """The package (or module) ``name`` under ``src/``, else beside the manifest."""
    for where in ("src", ""):
        found = _python_roots(manifest, folder, text, paths, [name], where, why, key)
        if found:
            return found
    return []


def _setup_cfg(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    if not parser.has_section("options"):
        return []
    options = parser["options"]
    package_dir = options.get("package_dir", "").strip()
    where = package_dir.partition("=")[2].strip() if "=" in package_dir else ""
    packages = options.get("packages", "").strip()
    if packages.startswith("find"):
        if parser.has_section("options.packages.find"):
            where = parser["options.packages.find"].get("where", where).strip()
        names = _top_packages(paths, _join(folder, where))
    else:
        names = sorted({p.strip().split(".")[0] for p in packages.split() if p.strip()})
    return _python_roots(
        manifest,
        folder,
        text,
        paths,
        names,
        where,
        "declared by setup.cfg [options] packages",
        "packages",
    )


def _setup_py(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    tree = ast.parse(text)
    keywords: dict[str, ast.expr] = {}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) == "setup"
        ):
            keywords = {k.arg: k.value for k in node.keywords if k.arg}
    where = ""
    package_dir = keywords.get("package_dir")
    if isinstance(package_dir, ast.Dict):
        for key, value in zip(package_dir.keys, package_dir.values, strict=True):
            if (
                isinstance(key, ast.Constant)
                and key.value == ""
                and isinstance(value, ast.Constant)
            ):
                where = str(value.value)
    names: list[str] = []
    packages = keywords.get("packages")
    if isinstance(packages, ast.List | ast.Tuple):
        names = sorted(
            {str(e.value).split(".")[0] for e in packages.elts if isinstance(e, ast.Constant)}
        )
    elif isinstance(packages, ast.Call):
        args = [a.value for a in packages.args if isinstance(a, ast.Constant)]
        names = _top_packages(paths, _join(folder, str(args[0]) if args else where))
    modules = keywords.get("py_modules")
    if isinstance(modules, ast.List | ast.Tuple):
        names += [str(e.value) for e in modules.elts if isinstance(e, ast.Constant)]
    return _python_roots(
        manifest, folder, text, paths, names, where, "declared by setup.py packages", "packages"
    )


def _package_json(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return []
    files = data.get("files")
    roots: list[_Root] = []
    if isinstance(files, list):
        for entry in files:
            if not isinstance(entry, str) or "*" in entry or entry.startswith("!"):
                continue
            target = _join(folder, entry)
            if any(p == target or p.startswith(target + "/") for p in paths):
                reason = Reason(
                    PRODUCT,
                    target + ("/" if entry.endswith("/") else ""),
                    'published by package.json "files"',
                    manifest,
                    _line_of(text, json.dumps(entry)),
                )
                roots.append(_Root(target, reason, governs=_JAVASCRIPT, is_package=False))
        return roots
    entries = _package_entries(data)
    if entries:
        roots.append(
            _Root(
                folder,
                Reason(
                    PRODUCT,
                    (folder + "/") if folder else "./",
                    "the package of package.json",
                    manifest,
                    1,
                ),
                governs=frozenset(),
                is_package=False,
            )
        )
    return roots


def _package_entries(data: dict[str, Any]) -> list[str]:
    """Every file a package.json names as an entry point (main, module, types, exports, bin)."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for key in ("main", "module", "types", "typings", "exports", "bin", "browser"):
        walk(data.get(key))
    return found


def _cargo(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    data = tomllib.loads(text)
    roots: list[_Root] = []
    if "package" in data:
        lib = data.get("lib", {})
        lib_path = lib.get("path", "src/lib.rs") if isinstance(lib, dict) else "src/lib.rs"
        src = _join(folder, lib_path.rpartition("/")[0] or ".")
        line = _line_of(text, "[lib]") or _line_of(text, "[package]")
        roots.append(
            _Root(
                src,
                Reason(PRODUCT, src + "/", "the crate's library and binaries", manifest, line),
                governs=_RUST,
                is_package=False,
            )
        )
        for binary in data.get("bin", []) if isinstance(data.get("bin"), list) else []:
            if isinstance(binary, dict) and isinstance(binary.get("path"), str):
                target = _join(folder, binary["path"])
                roots.append(
                    _Root(
                        target,
                        Reason(
                            PRODUCT,
                            target,
                            "a [[bin]] of Cargo.toml",
                            manifest,
                            _line_of(text, binary["path"]),
                        ),
                        governs=_RUST,
                        is_package=False,
                    )
                )
    return roots


def _go_mod(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    line = _line_of(text, "module ")
    reason = Reason(
        PRODUCT, (folder + "/") if folder else "./", "the module of go.mod", manifest, line
    )
    return [_Root(folder, reason, governs=frozenset(), is_package=False)]


def _maven(manifest: str, folder: str, text: str, paths: list[str]) -> list[_Root]:
    main = _join(folder, "src/main")
    if not any(p.startswith(main + "/") for p in paths):
        return []
    reason = Reason(PRODUCT, main + "/", "Maven/Gradle's main source set", manifest, None)
    return [_Root(main, reason, governs=frozenset(), is_package=False, conventions=False)]


_MANIFESTS = {
    "pyproject.toml": _pyproject,
    "setup.cfg": _setup_cfg,
    "setup.py": _setup_py,
    "package.json": _package_json,
    "cargo.toml": _cargo,
    "go.mod": _go_mod,
    "pom.xml": _maven,
    "build.gradle": _maven,
    "build.gradle.kts": _maven,
}
