"""Independent jobs of ``serge-publish build`` run on several cores.

Each job (plan one essay in some languages, render a few essays in one language, one
anthology) is a pure function of its arguments, and the results are taken in the order
the jobs were given (``map``), or as they are done (``each``: each result says which job
it is, and what is made of them does not depend on their order), so the outputs are the
same bytes whatever the number of jobs.
One job, or ``jobs=1``, runs in this process. Worker processes are forked on Linux
(started with 'spawn' elsewhere; the functions and arguments are picklable).
"""
from __future__ import annotations

import gc
import itertools
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
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

    def __init__(self, jobs: int | None = None,
                 preload: Callable[[], object] = lambda: None) -> None:
        self.jobs = max(1, jobs or default_jobs())
        self.in_flight = 2 * self.jobs
        self._pool: ProcessPoolExecutor | None = None
        self.preload = preload       # run once before the workers are forked (imports)
        self._frozen = False

    def map(self, fn: Callable[..., Any], args: Iterable[tuple],
            tick: Callable[[str], None] = lambda text: None,
            labels: Sequence[str] = ()) -> Iterator[Any]:
        """``tick(label)`` as each job is done (``labels``: one a job; given, ``args``
        may be an iterator, each job's arguments then made when it is handed out)."""
        labels = list(labels)
        if not labels:
            args = list(args)
            labels = [""] * len(args)
        if self.jobs == 1 or len(labels) < 2:
            for a, label in zip(args, labels, strict=True):
                result = fn(*a)
                tick(label)
                yield result
            return
        from concurrent.futures.process import BrokenProcessPool
        pool = self._start()
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

    def each(self, fn: Callable[..., Any], args: Sequence[tuple],
             tick: Callable[[str], None] = lambda text: None, labels: Sequence[str] = (),
             after: Sequence[Sequence[int]] = ()) -> Iterator[tuple[int, Any]]:
        """``(i, fn(*args[i]))`` for each job, as the jobs are done (in the order given
        with one process): for results that are small (the outputs a job wrote itself),
        a long job does not hold the others back as :meth:`map` does, which keeps at
        most ``in_flight`` jobs ahead of the one awaited. ``after[i]``: the jobs that
        must be done (their results yielded) before job ``i`` starts, all given before
        it; of the jobs whose turn has come, the first given starts first. A job that
        fails stops the jobs given after it that have not started (those running end, and
        their results are yielded); the jobs given before it run on, and the error raised
        is that of the first failing job in the order given (the one
        :meth:`map` raises, whatever the number of processes)."""
        labels = list(labels) or [""] * len(args)
        needs = [tuple(a) for a in after] or [()] * len(args)
        if any(d >= i for i, deps in enumerate(needs) for d in deps):
            raise ValueError("a job can only wait for a job given before it")
        if self.jobs == 1 or len(args) < 2 or _chain(needs):
            for i, (a, label) in enumerate(zip(args, labels, strict=True)):
                result = fn(*a)
                tick(label)
                yield i, result
            return
        from concurrent.futures import FIRST_COMPLETED, wait
        from concurrent.futures.process import BrokenProcessPool
        pool = self._start()
        waiting = list(range(len(args)))          # in the order given
        done: set[int] = set()
        running: dict[Future, int] = {}
        failed: tuple[int, BaseException] | None = None
        try:
            while waiting or running:
                for i in list(waiting):
                    if len(running) >= self.in_flight or failed is not None and i > failed[0]:
                        break
                    if all(d in done for d in needs[i]):
                        waiting.remove(i)
                        running[pool.submit(fn, *args[i])] = i
                if failed is not None:
                    waiting = [i for i in waiting if i < failed[0]]
                if not running:
                    break
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in sorted(finished, key=running.__getitem__):
                    i = running.pop(future)
                    error = future.exception()
                    if error is not None:
                        if isinstance(error, BrokenProcessPool):
                            raise error
                        if failed is None or i < failed[0]:
                            failed = (i, error)
                        continue
                    done.add(i)
                    tick(labels[i])
                    yield i, future.result()
            if failed is not None:
                raise failed[1]
        except BrokenProcessPool as exc:
            raise BuildError("a worker process of the build died (out of memory, or "
                             "killed)", hint="build again, with fewer processes "
                                             "(--jobs 1) if it happens again") from exc
        finally:
            for future in running:           # the caller stopped early, or a job failed
                future.cancel()

    def _start(self) -> ProcessPoolExecutor:
        from concurrent.futures import ProcessPoolExecutor
        if self._pool is None:
            self.preload()         # once here, not once in each worker
            # what this process holds now (the project, the modules, babel's data) out of
            # the collector's sight until the pool closes: a worker's collections would
            # otherwise walk those objects, writing to each one's header, and so copy
            # every page it inherited from this process (some 0.2 s of CPU a build, in
            # page faults and the walk itself)
            gc.freeze()
            self._frozen = True
            self._pool = ProcessPoolExecutor(max_workers=self.jobs, mp_context=_context(),
                                             initializer=_die_with_the_build,
                                             initargs=(os.getpid(),))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._frozen:          # collected as usual again (in the oldest generation)
            gc.unfreeze()
            self._frozen = False

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _chain(needs: list[tuple[int, ...]]) -> bool:
    """Whether each job waits, directly or through others, for every job given before it
    (an essay, then its language's anthology: what a one-catalogue change renders): no two
    can run side by side, so they run here, without starting processes (forking them and
    loading what they need cost more than the jobs)."""
    before: list[set[int]] = []
    for i, deps in enumerate(needs):
        done = set(deps).union(*(before[d] for d in deps))
        if len(done) != i:
            return False
        before.append(done)
    return True



def _die_with_the_build(build: int) -> None:
    """A worker's first step: a thread of its own that ends the worker as soon as the
    build's process is gone (``kill -9`` included: the worker's parent is then another
    process). Otherwise a worker of a killed build would go on writing outputs into
    build/ while the next build runs, and then wait for ever. (Linux's PR_SET_PDEATHSIG
    would need ctypes, which nothing here loads.)"""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == build:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="serge-publish-watch", daemon=True).start()
