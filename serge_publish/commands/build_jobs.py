"""Independent jobs of ``serge-publish build`` run on several cores.

Each job (plan one essay in some languages, render a few essays in one language, one
anthology) is a pure function of its arguments, and the results are taken in the order
the jobs were given (``map``), or as they are done (``each``: each result says which job
it is, and what is made of them does not depend on their order), so the outputs are the
same bytes whatever the number of jobs.
One job, or ``jobs=1``, runs in this process. Worker processes are forked on Linux
(started with 'spawn' elsewhere; the functions and arguments are picklable), each with a
pipe of its own rather than a shared queue (concurrent.futures), so that the build
chooses which one runs a job: an essay's render jobs go to the process that planned it,
which may still hold its editions (see Jobs.home).
"""
from __future__ import annotations

import collections
import gc
import os
import pickle
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from typing import Any

from ..errors import BuildError


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


HERE = -1            # the place of a map job run in the build's own process (see Jobs.home)

_DIED = ("a worker process of the build died (out of memory, or killed)",
         "build again, with fewer processes (--jobs 1) if it happens again")


class _Died(Exception):
    """A worker's pipe closed before its job's result came (the process is gone)."""


class _Remote(Exception):
    """The traceback of an error raised in a worker (its ``__cause__``)."""

    def __str__(self) -> str:
        return f"\n{self.args[0]}" if self.args else ""


# The most a job handed to a worker while it runs another may weigh, pickled: it waits
# whole in the pipe while the worker runs the job before it, so that the worker's next job
# is there when it sends its result. It must fit in the pipe: a quarter of what the pipe
# holds (a socket pair: some 200 kB on Linux, 8 kB on macOS), at most this (see
# _ahead_limit). Heavier jobs (an anthology's, which carries every chapter's outline) are
# handed out only to a worker that has none.
AHEAD_BYTES = 64 * 1024


class _Worker:
    """One worker process and its pipe. It is given a job when it has none, and may be
    given one more while it runs that one (if it fits in the pipe, see
    :meth:`give_ahead`): the next job is then in its pipe when it sends the result of the last,
    instead of a round trip later (the build reading that result, recording it, making
    and sending the next job: some 1 to 2 ms a job, 2 to 3 % of a build at N=200, L=10,
    with both processes waiting). Neither end ever waits to send while the other does,
    whatever the size of a result: the job that waits in the pipe fits in it, and a
    worker reads a job as soon as it has sent a result. No thread is needed to feed it,
    and the build chooses which process runs each job (see Jobs.each)."""

    def __init__(self, context, build: int, others: Sequence[_Worker] = ()) -> None:
        """``others``: the workers started before it, whose pipes' ends in this process
        it lets go of (see _serve)."""
        self.conn, theirs = context.Pipe()
        self.process = context.Process(
            target=_serve, args=(theirs, build, (self.conn, *(w.conn for w in others))),
            daemon=True, name="serge-publish-worker")
        self.ahead = _ahead_limit(self.conn, theirs)
        self.process.start()
        theirs.close()
        self.jobs: collections.deque[int] = collections.deque()   # given, not yet taken

    def give(self, i: int, fn: Callable[..., Any], args: tuple) -> None:
        """Job ``i``: ``fn(*args)``, when it has none (see :meth:`give_ahead`)."""
        self.send(i, _pickled(fn, args))

    def give_ahead(self, i: int, data: bytes) -> bool:
        """Job ``i`` (``data``: see :func:`_pickled`) handed out to run after the one it
        runs, when it is light enough to wait in the pipe (see :data:`AHEAD_BYTES`);
        False otherwise (nothing sent)."""
        if len(self.jobs) != 1 or len(data) > self.ahead:
            return False
        self.send(i, data)
        return True

    def send(self, i: int, data: bytes) -> None:
        """Job ``i`` (``data``: see :func:`_pickled`), when it has none."""
        try:
            self.conn.send_bytes(data)
        except OSError as exc:                # (a broken pipe: the process is gone)
            raise _Died from exc
        self.jobs.append(i)

    def take(self) -> tuple[int, bool, Any]:
        """The first job given that is not taken yet: its index, whether it ended well,
        and its result or its error."""
        try:
            data = self.conn.recv_bytes()
        except (EOFError, OSError) as exc:
            raise _Died from exc
        i = self.jobs.popleft()
        try:
            ok, value, trace = pickle.loads(data)
        except Exception as exc:            # noqa: BLE001   (see _portable: a last resort)
            return i, False, BuildError(f"a job's result could not be read back: {exc}")
        if not ok and trace:
            value.__cause__ = _Remote(trace)
        return i, ok, value

    def stop(self, wait: bool = True) -> None:
        """Its end; ``wait``: joined (else see :meth:`Jobs.close`)."""
        try:
            while self.jobs:                  # their results are not wanted any more
                self.take()
            self.conn.send(None)              # (its end)
        except (_Died, OSError, EOFError):
            pass
        self.conn.close()
        if wait:
            self.process.join()


