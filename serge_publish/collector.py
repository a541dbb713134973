"""How the commands ask Python's cyclic garbage collector to keep out of the way, in one
place. The pipeline makes hundreds of thousands of objects that hold no reference cycle
(catalogue entries, documents, XHTML trees, strings) and live until a step ends; the
collector, run every 700 allocations by default, would trace them again and again for
nothing (a third of a merge's time, most of an unpickling's)."""
from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def fewer_collections() -> Iterator[None]:
    """The collector run less often (every 50,000 allocations rather than 700) for the
    length of a command's work: cycles are still collected. Worker processes forked
    meanwhile inherit the setting."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 50_000), max(before[1], 20), max(before[2], 20))
    try:
        yield
    finally:
        gc.set_threshold(*before)


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while many objects that hold no cycle are made at once (an
    edition unpickled, a catalogue read and applied). Whatever was made is collected as
    usual afterwards."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
