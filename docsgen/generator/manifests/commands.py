"""Install, build, run and test commands found in a repository's README and build files.

Two kinds, never mixed up: commands *written* in the repository (README shell
blocks, ``package.json`` scripts, ``Makefile`` targets, ``Dockerfile``
instructions, declared console scripts) and commands *implied* by a manifest
(``go.mod`` implies ``go build ./...``).  Each carries the line it comes from
and a word written on that line.
"""

from __future__ import annotations

import json
import posixpath
import re
import tomllib
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from docsgen.generator.analysis.file_analysis import FileAnalysis
from docsgen.generator.analysis.manifest_lines import LineIndex, TomlLines, json_key_line
from docsgen.generator.manifests.readme_code import CodeBlock, InlineCode, readme_code
from docsgen.generator.modules import python_module, python_packages

RoleOf = Callable[[str], str]  # a file's role: "product", "test", "example", "fuzz", ...

INSTALL, BUILD, RUN, TEST, DEVELOP, OTHER = "Install", "Build", "Run", "Test", "Develop", "Other"
EXAMPLES, FUZZ = "Examples", "Fuzz"
PURPOSES = (INSTALL, BUILD, RUN, TEST, DEVELOP, EXAMPLES, FUZZ, OTHER)

_HEADING_TOPICS = (  # first match wins: "Running the tests" is about tests
    (TEST, re.compile(r"\btest", re.I)),
    (INSTALL, re.compile(r"install|set ?up\b|setup|requirement|prerequisite|dependenc", re.I)),
    (BUILD, re.compile(r"\bbuild|compil", re.I)),
    (DEVELOP, re.compile(r"develop|contribut|hacking", re.I)),
    (RUN, re.compile(
        r"usage|\brun|start|quick|getting started|serve|deploy|launch|example|\bcli\b|docker|"
        r"\bus(e|ing)\b",
        re.I,
    )),
)  # fmt: skip
# Fence languages that are commands (a README's install commands are read from them).
SHELL_LANGUAGES = frozenset(
    {"sh", "bash", "shell", "console", "zsh", "shell-session", "shellsession", "terminal",
     "cmd", "powershell", "ps", "ps1", "pwsh", "fish", "bat", "batch", "sh-session"}
)  # fmt: skip
# Languages that say nothing of a block's content: one opening with a prompt is a session.
PLAIN_LANGUAGES = frozenset({"", "text", "txt", "plain", "plaintext", "none"})
_COMMAND_WORDS = frozenset(
    {"pip", "pip3", "python", "python3", "py", "npm", "npx", "yarn", "pnpm", "go", "cargo",
     "make", "docker", "docker-compose", "git", "mvn", "gradle", "./gradlew", "curl", "poetry",
     "uv", "uvx", "pipx", "brew", "apt", "apt-get", "pytest", "tox", "nox", "bundle", "gem",
     "cmake", "just", "deno", "bun", "node", "export", "cd", "source", "conda", "sudo",
     "rustup", "java", "dotnet", "kubectl", "helm", "hatch", "pdm"}
)  # fmt: skip
_PROMPT = re.compile(r"^\s*(?:\$|>|%|PS>|PS [^>]*>)\s+")
MAX_BLOCK_LINES = 25
MAX_README_BLOCKS = 12


@dataclass(frozen=True)
class ReadmeBlock:
    heading: str
    purpose: str
    info: str
    text: str
    line: int  # first command line
    token: str  # the command word on ``line``


@dataclass(frozen=True)
class Command:
    purpose: str
    command: str
    detail: str  # what it runs / what it is, Markdown-free text
    path: str
    line: int
    token: str | None
    runs: str = ""  # the code, file or table ``detail`` goes on to name, as written: as code
    implied: bool = False


def heading_purpose(heading: str) -> str | None:
    for purpose, pattern in _HEADING_TOPICS:
        if pattern.search(heading):
            return purpose
    return None


def readme_blocks(text: str, path: str) -> list[ReadmeBlock]:
    """Shell blocks under install/usage/build/test-like headings (nearest such heading), and
    commands written inline in prose, of the README at ``path``."""
    blocks: list[ReadmeBlock] = []
    for part in readme_code(text, path):
        found = _block(part) if isinstance(part, CodeBlock) else _inline_command(part)
        if found is not None:
            blocks.append(found)
    return blocks[:MAX_README_BLOCKS]


