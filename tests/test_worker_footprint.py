"""What an analysis worker carries after a generation: no OpenSSL, no shared blocks of past runs.

Each worker is a whole process whose memory counts: OpenSSL costs each process
that loads it about 4 MiB, and a shared block a worker keeps open stays in
its memory after the run that made it is over.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from docsgen.generator.digest import hexdigest, text_hexdigest
from docsgen.generator.engine.pool import analysis_pool
from tests.support import worker_probe
from tests.support.generation import polyglot_repo

# As the service does: a pool started by a process whose main program is light.
GENERATE_THEN_ASK = """
import asyncio, json, sys
from pathlib import Path
from docsgen.generator.pipeline import generate
from docsgen.generator.engine.pool import analysis_pool
from docsgen.generator.engine.run import Engine
from tests.support.generation import fetch, no_progress
from tests.support import worker_probe

async def main():
    pool = analysis_pool(1)
    try:
        docs = await generate(await fetch(Path(sys.argv[1])), no_progress, Engine(pool))
        assert docs.stats.analysed > 0
        loaded = pool.submit(worker_probe.heavy_modules_loaded).result()
        mapped = pool.submit(worker_probe.shared_blocks_mapped).result()
    finally:
        pool.shutdown()
    print(json.dumps({"loaded": loaded, "mapped": mapped}))

asyncio.run(main())
"""


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_after_a_generation_a_worker_holds_no_openssl_and_no_shared_block(tmp_path: Path) -> None:
    repo = polyglot_repo(tmp_path)
    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, "-c", GENERATE_THEN_ASK, str(repo)], cwd=root,
                          capture_output=True, text=True, check=True)  # fmt: skip
    answer = json.loads(done.stdout.splitlines()[-1])
    assert answer == {"loaded": [], "mapped": []}


def test_the_generators_digests_are_sha256() -> None:
    assert hexdigest(b"") == hashlib.sha256(b"").hexdigest()
    assert hexdigest(b"abc" * 1000) == hashlib.sha256(b"abc" * 1000).hexdigest()
    odd = "caf\u00e9/\udcff.py"  # a file name that was not UTF-8: a lone surrogate
    assert text_hexdigest(odd) == hashlib.sha256(odd.encode("utf-8", "surrogatepass")).hexdigest()


def test_a_process_without_openssl_hashes_without_loading_it() -> None:
    script = (
        "import sys; from docsgen.generator.digest import hexdigest; "
        "print(hexdigest(b'abc'), '_hashlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[1])  # fmt: skip
    assert done.stdout.split() == [hashlib.sha256(b"abc").hexdigest(), "False"]


def test_started_workers_have_the_generator_loaded_before_their_first_task() -> None:
    pool = analysis_pool(2)
    try:
        # Whichever worker takes it: none has been given generator work yet.
        asked = [pool.submit(worker_probe.generator_loaded) for _ in range(4)]
        assert all(f.result() for f in asked)
    finally:
        pool.shutdown()
