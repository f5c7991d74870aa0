"""The analysis worker processes: how each one is prepared when the pool starts it."""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from docsgen.allocator import tune_allocator

log = logging.getLogger(__name__)

# Workers yield the CPU to the process serving requests: under full load the
# API keeps answering promptly and generation takes what is left.
WORKER_NICENESS = 10


def init_analysis_worker() -> None:
    """Run in each worker as it starts (``ProcessPoolExecutor(initializer=...)``)."""
    tune_allocator()
    try:
        os.nice(WORKER_NICENESS)
    except OSError as exc:  # a platform or sandbox that refuses: run at normal priority
        log.warning("could not lower the priority of an analysis worker: %s", exc)


def analysis_pool(workers: int) -> ProcessPoolExecutor:
    """The pool that runs the generator's CPU work: forkserver workers, prepared as above.

    Forkserver, because the process asking is threaded (the event loop's
    executors) and forking it could copy a held lock; this process's allocator
    is tuned too, as it moves the workers' results around.
    """
    tune_allocator()
    context = multiprocessing.get_context("forkserver")
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=init_analysis_worker
    )