def _under(headings: tuple[str, ...]) -> tuple[str, str]:
    """The nearest install/usage/build/test-like heading and its purpose; else the nearest
    heading (or the README itself) with ``OTHER``."""
    for heading in reversed(headings):
        purpose = heading_purpose(heading)
        if purpose:
            return heading, purpose
    return (headings[-1] if headings else "README"), OTHER


def _inline_command(span: InlineCode) -> ReadmeBlock | None:
    """A command written inline in prose ("To install, run `pip install .`")."""
    text = _PROMPT.sub("", span.text).strip()
    word = _command_word(text)
    if not _is_command(word) or len(text.split()) < 2:
        return None
    heading, purpose = _under(span.headings)
    return ReadmeBlock(heading, purpose, "sh", text, span.line, word)


def _block(code: CodeBlock) -> ReadmeBlock | None:
    heading, purpose = _under(code.headings)
    body = code.text.splitlines()
    word = _command_word(body[0])
    if purpose == OTHER and not _is_command(word):
        return None  # under no telling heading, only a known command word makes it one
    # A block in no language or plain text whose first line is a prompt is a shell session.
    session = code.info in PLAIN_LANGUAGES and _PROMPT.match(body[0]) is not None
    if (
        code.info not in SHELL_LANGUAGES
        and not session
        and not (code.info == "" and word in _COMMAND_WORDS)
    ):
        return None
    if not word or word not in body[0]:
        return None
    shown = body[:MAX_BLOCK_LINES]
    if len(body) > MAX_BLOCK_LINES:
        shown.append(f"# … {len(body) - MAX_BLOCK_LINES} more lines")
    info = "" if session else code.info
    return ReadmeBlock(heading, purpose, info, "\n".join(shown), code.line, word)


def _is_command(word: str) -> bool:
    """A known tool, or a script of the repository run by its path (``./scripts/dev``)."""
    return word in _COMMAND_WORDS or (word.startswith("./") and len(word) > 2)


def _command_word(line: str) -> str:
    words = _PROMPT.sub("", line).split()
    return words[0] if words else ""


# -- build files ----------------------------------------------------------------------


def manifest_commands(
    texts: Mapping[str, str],
    paths: Collection[str],
    analyses: Mapping[str, FileAnalysis],
    role_of: RoleOf = lambda path: "product",
) -> list[Command]:
    """The commands of the quoted manifests (``texts``, by path), and the entry points the
    analyses found; ``paths`` are every file's, to tell which wrapper scripts exist;
    ``role_of`` tells the product's entry points from fuzz targets and examples."""
    found: list[Command] = []
    names = set(paths)
    for path, text in sorted(texts.items()):
        name = PurePosixPath(path).name.lower()
        folder = posixpath.dirname(path)
        try:
            if name == "package.json":
                found += _package_json(path, text, names)
            elif name in ("makefile", "gnumakefile"):
                found += _makefile(path, text)
            elif name == "dockerfile" or name.startswith("dockerfile."):
                found += _dockerfile(path, text)
            elif name == "pyproject.toml":
                found += _pyproject(path, text)
            elif name.startswith("requirements") and name.endswith(".txt"):
                found += _requirements(path, text)
            elif name == "go.mod":
                found += _go_mod(path, text, folder)
            elif name == "cargo.toml":
                found += _cargo(path, text, folder)
            elif name == "pom.xml":
                found += _maven(path, text, folder)
            elif name.startswith("build.gradle"):
                found += _gradle(path, text, folder, names)
        except (ValueError, RecursionError):
            continue  # a malformed manifest: the Dependencies section reports it
    found += _declared_entry_points(analyses, role_of)
    found += _python_main_modules(paths, role_of)
    return found