def _ahead_limit(ours, theirs) -> int:
    """The most a job handed ahead through this pipe may weigh (see :data:`AHEAD_BYTES`):
    a quarter of the least of what this end may send and the other end receive, 0 (none
    handed ahead) when the pipe is not a socket pair (Windows) or its sizes cannot be
    read. A job that does not fit would keep this process waiting to send it while the
    worker, running the job before it, waits to send a result this process does not
    read."""
    import socket
    sizes = []
    try:
        for conn, option in ((ours, socket.SO_SNDBUF), (theirs, socket.SO_RCVBUF)):
            with socket.fromfd(conn.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as end:
                sizes.append(end.getsockopt(socket.SOL_SOCKET, option))
    except (OSError, AttributeError, ValueError):
        return 0
    return min(AHEAD_BYTES, min(sizes) // 4)


def _pickled(fn: Callable[..., Any], args: tuple) -> bytes:
    """A job as a worker's pipe carries it (what ``Connection.send`` would send)."""
    from multiprocessing.reduction import ForkingPickler
    return bytes(ForkingPickler.dumps((fn, args)))


def _serve(conn, build: int, builds: tuple = ()) -> None:
    """A worker: each job received, run, and its result (or error) sent back. ``builds``:
    the build's ends of this worker's pipe and of the workers' forked before it, which a
    forked process holds copies of: closed here, so that this pipe ends (EOF) when the
    build closes its end, or ends, whatever this worker was reading."""
    try:
        _serve_jobs(conn, build, builds)
    except KeyboardInterrupt:
        # Ctrl-C where the loop does not expect it (while it sends a result, say): this
        # process ends quietly (multiprocessing would print its traceback), and the
        # build's process, interrupted too, says the build was aborted
        pass


def _serve_jobs(conn, build: int, builds: tuple) -> None:
    for end in builds:
        end.close()
    _die_with_the_build(build)
    while True:
        try:
            job = conn.recv()
        except (EOFError, KeyboardInterrupt):
            return
        if job is None:
            return
        fn, args = job
        interrupted = False
        try:
            answer = (True, fn(*args), "")
        except BaseException as exc:   # noqa: BLE001   (raised again in the build's process)
            import traceback
            answer = (False, _portable(exc), "".join(traceback.format_exception(exc)))
            interrupted = isinstance(exc, KeyboardInterrupt)
        try:
            conn.send(answer)
        except Exception as exc:       # noqa: BLE001   (a result that cannot be pickled)
            conn.send((False, BuildError(f"a job's result could not be handed back: {exc}"),
                       answer[2]))
        if interrupted:    # (Ctrl-C): the job waiting in the pipe, if any, is not run
            return


def _portable(exc: BaseException) -> BaseException:
    """``exc``, if the build's process can read it back as it was pickled; else a
    BuildError saying what it was (its traceback goes with it). An exception whose class
    takes arguments other than its ``args`` (a required keyword...) pickles well but
    cannot be unpickled: the build would lose the result of that job, and wait for it for
    ever."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:                   # noqa: BLE001   (whatever unpickling it raises)
        return BuildError(f"a job failed: {type(exc).__name__}: {exc}")
    return exc


class Jobs:
    """``map(fn, args)``: ``fn(*a)`` for each ``a`` of ``args``, results in that order.
    The worker processes start at the first map with more than one job, and stay. At most
    ``in_flight`` jobs (three times the workers: each may have one running and one
    waiting, see _Worker) are ahead of the one awaited: their results wait in memory,
    and an output can be big. A job may name a ``place`` (an essay): the
    process that ran a :meth:`map` job of that place is where the :meth:`each` jobs of
    that place go, when it is free (what it made for the first, it may still have for the
    others: see build_plan.MadeEditions)."""

    def __init__(self, jobs: int | None = None,
                 preload: Callable[[], object] = lambda: None) -> None:
        self.jobs = max(1, jobs or default_jobs())
        self.in_flight = 3 * self.jobs
        self._pool: list[_Worker] | None = None
        self.preload = preload       # run once before the workers are forked (imports)
        self._frozen = False
        self._homes: dict[Hashable, int] = {}      # place -> the worker that ran its job
        self._ending: list[_Worker] = []           # told to end, not yet joined

    def here(self, count: int) -> bool:
        """Whether ``count`` jobs of a :meth:`map` run in this process."""
        return self.jobs == 1 or count < 2

    def home(self, place: Hashable) -> int | None:
        """The worker that ran the last :meth:`map` job of ``place`` (:data:`HERE`: this
        process; None: none did)."""
        return self._homes.get(place)

    def map(self, fn: Callable[..., Any], args: Iterable[tuple],
            tick: Callable[[str], None] = lambda text: None,
            labels: Sequence[str] = (), places: Sequence[Hashable] = ()) -> Iterator[Any]:
        """``tick(label)`` as each job is done (``labels``: one a job; given, ``args``
        may be an iterator, each job's arguments then made when it is handed out)."""
        labels = list(labels)
        if not labels:
            args = list(args)
            labels = [""] * len(args)
        if self.here(len(labels)):
            places = list(places) or [None] * len(labels)
            for a, label, place in zip(args, labels, places, strict=True):
                if place is not None:
                    self._homes[place] = HERE
                result = fn(*a)
                tick(label)
                yield result
            return
        pool = self._start()
        waiting = iter(zip(args, labels, strict=True))
        places = list(places) or [None] * len(labels)
        given = awaited = 0
        done: dict[int, tuple[bool, Any]] = {}
        data: bytes | None = None        # the next job, pickled (not handed out yet)

        def hand(w: int, ahead: bool) -> bool:
            nonlocal given, data
            if data is None:
                data = _pickled(fn, next(waiting)[0])
            if ahead:
                if not pool[w].give_ahead(given, data):
                    return False
            else:
                pool[w].send(given, data)
            data = None
            if places[given] is not None:
                self._homes[places[given]] = w
            given += 1
            return True

        try:
            while awaited < len(labels):
                for w, worker in enumerate(pool):
                    if not worker.jobs and given < len(labels) and \
                            given - awaited < self.in_flight:
                        hand(w, False)
                # a job more for each, to run next, while more jobs wait than there are
                # processes (the last ones go to whichever is free first)
                for w, worker in enumerate(pool):
                    if len(worker.jobs) == 1 and len(labels) - given > len(pool) and \
                            given - awaited < self.in_flight and not hand(w, True):
                        break
                while awaited in done:
                    ok, result = done.pop(awaited)
                    if not ok:
                        raise result
                    tick(labels[awaited])
                    awaited += 1
                    yield result
                if awaited < given:
                    for i, ok, result in _results(pool):
                        done[i] = (ok, result)
        except _Died as exc:
            raise BuildError(_DIED[0], hint=_DIED[1]) from exc
        finally:
            _drain(pool)            # the caller stopped early, or a job failed

    def each(self, fn: Callable[..., Any], args: Sequence[tuple],
             tick: Callable[[str], None] = lambda text: None, labels: Sequence[str] = (),
             after: Sequence[Sequence[int]] = (), places: Sequence[Hashable] = (),
             bound: Sequence[bool] = ()) -> Iterator[tuple[int, Any]]:
        """``(i, fn(*args[i]))`` for each job, as the jobs are done (in the order given
        with one process): for results that are small (the outputs a job wrote itself),
        a long job does not hold the others back as :meth:`map` does, which keeps at
        most ``in_flight`` jobs ahead of the one awaited. ``after[i]``: the jobs that
        must be done (their results yielded) before job ``i`` starts, all given before
        it; of the jobs whose turn has come, a free process starts the first given of
        those of its places (``places[i]``, see :meth:`home`) or of none, else the last
        given (a worker running a job of a place may be handed the next it would start,
        see _Worker). A job that fails stops the jobs given after it that no process has
        been handed (those running, or waiting in a worker's pipe, end, and their results
        are yielded); the jobs given before it run on, and the error raised is that of
        the first failing job in the order given (the one :meth:`map` raises, whatever
        the number of processes)."""
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
        pool = self._start()
        placed = list(places) or [None] * len(args)
        homes = [None if p is None else self._homes.get(p) for p in placed]
        strict = list(bound) or [False] * len(args)
        waiting = list(range(len(args)))          # in the order given
        done: set[int] = set()
        failed: tuple[int, BaseException] | None = None
        # the jobs bound to this process (their map job ran here) run here, first (they
        # wait for none: an essay's)
        for i in [i for i in waiting if strict[i] and homes[i] == HERE and not needs[i]]:
            waiting.remove(i)
            result = fn(*args[i])
            done.add(i)
            tick(labels[i])
            yield i, result
        try:
            while True:
                if failed is not None:
                    waiting = [i for i in waiting if i < failed[0]]
                for w, worker in enumerate(pool):
                    if worker.jobs:
                        continue
                    ready = [i for i in waiting if all(d in done for d in needs[i])]
                    # else the last given of another's (the one it would start last)
                    # that may run anywhere
                    pick = next((i for i in ready if homes[i] in (None, w)), None)
                    if pick is None:
                        pick = next((i for i in reversed(ready)
                                     if not (strict[i] and homes[i] is not None)), None)
                    if pick is not None:
                        waiting.remove(pick)
                        worker.give(pick, fn, args[pick])
                # a job more for each that runs a job of a place (an essay's: of a size
                # with the others), to run next: the one it would start when free (the
                # first given of its places' or of none), while more jobs are ready than
                # there are processes (any of them finds one when it is free), unless a
                # job failed. Neither behind a job of no place (an anthology, which may
                # take as long as many essays) nor one: the process free first takes it,
                # in the order given.
                for w, worker in enumerate(pool):
                    if len(worker.jobs) != 1 or failed is not None or \
                            placed[worker.jobs[0]] is None:
                        continue
                    ready = [i for i in waiting if all(d in done for d in needs[i])]
                    pick = next((i for i in ready if homes[i] in (None, w)), None)
                    if pick is not None and placed[pick] is None:
                        continue
                    if pick is not None and len(ready) > len(pool) and \
                            worker.give_ahead(pick, _pickled(fn, args[pick])):
                        waiting.remove(pick)
                if all(not worker.jobs for worker in pool):
                    break
                for i, ok, result in _results(pool):
                    if not ok:
                        if failed is None or i < failed[0]:
                            failed = (i, result)
                        continue
                    done.add(i)
                    tick(labels[i])
                    yield i, result
            if failed is not None:
                raise failed[1]
        except _Died as exc:
            raise BuildError(_DIED[0], hint=_DIED[1]) from exc
        finally:
            _drain(pool)            # the caller stopped early, or a job failed

    def _start(self) -> list[_Worker]:
        if self._pool is None:
            self.preload()         # once here, not once in each worker
            # what this process holds now (the project, the modules, babel's data) out of
            # the collector's sight until the pool closes: a worker's collections would
            # otherwise walk those objects, writing to each one's header, and so copy
            # every page it inherited from this process (some 0.2 s of CPU a build, in
            # page faults and the walk itself)
            gc.freeze()
            self._frozen = True
            context, build = _context(), os.getpid()
            self._pool = []
            for _ in range(self.jobs):
                self._pool.append(_Worker(context, build, self._pool))
        return self._pool

    def close(self, wait: bool = True) -> None:
        """The workers told to end; ``wait``: and joined, else they are joined by
        :meth:`wait` (a worker's exit, the kernel giving back the memory it wrote, takes
        some 25 ms at N=200, L=10: the build writes its report and state meanwhile).
        Every worker is told, and its pipe closed, before any is joined (their exits
        overlap; one waiting for the rest of a message cut short, by an interrupt while a
        job was being sent, sees its pipe end: see _serve)."""
        if self._pool is not None:
            for worker in self._pool:
                worker.stop(wait=False)
                self._ending.append(worker)
            self._pool = None
        if wait:
            self.wait()
        if self._frozen:          # collected as usual again (in the oldest generation)
            gc.unfreeze()
            self._frozen = False

    def wait(self) -> None:
        """The workers told to end by :meth:`close` (``wait=False``), joined."""
        while self._ending:
            self._ending.pop().process.join()

    def __enter__(self) -> Jobs:
        return self

    def __exit__(self, *exc) -> None:
        # workers already told to end without waiting are left to wait(), as the caller
        # meant (the build writes its report and state meanwhile); otherwise joined here
        self.close(wait=not self._ending)


def _drain(pool: list[_Worker]) -> None:
    """The jobs still running (or waiting to run) left to end, their results dropped: the
    next map or each of these processes gets its own results only."""
    for worker in pool:
        while worker.jobs:
            try:
                worker.take()
            except _Died:
                worker.jobs.clear()
                break               # (the next job given to it says so)


def _results(pool: list[_Worker]) -> list[tuple[int, bool, Any]]:
    """The results of the jobs done, once one is (in the order of the processes)."""
    from multiprocessing.connection import wait
    ready = set(wait([w.conn for w in pool if w.jobs]))
    return [w.take() for w in pool if w.conn in ready]


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
