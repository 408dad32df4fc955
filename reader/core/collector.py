"""Pausing Python's cyclic garbage collector while a large acyclic structure is built.

Reference counting frees almost everything reader makes (records, annotations, documents
hold no cycles); the cyclic collector only finds cycles, yet a full collection walks every
object alive. While a shard of 100,000 highlights is decoded, or a sync decodes and merges
thousands of files, it ran again and again over the growing heap (0.15 s of a 0.8 s shard
read; 1 s of a 3.7 s sync, 4.8 s of a 47 s first sync).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Hold off cyclic collections for the duration (nested and threaded uses are fine:
    only the pause that turned the collector off turns it back on)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
