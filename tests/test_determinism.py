"""The same snapshot gives byte-identical Markdown, whatever the process and its hash seed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from docsgen.generator.engine.run import Engine
from tests.support.generation import FIXTURES, document, fetch, polyglot_repo, pool
from tests.support.gitrepo import make_repo
from tests.test_odd_code import ODD_FILES

__all__ = ["pool"]

ROOT = Path(__file__).resolve().parents[1]
# Generates the docs of a folder's snapshot in a fresh interpreter and prints them.
_SCRIPT = """
import asyncio, sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from docsgen.generator.engine.run import Engine
from tests.support.generation import document, snapshot_of

if __name__ == "__main__":
    with ProcessPoolExecutor(2) as executor:
        docs = asyncio.run(document(snapshot_of(Path(sys.argv[1]), "repo"), Engine(executor)))
    sys.stdout.buffer.write(docs.content.encode())
"""


def repository(tmp_path: Path) -> Path:
    repo = tmp_path / "repo"
    shutil.copytree(FIXTURES / "polyglot", repo)
    make_repo(repo, {f"odd/{path}": content for path, content in ODD_FILES.items()})
    shutil.rmtree(repo / ".git")
    return repo


def generate_in_subprocess(repo: Path, seed: str) -> bytes:
    script = repo.parent / "generate_once.py"
    script.write_text(_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, str(script), str(repo)],
        env=env,
        capture_output=True,
        check=True,
        timeout=120,
    )
    return done.stdout


def test_two_processes_with_different_hash_seeds_write_the_same_bytes(tmp_path: Path) -> None:
    repo = repository(tmp_path)
    first = generate_in_subprocess(repo, "1")
    second = generate_in_subprocess(repo, "2")
    assert len(first) > 5_000
    assert first == second


async def test_the_same_snapshot_twice_in_one_process_gives_the_same_markdown(
    tmp_path: Path, pool: ProcessPoolExecutor
) -> None:
    repo = polyglot_repo(tmp_path, ODD_FILES)
    snapshot = await fetch(repo)
    engine = Engine(pool)  # the second run finds what the first one remembered
    first = await document(snapshot, engine)
    second = await document(snapshot, engine)
    assert first.content == second.content
    assert [s.to_json() for s in first.sections] == [s.to_json() for s in second.sections]
