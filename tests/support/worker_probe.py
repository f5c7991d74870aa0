"""Questions put to a worker process after it has done real work; imports nothing heavy,
so that asking does not change the answer."""

from __future__ import annotations

import sys

HEAVY = ("_hashlib", "ssl", "multiprocessing.shared_memory", "aiohttp", "asyncpg")


def heavy_modules_loaded() -> list[str]:
    return [name for name in HEAVY if name in sys.modules]


def shared_blocks_mapped() -> list[str]:
    """The shared memory blocks (``SharedMemory``'s, named ``psm_...``) this process has mapped."""
    with open("/proc/self/maps") as maps:
        return sorted({line.split(None, 5)[-1].strip() for line in maps if "/dev/shm/psm_" in line})


def generator_loaded() -> bool:
    """Whether the generator's task module is loaded (a ready worker has it)."""
    return "docsgen.generator.engine.worker_tasks" in sys.modules
