"""Getting Started, Configuration, HTTP Interface and Dependencies on plain snapshots."""

from __future__ import annotations

import random

from docsgen.generator.sections import (
    SECTIONS,
    configuration,
    dependencies,
    getting_started,
    http_interface,
)
from tests.support.citations import citation_problems
from tests.support.polyglot import POLYGLOT_FILES
from tests.support.snapshots import model_of

MINE = ("getting_started", "architecture", "configuration", "http_interface", "dependencies")


def test_every_citation_of_every_section_names_something_on_its_line() -> None:
    model = model_of(POLYGLOT_FILES)
    for section in SECTIONS:
        if section.key not in MINE:
            continue
        result = section.build(model)
        assert result.citations, section.key
        assert citation_problems(result.citations, POLYGLOT_FILES.get) == [], section.key  # type: ignore[arg-type]
        named = [c for c in result.citations if c.name]
        assert len(named) >= len(result.citations) - 2, section.key


def test_the_same_snapshot_gives_byte_identical_sections_whatever_the_file_order() -> None:
    shuffled = list(POLYGLOT_FILES.items())
    random.Random(4).shuffle(shuffled)
    first, second = model_of(POLYGLOT_FILES), model_of(dict(shuffled))
    for section in SECTIONS:
        assert section.build(first).markdown == section.build(second).markdown, section.key


def test_getting_started_quotes_readme_blocks_under_their_headings() -> None:
    md = getting_started.build(model_of(POLYGLOT_FILES)).markdown
    assert "**Installation** (`README.md:8`):\n\n```bash\npip install -e .\nnpm install\n```" in md
    assert "**Usage** (`README.md:17`):\n\n```sh\npolyglot serve --port 8080\n```" in md
    assert "**Running the tests** (`README.md:29`):\n\n```console\n$ make test\n```" in md
    # A Python block is not a command: it is the README's first example, quoted as such.
    example, commands = md.split("### From the README", 1)
    assert "### First example from the README" in example and "not a shell command" in example
    assert "not a shell command" not in commands


def test_getting_started_lists_build_file_commands_and_marks_implied_ones() -> None:
    md = getting_started.build(model_of(POLYGLOT_FILES)).markdown
    for row in (
        "| `make build` | Build everything | `Makefile:3` |",
        "| `make test` | runs `pytest -q; npm test` | `Makefile:6` |",
        "| `npm run build` | runs `tsc -p .` | `package.json:8` |",
        "| `npm test` | runs `vitest run` | `package.json:9` |",
        '| `CMD ["serve", "--port", "8080"]` | what the container runs | `Dockerfile:7` |',
        "| `EXPOSE 8080 9090/udp` | ports the container listens on | `Dockerfile:5` |",
        "| `polyglot` | console script, calls `app.cli:main` | `pyproject.toml:21` |",
        "| `go test ./...` *(implied)* | the Go toolchain runs every package's tests "
        "| `go.mod:1` |",
        "| `cargo build` *(implied)* | Cargo builds the crate | `Cargo.toml:1` |",
        "| `go run ./cmd/poly` *(implied)* | the package's main function | `cmd/poly/main.go:12` |",
    ):
        assert row in md
    assert "make %.o" not in md and "make VAR" not in md and "make .PHONY" not in md


def test_getting_started_setext_headings_prompts_and_nothing_found() -> None:
    readme = (
        "Proj\n====\n\nSetup\n-----\n\n```\n$ pip install proj\n```\n\n"
        "## License\n\n```sh\nrm -rf /\n```\n"
    )
    result = getting_started.build(model_of({"README.md": readme}))
    assert "**Setup** (`README.md:8`):\n\n```sh\n$ pip install proj\n```" in result.markdown
    assert "rm -rf" not in result.markdown
    empty = getting_started.build(model_of({"main.c": "int main(){}\n"}))
    assert empty.warnings == (
        "No install, build, run or test command was found in the README or the build files.",
    )


def test_a_readme_saying_pip_install_in_prose_or_under_any_heading_is_quoted() -> None:
    prose = (
        "# mylib\n\nParses things.\n\n## Installation\n\n"
        "To install, type `pip install .` in this folder (`python` 3.11 or newer).\n"
    )
    result = getting_started.build(model_of({"README.md": prose, "mylib.py": "X = 1\n"}))
    assert result.warnings == ()
    assert "**Installation** (`README.md:7`):\n\n```sh\npip install .\n```" in result.markdown
    assert "```sh\npython" not in result.markdown, "a word in backticks is not a command"

    block = (
        "# mylib\n\n```sh\n$ pip install mylib\n```\n\n## License\n\n```sh\nrm -rf /\n```\n"
        "\n## Notes\n\n```sh\n./scripts/dev serve\n```\n"
    )
    result = getting_started.build(model_of({"README.md": block}))
    assert result.warnings == ()
    assert "**mylib** (`README.md:4`):\n\n```sh\n$ pip install mylib\n```" in result.markdown
    assert "rm -rf" not in result.markdown
    assert "**Notes** (`README.md:16`):\n\n```sh\n./scripts/dev serve\n```" in result.markdown


def test_a_pipe_in_a_script_does_not_break_the_table() -> None:
    package = '{\n  "scripts": {\n    "lint": "eslint . | tee out.txt"\n  }\n}\n'
    md = getting_started.build(model_of({"package.json": package})).markdown
    assert "| `npm run lint` | runs `eslint . \\| tee out.txt` | `package.json:3` |" in md


