"""The analysis worker processes: how each one is prepared when the pool starts it."""

from __future__ import annotations

import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from docsgen.generator.engine.allocator import tune_allocator

log = logging.getLogger(__name__)

# Workers yield the CPU to the process serving requests: under full load the
# API keeps answering promptly and generation takes what is left.
WORKER_NICENESS = 10


def init_analysis_worker() -> None:
    """Run in each worker as it starts (``ProcessPoolExecutor(initializer=...)``).

    It loads what a worker runs (about 0.15 s of imports: the analysers, the
    tree-sitter grammars' bindings, the sections) now, not at the first task of
    a run, and makes the worker's state.
    """
    tune_allocator()
    try:
        os.nice(WORKER_NICENESS)
    except OSError as exc:  # a platform or sandbox that refuses: run at normal priority
        log.warning("could not lower the priority of an analysis worker: %s", exc)
    from docsgen.generator.engine.worker_tasks import prepare_worker

    prepare_worker()


def _start_workers(pool: ProcessPoolExecutor, workers: int) -> None:
    """Start the pool's workers now rather than at the first run (which would wait for
    them to load the generator).  A worker that fails to start is logged (the pool is
    then broken, and the next run says so)."""
    for _ in range(workers):
        pool.submit(os.getpid).add_done_callback(_log_failure)


def _log_failure(future: Future[int]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        log.error("an analysis worker failed to start: %s", exc)


def analysis_pool(workers: int) -> ProcessPoolExecutor:
    """The pool that runs the generator's CPU work: forkserver workers, prepared as above
    and started at once, so that they get ready before the first run needs them.

    Forkserver, because the process asking is threaded (the event loop's
    executors) and forking it could copy a held lock; this process's allocator
    is tuned too, as it moves the workers' results around.
    """
    tune_allocator()
    context = multiprocessing.get_context("forkserver")
    pool = ProcessPoolExecutor(
        max_workers=workers, mp_context=context, initializer=init_analysis_worker
    )
    _start_workers(pool, workers)
    return pool
