"""Running one function over many items on several processes, the results in item order.

``run_all(fn, state, items, jobs)`` returns ``[fn(state, item) for item in items]``;
with more than one job (default: all cores) the items go to forked worker processes,
which inherit ``state`` (nothing of it is pickled; the results are). An error of the
tool (PublishError) in a worker is raised again as it was, message, place and hint kept;
of several, the one of the first item. Where processes cannot be forked, one process
does the work.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import PublishError

_WORK: tuple[Callable, Any, Sequence] | None = None     # what forked workers inherit


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:              # not on Linux
        return os.cpu_count() or 1


def run_all(fn: Callable[[Any, Any], Any], state: Any, items: Sequence,
            jobs: int | None = None) -> list:
    jobs = min(jobs or default_jobs(), len(items))
    if jobs <= 1:
        return [fn(state, item) for item in items]
    # (imported here only: work on one process imports none of it)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    if "fork" not in multiprocessing.get_all_start_methods():
        return [fn(state, item) for item in items]
    global _WORK
    _WORK = (fn, state, items)
    try:
        with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_one, range(len(items)),
                                 chunksize=max(1, len(items) // (4 * jobs))))
    except BrokenProcessPool:
        raise PublishError("a worker process ended abruptly (killed, or out of memory): "
                           "what it was writing is either its old or its new version",
                           hint="run the command again, or with --jobs 1") from None
    finally:
        _WORK = None
    for outcome in done:
        if outcome[0] == "error":
            _, kind, message, where, hint = outcome
            raise kind(message, where=where, hint=hint)
    return [outcome[1] for outcome in done]


def _one(index: int) -> tuple:
    assert _WORK is not None
    fn, state, items = _WORK
    try:
        return "done", fn(state, items[index])
    except PublishError as exc:
        return "error", type(exc), exc.message, exc.where, exc.hint
