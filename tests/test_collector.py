"""A process that generates runs Python's cyclic collector less often."""

from __future__ import annotations

import gc
from concurrent.futures import ThreadPoolExecutor

from docsgen.generator.engine.allocator import COLLECTOR_THRESHOLD
from docsgen.generator.engine.run import Engine


def test_making_an_engine_raises_the_youngest_threshold_and_keeps_the_others() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        with ThreadPoolExecutor(1) as executor:
            Engine(executor)
        assert gc.get_threshold() == (COLLECTOR_THRESHOLD, 10, 10)
        gc.set_threshold(50_000, 5, 5)  # a higher one is kept
        with ThreadPoolExecutor(1) as executor:
            Engine(executor)
        assert gc.get_threshold() == (50_000, 5, 5)
    finally:
        gc.set_threshold(*before)
