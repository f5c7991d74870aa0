"""Getting Started on real projects: installed as the ecosystem does, the README's first
example quoted, commands told apart (the product's, a sub-project's, a fuzz target's)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import pytest

from docsgen.generator.analysis import analyse_source
from docsgen.generator.manifests.commands import FUZZ, RUN, manifest_commands
from docsgen.generator.surface.roles import classify
from tests.support import projects
from tests.support.citations import citation_problems
from tests.support.generation import pool, section
from tests.support.orientation import documented

__all__ = ["pool"]

INSTALL = {
    "flask": "pip install Flask",
    "httpx": "pip install httpx",
    "rich": "pip install rich",
    "express": "npm install express",
    "serde_json": "cargo add serde_json",
    "go-cmp": "go get github.com/google/go-cmp",
}
FIRST_EXAMPLE = {
    "flask": "```python\n# save this as app.py\nfrom flask import Flask\n\napp = Flask(__name__)",
    "httpx": "```pycon\n>>> import httpx\n>>> r = httpx.get('https://www.example.org/')",
    "express": "```js\nconst express = require('express')\nconst app = express()",
    "serde_json": "```rust\nenum Value {",
}


@pytest.mark.parametrize("project", list(INSTALL))
def test_getting_started_installs_by_name_and_quotes_the_first_example(
    project: str, pool: ProcessPoolExecutor
) -> None:
    docs = documented(project, pool)
    start = section(docs, "Getting Started")
    assert f"### Installing the package\n\n```sh\n{INSTALL[project]}\n```" in start
    if project in FIRST_EXAMPLE:
        example = start.split("### First example from the README", 1)[1]
        assert FIRST_EXAMPLE[project] in example
    assert "has no shell block" not in start  # serde_json's install step is a Cargo.toml snippet
    getting_started = next(s for s in docs.sections if s.title == "Getting Started")
    root = projects.checkout(project)

    def read(path: str) -> str | None:
        file = root / path
        return file.read_text(errors="replace") if file.is_file() else None

    assert citation_problems(getting_started.citations, read) == []


def test_serde_json_adds_itself_to_a_cargo_manifest(pool: ProcessPoolExecutor) -> None:
    start = section(documented("serde_json", pool), "Getting Started")
    assert '```toml\n[dependencies]\nserde_json = "1.0"\n```' in start


def test_flask_runs_as_a_module_by_its_importable_name_and_installs_the_root_first(
    pool: ProcessPoolExecutor,
) -> None:
    start = section(documented("flask", pool), "Getting Started")
    assert "| `python -m flask` |" in start and "src.flask" not in start
    install = start.split("### Install\n", 1)[1].split("###", 1)[0]
    assert install.index("`pip install .`") < install.index("`pip install ./examples/celery`")
    assert (
        "`pytest` *(implied)* | pytest is configured in `[tool.pytest.ini_options]` | "
        "`pyproject.toml:67`" in start.split("### Test", 1)[1].split("\n")[4]
    )


def test_a_fuzz_targets_binary_is_fuzzed_not_run() -> None:
    cargo = (
        '[package]\nname = "serde_json-fuzz"\nversion = "0.0.0"\n\n'
        '[[bin]]\nname = "from_slice"\npath = "fuzz_targets/from_slice.rs"\n'
    )
    paths = ["fuzz/Cargo.toml", "fuzz/fuzz_targets/from_slice.rs", "src/lib.rs"]
    analyses = {"fuzz/Cargo.toml": analyse_source("fuzz/Cargo.toml", cargo.encode())}
    roles = classify(paths, {"fuzz/Cargo.toml": cargo})
    found = manifest_commands({"fuzz/Cargo.toml": cargo}, paths, analyses,
                              lambda path: roles.of.get(path, "product"))  # fmt: skip
    commands = {(c.purpose, c.command) for c in found}
    assert (FUZZ, "cargo fuzz run from_slice") in commands
    assert not any(purpose == RUN for purpose, _ in commands)