def _python_main_modules(paths: Collection[str], role_of: RoleOf) -> list[Command]:
    """``python -m <package>`` for each package of the product with a ``__main__.py``,
    by its importable name (``src/flask/__main__.py`` is ``python -m flask``)."""
    mains = [p for p in paths if p.rsplit("/", 1)[-1] == "__main__.py" and role_of(p) == "product"]
    if not mains:
        return []
    packages = python_packages(paths)
    found = []
    for path in sorted(mains):
        module = python_module(path, packages)
        if module is None or not module.endswith(".__main__"):
            continue
        package = module.removesuffix(".__main__")
        found.append(Command(RUN, f"python -m {package}", "runs", path, 1, None, runs=path))
    return found


def _in(folder: str) -> str:
    return f" (in {folder}/)" if folder else ""


def _script_purpose(name: str) -> str:
    lowered = name.lower()
    for purpose, words in (
        (TEST, ("test", "e2e", "spec", "coverage")),
        (BUILD, ("build", "compile", "bundle", "dist", "package")),
        (RUN, ("start", "serve", "dev", "run", "preview", "watch")),
        (INSTALL, ("install", "setup", "bootstrap", "deps")),
        (DEVELOP, ("lint", "format", "fmt", "check", "typecheck", "type-check", "clean", "docs")),
    ):
        if any(w in lowered for w in words):
            return purpose
    return OTHER


def _package_json(path: str, text: str, names: set[str]) -> list[Command]:
    data = json.loads(text)
    if not isinstance(data, dict):
        return []
    folder = posixpath.dirname(path)
    manager = _node_manager(data, folder, names)
    index = LineIndex(text)
    found = []
    scripts = data.get("scripts")
    if isinstance(scripts, dict):
        for name, body in sorted(scripts.items()):
            line = json_key_line(text, index, name, within="scripts")
            if line is None or not isinstance(body, str):
                continue
            if manager == "npm":
                command = f"npm {name}" if name in ("test", "start") else f"npm run {name}"
            else:
                command = f"{manager} run {name}" if manager == "bun" else f"{manager} {name}"
            purpose = _script_purpose(name)
            found.append(Command(purpose, command + _in(folder), "runs", path, line, name, body))
    anchor_key = "dependencies" if "dependencies" in data else "name"
    line = json_key_line(text, index, anchor_key)
    if line is not None and (data.get("dependencies") or data.get("devDependencies")):
        install = "yarn install" if manager == "yarn" else f"{manager} install"
        found.append(
            Command(
                INSTALL,
                install + _in(folder),
                f"installs the {manager} dependencies",
                path,
                line,
                anchor_key,
                implied=True,
            )
        )
    return found


def _node_manager(data: dict[str, Any], folder: str, names: set[str]) -> str:
    declared = data.get("packageManager")
    if isinstance(declared, str) and declared.split("@")[0] in ("npm", "yarn", "pnpm", "bun"):
        return declared.split("@")[0]
    for lock, manager in (("pnpm-lock.yaml", "pnpm"), ("yarn.lock", "yarn"), ("bun.lockb", "bun"),
                          ("bun.lock", "bun")):  # fmt: skip
        if posixpath.join(folder, lock) in names:
            return manager
    return "npm"


_MAKE_RULE = re.compile(
    r"^([A-Za-z0-9_][A-Za-z0-9_./-]*(?:[ \t]+[A-Za-z0-9_][A-Za-z0-9_./-]*)*)[ \t]*:(?![:=])(.*)$"
)


def _makefile(path: str, text: str) -> list[Command]:
    folder = posixpath.dirname(path)
    lines = text.splitlines()
    found = []
    for number, line in enumerate(lines, start=1):
        if line.startswith(("\t", " ", "#")):
            continue
        rule = _MAKE_RULE.match(line)
        if rule is None or "=" in rule.group(2).split("#")[0].split(";")[0][:1]:
            continue
        help_text = ""
        comment = re.search(r"##\s*(.+)$", rule.group(2))
        if comment:
            help_text = comment.group(1).strip()
        recipe = []
        for following in lines[number:]:
            if not following.startswith("\t"):
                break
            if following.strip():
                recipe.append(following.strip())
        runs = "; ".join(recipe[:3]) + (" …" if len(recipe) > 3 else "") if not help_text else ""
        detail = help_text or ("runs" if recipe else "no recipe of its own")
        for target in rule.group(1).split():
            make = f"make -C {folder} {target}" if folder else f"make {target}"
            found.append(
                Command(_script_purpose(target), make, detail, path, number, target, runs=runs)
            )
    return found


