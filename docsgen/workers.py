"""The analysis worker processes: how each one is prepared when the pool starts it."""

from __future__ import annotations

import importlib
import logging
import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor

from docsgen.allocator import tune_allocator

log = logging.getLogger(__name__)

# Workers yield the CPU to the process serving requests: under full load the
# API keeps answering promptly and generation takes what is left.
WORKER_NICENESS = 10
# What a worker runs: loaded as it starts (about 0.15 s of imports: the analysers, the
# tree-sitter grammars' bindings, the sections), not by the first task of a run.
WORKER_CODE = "docsgen.generator.tasks"


def init_analysis_worker() -> None:
    """Run in each worker as it starts (``ProcessPoolExecutor(initializer=...)``)."""
    tune_allocator()
    try:
        os.nice(WORKER_NICENESS)
    except OSError as exc:  # a platform or sandbox that refuses: run at normal priority
        log.warning("could not lower the priority of an analysis worker: %s", exc)
    importlib.import_module(WORKER_CODE)


def start_workers(pool: ProcessPoolExecutor, workers: int) -> list[Future[int]]:
    """Start the pool's workers now rather than at the first run (which would wait for
    them to load the generator).  Each future answers the process id of the worker that
    ran it, once that one is ready (one worker may answer several).  A worker that fails
    to start is logged (the pool is then broken, and the next run says so)."""
    started = [pool.submit(os.getpid) for _ in range(workers)]
    for future in started:
        future.add_done_callback(_log_failure)
    return started


def _log_failure(future: Future[int]) -> None:
    if not future.cancelled() and (exc := future.exception()) is not None:
        log.error("an analysis worker failed to start: %s", exc)


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
