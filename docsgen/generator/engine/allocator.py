"""How a process that generates manages its memory: the C allocator and Python's collector.

Keep the C allocator from hoarding memory once large buffers are freed (glibc only).

A generation moves megabytes between processes: pickled models, file contents,
Markdown.  By default glibc raises its mmap threshold each time such a buffer
is freed, so later ones come from the heap and stay there after being freed,
and every thread gets its own heap.  Fixing the threshold and capping the
heaps lets freed buffers go back to the system.  Where the C library is not
glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging

log = logging.getLogger(__name__)

_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 256 * 1024  # buffers at least this large are mapped, and unmapped when freed
ARENA_MAX = 2  # heaps shared by all threads


def tune_allocator() -> bool:
    """Apply the settings to this process; False where they do not apply."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    done = bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD))
    done = bool(mallopt(_M_ARENA_MAX, ARENA_MAX)) and done
    if not done:
        log.debug("mallopt refused the allocator settings")
    return done


# Allocations between two passes of the collector over its youngest objects (Python's
# default is 700).  A process that generates holds millions of long-lived objects (the
# memo, the stores, the last pages) and makes hundreds of thousands more per run, which
# reference counting frees: at the default, a run paid tens of milliseconds of passes,
# and now and then a full one over everything (25 ms on Django).
COLLECTOR_THRESHOLD = 10_000


def tune_collector() -> None:
    """Let the cyclic collector run less often in this process (the older generations'
    thresholds are kept, relative to the youngest's)."""
    youngest, older, oldest = gc.get_threshold()
    gc.set_threshold(max(COLLECTOR_THRESHOLD, youngest), older, oldest)