def test_configuration_tables_defaults_kinds_and_computed_names() -> None:
    result = configuration.build(model_of(POLYGLOT_FILES))
    md = result.markdown
    assert (
        "| `PORT` | `3000`, `8080` | `os.getenv`, `process.env` "
        "| `app/cli.py:13`, `web/server.ts:9` |" in md
    )
    assert '| `LOG_LEVEL` | `"info"` | `os.environ.get` | `app/cli.py:9` |' in md
    assert '| `RUST_PORT` | `"7878"` | `std::env::var` | `src/main.rs:6` |' in md
    assert "| `LISTEN_ADDR` | — | `os.Getenv` | `cmd/poly/main.go:13` |" in md
    assert '| `server.port` | `"8080"` | Spring property |' in md
    for decoy in ("COMMENTED_OUT", "IN_A_STRING", "IN_COMMENT", "IN_STRING"):
        assert decoy not in md
    assert result.warnings == (
        "1 read(s) use a name computed at run time, so the variable cannot be named here: "
        "`sys.argv[0]` with `os.getenv` (`app/cli.py:16`).",
    )
    assert not configuration.SECTION.applies(model_of({"a.py": "import os\n"}))


def test_http_interface_lists_routes_with_prefixes_and_only_when_there_are_some() -> None:
    md = http_interface.build(model_of(POLYGLOT_FILES)).markdown
    for row in (
        "| GET | `/v1/users` | `users` | FastAPI | `app/server.py:23` |",
        "| POST | `/legacy` | `legacy` | Flask | `app/server.py:28` |",
        "| GET | `/health` | `health` | aiohttp | `app/server.py:13` |",
        "| PUT | `/api/books` | `updateBook` | Express | `web/server.ts:14` |",
        "| GET | `/items/{id}` | `store.GetItem` | net/http | `cmd/poly/main.go:14` |",
        "| GET | `/java/hello` | `hello` | Spring | `java/src/main/java/com/poly/App.java:17` |",
        "| ANY | `articles/<int:year>/` | `views.year_archive` | Django | `app/urls.py:6` |",
    ):
        assert row in md
    assert "/not-a-route" not in md
    assert not http_interface.SECTION.applies(model_of({"a.py": "print(1)\n"}))


def test_dependencies_per_manifest_with_kinds_and_lines() -> None:
    md = dependencies.build(model_of(POLYGLOT_FILES)).markdown
    for row in (
        "| `aiohttp` | `>=3.9` | runtime | `pyproject.toml:9` |",
        "| `fastapi` | `[standard] >=0.110; python_version >= '3.11'` | runtime "
        "| `pyproject.toml:10` |",
        "| `pytest` | `>=8` | optional \\(test\\) | `pyproject.toml:15` |",
        "| `ruff` | `>=0.5` | development \\(lint\\) | `pyproject.toml:18` |",
        "| `typescript` | `~5.4.0` | development | `package.json:16` |",
        "| `golang.org/x/sync` | `v0.7.0` | indirect | `go.mod:7` |",
        "| `axum` | `0.7` | runtime | `Cargo.toml:10` |",
        "| `proptest` | `1.4` | development | `Cargo.toml:14` |",
        "| `org.junit.jupiter:junit-jupiter` | any | development | `pom.xml:11` |",
        "| `mypy` | `==1.10` | development | `requirements-dev.txt:4` |",
        "| `rich` | any | runtime | `setup.cfg:7` |",
    ):
        assert row in md
    assert "commented-out" not in md


def test_a_broken_manifest_is_a_warning_and_the_rest_still_documented() -> None:
    result = dependencies.build(
        model_of({"pyproject.toml": "[project\n", "requirements.txt": "attrs\n"})
    )
    assert result.warnings[0].startswith("pyproject.toml could not be read: ")
    assert "| `attrs` | any | runtime | `requirements.txt:1` |" in result.markdown


def test_the_citation_check_catches_a_wrong_line_name_or_file() -> None:
    from docsgen.generator.model import Citation

    files = {"a.py": "import os\nX = 1\n"}
    assert citation_problems([Citation("a.py", 1, "os")], files.get) == []
    assert citation_problems(
        [Citation("a.py", 2, "os"), Citation("a.py", 3), Citation("b.py", 1)], files.get
    ) == [
        "a.py:2: 'os' not on 'X = 1'",
        "a.py:3: no such line (2 lines)",
        "b.py:1: no such file",
    ]


def test_garbage_manifests_and_readmes_never_break_a_section() -> None:
    rng = random.Random(7)
    alphabet = [*'[]{}"=\n:.#-\t ', "[project]", "dependencies", "require (", "<dependency>",
                "```sh\n", "## Install\n", "bin", "scripts", "[[bin]]", "\\"]  # fmt: skip
    names = ["pyproject.toml", "package.json", "Cargo.toml", "go.mod", "pom.xml", "setup.cfg",
             "setup.py", "requirements.txt", "Makefile", "Dockerfile", "README.md",
             "build.gradle", "Pipfile"]  # fmt: skip
    for _ in range(40):
        files: dict[str, str | bytes] = {
            name: "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 200)))
            for name in names
        }
        model = model_of(files)
        for section in SECTIONS:
            if section.applies(model):
                section.build(model)
