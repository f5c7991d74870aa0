"""Worker processes re-run the program's main script; the ``docsgen`` script must stay light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# What multiprocessing's spawn preparation does in each new worker with a script run as
# the main program: run it again as ``__mp_main__``; then, what the workers import.
PREPARE = """
import runpy, sys
runpy.run_path(sys.argv[1], run_name="__mp_main__")
import docsgen.generator.engine.worker_tasks
print(" ".join(m for m in ("aiohttp", "asyncpg", "gidgethub", "docsgen.cli") if m in sys.modules))
"""


def test_a_worker_preparing_from_the_docsgen_script_loads_no_web_or_database_code() -> None:
    script = Path(sys.executable).parent / "docsgen"
    assert script.is_file(), "the console script is installed beside the interpreter"
    assert "docsgen.entry" in script.read_text()
    done = subprocess.run(
        [sys.executable, "-c", PREPARE, str(script)], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == []


def test_the_docsgen_script_still_runs_the_command() -> None:
    script = Path(sys.executable).parent / "docsgen"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert done.stdout.startswith("docsgen ")