def _dockerfile(path: str, text: str) -> list[Command]:
    found = []
    lines = text.splitlines()
    first_from = None
    number = 0
    while number < len(lines):
        start = number
        instruction = lines[number].strip()
        while instruction.endswith("\\") and number + 1 < len(lines):
            number += 1
            instruction = instruction[:-1].rstrip() + " " + lines[number].strip()
        number += 1
        m = re.match(r"^(FROM|EXPOSE|CMD|ENTRYPOINT)\s+(.*)$", instruction, re.IGNORECASE)
        if not m:
            continue
        keyword = lines[start].strip().split()[0]
        kind, rest = m.group(1).upper(), m.group(2).strip()
        if kind == "FROM" and first_from is None:
            first_from = (start + 1, keyword)
        elif kind == "EXPOSE":
            found.append(
                Command(
                    RUN,
                    f"EXPOSE {rest}",
                    "ports the container listens on",
                    path,
                    start + 1,
                    keyword,
                )
            )
        elif kind in ("CMD", "ENTRYPOINT"):
            found.append(
                Command(RUN, f"{kind} {rest}", "what the container runs", path, start + 1, keyword)
            )
    if first_from is not None:
        folder = posixpath.dirname(path)
        name = PurePosixPath(path).name
        command = (
            "docker build ." if not folder and name == "Dockerfile" else f"docker build -f {path} ."
        )
        found.append(
            Command(
                BUILD,
                command,
                "builds the container image",
                path,
                first_from[0],
                first_from[1],
                implied=True,
            )
        )
    return found


def _pyproject(path: str, text: str) -> list[Command]:
    data = tomllib.loads(text)
    lines = TomlLines(text)
    folder = posixpath.dirname(path)
    found = []
    build_system = data.get("build-system")
    backend = build_system.get("build-backend") if isinstance(build_system, dict) else None
    backend_line = lines.key_line(("build-system",), "build-backend")
    project_line = lines.table_line(("project",))
    target = "." if not folder else f"./{folder}"
    if isinstance(backend, str) and backend_line is not None:
        found.append(
            Command(
                INSTALL,
                f"pip install {target}",
                f"builds and installs the package with {backend}",
                path,
                backend_line,
                "build-backend",
                implied=True,
            )
        )
    elif project_line is not None:
        found.append(
            Command(
                INSTALL,
                f"pip install {target}",
                "installs the package declared in [project]",
                path,
                project_line,
                "project",
                implied=True,
            )
        )
    extras = data.get("project", {}).get("optional-dependencies", {})
    if isinstance(extras, dict):
        for extra in sorted(extras):
            if extra.lower() in (
                "test",
                "tests",
                "testing",
                "dev",
                "develop",
                "development",
                "all",
            ):
                line = lines.key_line(("project", "optional-dependencies"), extra)
                if line is not None:
                    found.append(
                        Command(
                            INSTALL,
                            f'pip install -e "{target}[{extra}]"',
                            f"installs the package with its {extra} extra",
                            path,
                            line,
                            extra,
                            implied=True,
                        )
                    )
    tool = data.get("tool", {}) if isinstance(data.get("tool"), dict) else {}
    pytest_line = lines.table_line(("tool", "pytest", "ini_options"))
    if "pytest" in tool and pytest_line is not None:
        found.append(
            Command(
                TEST,
                "pytest",
                "pytest is configured in",
                path,
                pytest_line,
                "pytest",
                implied=True,
                runs="[tool.pytest.ini_options]",
            )
        )
    poetry_line = lines.table_line(("tool", "poetry"))
    if "poetry" in tool and poetry_line is not None:
        found.append(
            Command(
                INSTALL,
                "poetry install",
                "the project is managed with Poetry",
                path,
                poetry_line,
                "poetry",
                implied=True,
            )
        )
    return found


def _requirements(path: str, text: str) -> list[Command]:
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        word = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", line)
        if word:
            return [
                Command(
                    INSTALL,
                    f"pip install -r {path}",
                    "installs the listed requirements",
                    path,
                    number,
                    word.group(),
                    implied=True,
                )
            ]
    return []


