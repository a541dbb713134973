"""Independent jobs of ``serge-publish build`` run on several cores.

Each job (plan one essay in some languages, render one essay in one language, one
anthology) is a pure function of its arguments, and the results are taken in the order
the jobs were given, so the outputs are the same bytes whatever the number of jobs.
One job, or ``jobs=1``, runs in this process. Worker processes are forked on Linux
(started with 'spawn' elsewhere; the functions and arguments are picklable).
"""
from __future__ import annotations

import itertools
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from ..errors import BuildError

if TYPE_CHECKING:      # imported when a pool starts: a build that renders nothing has none
    from concurrent.futures import Future, ProcessPoolExecutor


def default_jobs() -> int:
    """Every core this process may use."""
    count = getattr(os, "process_cpu_count", None)          # Python 3.13
    if count is not None:
        return count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _context():
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


class Jobs:
    """``map(fn, args)``: ``fn(*a)`` for each ``a`` of ``args``, results in that order.
    The worker processes start at the first map with more than one job, and stay. At most
    ``in_flight`` jobs (twice the workers) are given to them at a time: the results of
    the jobs done before the one awaited wait in memory, and an output can be big."""

    def __init__(self, jobs: int | None = None) -> None:
        self.jobs = max(1, jobs or default_jobs())
        self.in_flight = 2 * self.jobs
        self._pool: ProcessPoolExecutor | None = None

    def map(self, fn: Callable[..., Any], args: Sequence[tuple],
            tick: Callable[[str], None] = lambda text: None,
            labels: Sequence[str] = ()) -> Iterator[Any]:
        """``tick(label)`` as each job is done (``labels``: one a job)."""
        labels = list(labels) or [""] * len(args)
        if self.jobs == 1 or len(args) < 2:
            for a, label in zip(args, labels, strict=True):
                result = fn(*a)
                tick(label)
                yield result
            return
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context())
        pool = self._pool
        waiting = iter(zip(args, labels, strict=True))
        running: deque[tuple[str, Future]] = deque()

        def submit() -> None:
            for a, label in itertools.islice(waiting, 1):
                running.append((label, pool.submit(fn, *a)))

        try:
            for _ in range(self.in_flight):
                submit()
            while running:
                label, future = running.popleft()
                result = future.result()
                submit()
                tick(label)
                yield result
        except BrokenProcessPool as exc:
            raise BuildError("a worker process of the build died (out of memory, or "
                             "killed)", hint="build again, with fewer processes "
                                             "(--jobs 1) if it happens again") from exc
        finally:
            for _, future in running:        # the caller stopped early, or a job failed
                future.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
