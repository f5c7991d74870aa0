"""The analysis worker processes: how each one is prepared when the pool starts it."""

from __future__ import annotations

import logging
import multiprocessing
import multiprocessing.connection
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor

from docsgen.generator.engine.allocator import tune_allocator

log = logging.getLogger(__name__)

# Workers yield the CPU to the process serving requests: under full load the
# API keeps answering promptly and generation takes what is left.
WORKER_NICENESS = 10
# The exit status of a worker that ended because the process it worked for had died.
ORPHANED_EXIT_CODE = 70


def init_analysis_worker() -> None:
    """Run in each worker as it starts (``ProcessPoolExecutor(initializer=...)``).

    It ends the worker with the process that started it, loads what a worker runs
    (about 0.15 s of imports: the analysers, the tree-sitter grammars' bindings, the
    sections) now, not at the first task of a run, and makes the worker's state.
    """
    end_with_creator()
    tune_allocator()
    try:
        os.nice(WORKER_NICENESS)
    except OSError as exc:  # a platform or sandbox that refuses: run at normal priority
        log.warning("could not lower the priority of an analysis worker: %s", exc)
    from docsgen.generator.engine.worker_tasks import prepare_worker

    prepare_worker()


def end_with_creator() -> None:
    """End this worker as soon as the process that started it has died, however it died.

    Nothing else would end it: it waits for tasks on a pipe whose write end it holds
    itself, and it holds the forkserver's "alive" pipe, so that the forkserver (which
    ends when every holder of that pipe has) and the resource tracker (which ends when
    every holder of its pipe has, after removing the shared memory left behind) would
    stay too.  The process that started the worker holds the write end of a pipe that
    nothing else holds, multiprocessing's parent sentinel: it reads as ended when that
    process is gone, whether it exited, crashed or was killed.  A thread waits for it.
    """
    creator = multiprocessing.parent_process()
    if creator is None:  # not started by multiprocessing: nothing to watch
        return
    threading.Thread(
        target=_exit_when_ended, args=(creator.sentinel,), name="docsgen-creator-watch", daemon=True
    ).start()


def _exit_when_ended(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    # No cleanup to run: the task in hand is for nobody now, and the shared memory this
    # worker has open is unmapped by the kernel as the process ends.
    os._exit(ORPHANED_EXIT_CODE)


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