def _toolchain(
    path: str, line: int, token: str, folder: str, commands: list[tuple[str, str, str]]
) -> list[Command]:
    """A build tool's standard commands, implied by its manifest at ``path:line``."""
    where = _in(folder)
    return [
        Command(purpose, command + where, detail, path, line, token, implied=True)
        for purpose, command, detail in commands
    ]


def _go_mod(path: str, text: str, folder: str) -> list[Command]:
    m = re.search(r"(?m)^\s*(module)\s+\S+", text)
    if m is None:
        return []
    line = text.count("\n", 0, m.start(1)) + 1
    return _toolchain(path, line, "module", folder, [
        (BUILD, "go build ./...", "the Go toolchain builds every package"),
        (TEST, "go test ./...", "the Go toolchain runs every package's tests"),
    ])  # fmt: skip


def _cargo(path: str, text: str, folder: str) -> list[Command]:
    lines = TomlLines(text)
    line, token = lines.table_line(("package",)), "package"
    if line is None:
        line, token = lines.table_line(("workspace",)), "workspace"
    if line is None:
        return []
    return _toolchain(path, line, token, folder, [
        (BUILD, "cargo build", "Cargo builds the crate"),
        (TEST, "cargo test", "Cargo runs the crate's tests"),
    ])  # fmt: skip


def _maven(path: str, text: str, folder: str) -> list[Command]:
    m = re.search(r"<(project)\b", text)
    if m is None:
        return []
    line = text.count("\n", 0, m.start()) + 1
    return _toolchain(path, line, "project", folder, [
        (BUILD, "mvn package", "Maven builds the project"),
        (TEST, "mvn test", "Maven runs the tests"),
    ])  # fmt: skip


def _gradle(path: str, text: str, folder: str, names: set[str]) -> list[Command]:
    m = re.search(r"\b(plugins|dependencies|apply)\b", text)
    if m is None:
        return []
    line = text.count("\n", 0, m.start()) + 1
    gradle = "./gradlew" if posixpath.join(folder, "gradlew") in names else "gradle"
    return _toolchain(path, line, m.group(1), folder, [
        (BUILD, f"{gradle} build", "Gradle builds the project"),
        (TEST, f"{gradle} test", "Gradle runs the tests"),
    ])  # fmt: skip


def _declared_entry_points(analyses: Mapping[str, FileAnalysis], role_of: RoleOf) -> list[Command]:
    """Console scripts and binaries declared in manifests, and Go ``main`` packages: the
    product's are run; a fuzz target is fuzzed, an example's binary is an example."""
    found = []
    for path, analysis in sorted(analyses.items()):
        name = PurePosixPath(path).name.lower()
        role = role_of(path)
        for entry, target, line in analysis.entry_points:
            if name in ("pyproject.toml", "setup.cfg") or (
                analysis.language == "Python" and entry != "__main__"
            ):
                found.append(
                    Command(RUN, entry, "console script, calls", path, line, entry, runs=target)
                )
            elif name == "package.json":
                found.append(Command(RUN, entry, "command, runs", path, line, entry, runs=target))
            elif name == "cargo.toml" and role == "fuzz":
                folder = posixpath.dirname(path)
                where = f" (in {posixpath.dirname(folder)}/)" if "/" in folder else ""
                found.append(Command(FUZZ, f"cargo fuzz run {entry}{where}",
                                     f"fuzz target {target}", path, line, entry))  # fmt: skip
            elif name == "cargo.toml":
                purpose = EXAMPLES if role == "example" else RUN
                detail = ("example binary " if role == "example" else "binary target ") + target
                found.append(Command(purpose, f"cargo run --bin {entry}" + _in(
                    posixpath.dirname(path)), detail, path, line, entry))  # fmt: skip
            elif analysis.language == "Go" and entry == "main":
                package = posixpath.dirname(path)
                command = f"go run ./{package}" if package else "go run ."
                found.append(
                    Command(
                        RUN,
                        command,
                        "the package's main function",
                        path,
                        line,
                        "main",
                        implied=True,
                    )
                )
    return found
