"""Jobs.each: the jobs of the rendering step taken as they are done (a long one, an
anthology, does not hold the others back), each after the jobs it waits for, and the
error of the first failing job in the order given, whatever the number of processes."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from build_helpers import edit_catalogue, run
from serge_publish.commands.build_jobs import HERE, Jobs


def _note(path: str, label: str, pause: float = 0.0) -> str:
    time.sleep(pause)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(label + "\n")
    return label


def _fail(label: str, pause: float = 0.0) -> str:
    time.sleep(pause)
    raise ValueError(label)


@pytest.mark.parametrize("processes", [1, 2])
def test_each_gives_every_result_with_its_index(processes):
    with Jobs(processes) as jobs:
        got = dict(jobs.each(pow, [(2, k) for k in range(9)]))
    assert got == {k: 2 ** k for k in range(9)}


def test_with_one_process_the_jobs_run_in_the_order_given():
    with Jobs(1) as jobs:
        assert [i for i, _ in jobs.each(pow, [(2, k) for k in range(5)])] == [0, 1, 2, 3, 4]


def test_a_long_job_does_not_hold_the_others_back(tmp_path):
    log = str(tmp_path / "log")
    with Jobs(2) as jobs:
        order = [i for i, _ in jobs.each(_note, [(log, "long", 1.0)] +
                                          [(log, f"short{k}") for k in range(8)])]
    assert order[-1] == 0                   # the 8 short jobs were done meanwhile


def test_a_job_starts_after_those_it_waits_for(tmp_path):
    log = str(tmp_path / "log")
    with Jobs(2) as jobs:
        list(jobs.each(_note, [(log, "first", 0.5), (log, "other"), (log, "after")],
                       after=[(), (), (0,)]))
    lines = Path(log).read_text("utf-8").split()
    assert lines.index("first") < lines.index("after")


def test_jobs_that_can_only_run_one_after_the_other_start_no_process(tmp_path):
    """An essay and its language's anthology (a one-catalogue change): a chain of jobs,
    run here in the order given; a pool is started only when two jobs could run side by
    side."""
    log = str(tmp_path / "log")
    with Jobs(2) as jobs:
        done = list(jobs.each(_note, [(log, "essay"), (log, "anthology"), (log, "third")],
                              after=[(), (0,), (1,)]))
        assert jobs._pool is None
        assert done == [(0, "essay"), (1, "anthology"), (2, "third")]
        list(jobs.each(_note, [(log, "a"), (log, "b"), (log, "after both")],
                       after=[(), (), (0, 1)]))
        assert jobs._pool is not None          # a and b could run side by side


def _frozen_in_worker(_: int) -> int:
    import gc
    return gc.get_freeze_count()


def test_the_workers_inherit_what_was_loaded_out_of_the_collectors_sight():
    """What the build's process holds when the workers fork (after the preload) is frozen
    (gc.freeze): a worker's collections do not walk it, so do not copy the pages they
    share; the build's process collects it as usual again once the pool is closed."""
    import gc
    before = gc.get_freeze_count()
    loaded = []
    with Jobs(2, preload=lambda: loaded.append([object()])) as jobs:
        frozen = list(jobs.map(_frozen_in_worker, [(0,), (1,)]))
        assert loaded and all(count > 0 for count in frozen)
    assert gc.get_freeze_count() == before


def _pid(_: int) -> int:
    import os
    return os.getpid()


def test_the_jobs_of_a_place_go_to_the_process_that_ran_its_first_job():
    """An essay's render jobs go to the process that planned it (it may still have its
    editions, see build_plan.MadeEditions) when that process is free."""
    with Jobs(2) as jobs:
        planned = list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        assert planned[0] != planned[1]
        assert {jobs.home("a"), jobs.home("b")} == {0, 1}
        assert jobs.home("c") is None
        ran = dict(jobs.each(_pid, [(0,)] * 4, places=["b", "a", "b", "a"]))
    assert (ran[0], ran[1]) == (planned[1], planned[0])       # both free at first
    assert set(ran) == {0, 1, 2, 3}
    with Jobs(1) as jobs:
        list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        assert jobs.home("a") == HERE                          # (no worker: this process)


def test_a_bound_job_runs_only_in_the_process_of_its_place():
    """A job bound to its place runs in the process that ran that place's map job (what
    it needs is there only, see build_render.prerender): a worker, or this process when
    the map job ran here (then first, here); the others go to any free process."""
    import os
    with Jobs(2) as jobs:
        planned = list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        ran = dict(jobs.each(_pid, [(0,)] * 8, places=["a"] * 4 + ["b"] * 4,
                             bound=[True] * 8))
        assert [ran[i] for i in range(4)] == [planned[0]] * 4
        assert [ran[i] for i in range(4, 8)] == [planned[1]] * 4
        # one map job: run here, and so are the jobs bound to its place
        assert list(jobs.map(_pid, [(0,)], places=["c"])) == [os.getpid()]
        assert jobs.home("c") == HERE
        ran = dict(jobs.each(_pid, [(0,)] * 3, places=["c", None, "c"],
                             bound=[True, False, True]))
        assert ran[0] == ran[2] == os.getpid() and ran[1] != os.getpid()


@pytest.mark.parametrize("how", ["map", "each"])
def test_a_caller_that_stops_early_leaves_the_processes_ready_for_the_next_jobs(how):
    with Jobs(2) as jobs:
        first = getattr(jobs, how)(_fail if how == "each" else pow,
                                   [("x", 0.3), ("y", 0.3), ("z", 0.0)] if how == "each"
                                   else [(2, k) for k in range(6)])
        if how == "each":
            with pytest.raises(ValueError):
                list(first)
        else:
            assert next(first) == 1
            first.close()
        assert list(jobs.map(pow, [(3, k) for k in range(5)])) == [3 ** k for k in range(5)]
        assert dict(jobs.each(pow, [(5, k) for k in range(5)])) == {
            k: 5 ** k for k in range(5)}


def test_a_job_cannot_wait_for_a_later_one():
    with Jobs(2) as jobs, pytest.raises(ValueError, match="given before it"):
        list(jobs.each(pow, [(2, 1), (2, 2)], after=[(1,), ()]))


@pytest.mark.parametrize("processes", [1, 2])
def test_the_error_is_that_of_the_first_failing_job_in_the_order_given(processes):
    with Jobs(processes) as jobs, pytest.raises(ValueError, match="^one$"):
        list(jobs.each(_fail, [("one", 0.5), ("two", 0.0)]))
    with Jobs(processes) as jobs, pytest.raises(ValueError, match="^slow$"):
        list(jobs.each(_fail, [("slow", 0.5), ("quick", 0.0), ("late", 0.0)]))


def test_a_worker_that_dies_in_each_is_a_build_error():
    import os

    from serge_publish.errors import BuildError
    with Jobs(2) as jobs, pytest.raises(BuildError, match="worker process of the build died"):
        list(jobs.each(os._exit, [(3,), (3,)]))


def test_a_write_that_fails_in_a_worker_is_reported_as_in_one_process(make_root,
                                                                      monkeypatch):
    """A worker writes its outputs (build_write.OutputSink): a failure is the build's
    error, the report says incomplete, as with one process."""
    from serge_publish import atomic
    project = make_root("two-essays")
    edit_catalogue(project, "fr", "alpha", lambda i, e: e.msgid)
    real = atomic.write_bytes

    def write(path, data, **options):
        if Path(path).name == "alpha.html" and "fr" in Path(path).parts:
            raise OSError(28, "No space left on device")
        real(path, data, **options)

    monkeypatch.setattr(atomic, "write_bytes", write)         # inherited by the workers
    code, _, err = run("--project", str(project), "build", "--jobs", "2", "--lang", "fr")
    assert code == 6, err
    assert "cannot write build/fr/alpha.html: No space left on device" in err
    assert "build-report.json says the build is incomplete" in err
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    assert report["complete"] is False and "build/fr/alpha.html" in report["writing"]


def test_the_workers_of_a_killed_build_die_with_it(tmp_path):
    """kill -9 of the build's process: its workers do not go on writing into build/ (and
    then wait for ever): each ends as soon as the build's process is gone."""
    import signal
    import subprocess
    import sys
    pids = tmp_path / "pids"
    code = (
        "import os, sys, time\n"
        "from serge_publish.commands.build_jobs import Jobs\n"
        "def work(path):\n"
        "    with open(path, 'a') as f: f.write(f'{os.getpid()}\\n')\n"
        "    time.sleep(60)\n"
        "with Jobs(2) as jobs:\n"
        f"    list(jobs.map(work, [({str(pids)!r},), ({str(pids)!r},)]))\n")
    build = subprocess.Popen([sys.executable, "-c", code])
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
                not pids.exists() or len(pids.read_text().split()) < 2):
            time.sleep(0.05)
        workers = [int(p) for p in pids.read_text().split()]
        assert len(workers) == 2
    finally:
        build.send_signal(signal.SIGKILL)
        build.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.05)
        alive = [p for p in workers if _alive(p)]
    assert alive == []


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, dead but not yet reaped by init, does not)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_workers_told_to_end_without_waiting_are_joined_by_wait():
    """close(wait=False) ends the workers without joining them (the build writes its
    report meanwhile); wait() joins them, and a later close has nothing left to do."""
    jobs = Jobs(2)
    assert list(jobs.map(pow, [(2, k) for k in range(4)])) == [1, 2, 4, 8]
    workers = list(jobs._pool or ())
    assert len(workers) == 2
    jobs.close(wait=False)
    assert jobs._pool is None
    jobs.wait()
    assert all(w.process.exitcode == 0 for w in workers)
    jobs.close()
    jobs.wait()


def test_leaving_the_with_block_leaves_workers_told_to_end_to_wait():
    """The build closes its workers without waiting inside its ``with Jobs``, and joins
    them once its report and state are written: leaving the block does not join them
    first (their exit, the kernel taking back their memory, took some 20 ms at N=200);
    a block left with the workers still open (a failure) joins them."""
    with Jobs(2) as jobs:
        assert list(jobs.map(pow, [(2, k) for k in range(4)])) == [1, 2, 4, 8]
        workers = list(jobs._pool or ())
        jobs.close(wait=False)
    assert {id(w) for w in jobs._ending} == {id(w) for w in workers}    # not joined yet
    jobs.wait()
    assert not jobs._ending and all(w.process.exitcode == 0 for w in workers)
    with pytest.raises(ValueError), Jobs(2) as jobs:
        list(jobs.map(pow, [(2, k) for k in range(4)]))
        workers = list(jobs._pool or ())
        raise ValueError("a failure")
    assert all(w.process.exitcode == 0 for w in workers)


def test_map_gives_its_results_as_they_come():
    """A map's results can be taken one by one, each as soon as it is done (the plan
    records an essay's while the workers plan the next): the next jobs are handed out
    before a result is given to the caller. (Counted by the map's own tally of the jobs
    it gave, not by the workers' state: a worker that finished early may already have
    hit the bound on jobs in flight, and be idle when the first result comes, whatever
    the order the processes were scheduled in.)"""
    with Jobs(2) as jobs:
        results = jobs.map(pow, [(2, k) for k in range(6)])
        assert next(results) == 1
        # the first two jobs, one a worker, then at least the one given to the worker
        # that did the first, before that first result was handed to us
        assert results.gi_frame.f_locals["given"] >= 3
        assert list(results) == [2, 4, 8, 16, 32]



def _pause(seconds: float, size: int = 0, ballast: bytes = b"") -> bytes:
    time.sleep(seconds)
    return b"x" * size


def _pid_after(seconds: float) -> int:
    import os
    time.sleep(seconds)
    return os.getpid()


SLOW_FIRST = [(0.4,)] + [(0.01,)] * 9       # a slow job, then quick ones


def test_a_worker_is_handed_its_next_job_while_it_runs_one():
    """While more jobs wait than there are processes, a worker is handed a second job as
    it runs one, to start as soon as it sends its result (without waiting for the build
    to read that result and hand it the next): the job given after the slow first one
    waits for it in the first worker's pipe, where without that the other worker, free
    first, would have run it."""
    with Jobs(2) as jobs:
        ran = list(jobs.map(_pid_after, SLOW_FIRST))
    assert ran[2] == ran[0] != ran[1]
    assert ran.count(ran[0]) < 5                 # the others were not held back
    with Jobs(2) as jobs:
        homes = list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        ran = [pid for _, pid in sorted(jobs.each(_pid_after, SLOW_FIRST,
                                                  places=["a", "b"] * 5))]
    assert ran[0] == ran[2] == homes[0]         # a's next job waited behind its first
    assert homes[0] not in {ran[4], ran[6], ran[8]}   # the other took the rest of a's


def test_a_heavy_job_is_handed_out_only_to_a_process_that_has_none(monkeypatch):
    """A job heavier than AHEAD_BYTES pickled (an anthology's, with every chapter's
    outline) does not wait in a worker's pipe: it would not fit in it."""
    from serge_publish.commands import build_jobs
    monkeypatch.setattr(build_jobs, "AHEAD_BYTES", 10)
    with Jobs(2) as jobs:
        ran = list(jobs.map(_pid_after, SLOW_FIRST))
    # the other, free first, ran it, and those given while the slow one ran
    assert set(ran[1:Jobs(2).in_flight]) == {ran[1]} != {ran[0]}


def _in_a_process_of_its_own(scenario, hung: str) -> None:
    """``scenario()`` (a function of this module) run in a Python process of its own,
    ended after two minutes: the test fails with ``hung`` if it has not ended by then
    (the workers end with their build), or with its error."""
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_build_jobs as t; "
            f"t.{scenario.__name__}(); print('done')")
    try:
        ran = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)],
                             capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        pytest.fail(hung)
    assert ran.returncode == 0 and ran.stdout == "done\n", ran.stderr


def _big_round_trips() -> None:
    """Results of 3 MB and jobs of 1 MB among small ones, with map and each."""
    heavy = (0.01, 3 << 20, b"y" * (1 << 20))
    with Jobs(2) as jobs:
        sizes = [len(r) for r in jobs.map(_pause, [(0.01, 3 << 20), heavy] * 5)]
        assert sizes == [3 << 20] * 10
        list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        got = dict(jobs.each(_pause, [(0.01, 3 << 20), heavy] * 5, places=["a", "b"] * 5))
        assert sorted(got) == list(range(10))
        assert {len(r) for r in got.values()} == {3 << 20}


def test_results_bigger_than_a_pipe_holds_with_jobs_waiting_in_it():
    """A worker sends results bigger than its pipe holds (here 3 MB) while its next job
    waits in that pipe, and jobs bigger than it holds (1 MB) come too: neither end waits
    for the other for ever, with map and each (a job that big is handed out only to a
    worker that has none, see AHEAD_BYTES). In a process of its own, ended if it hangs
    (its workers end with it)."""
    _in_a_process_of_its_own(_big_round_trips,
                             "the jobs hung: a worker and the build each waited to send")


def _small_pipes() -> None:
    """Pipes holding some 16 kB (as on macOS), jobs of 30 kB and results of 100 kB."""
    import socket

    from serge_publish.commands import build_jobs
    real = build_jobs._context()

    class Small:
        Process = real.Process

        @staticmethod
        def Pipe():                                  # noqa: N802   (multiprocessing's name)
            ends = real.Pipe()
            for end in ends:
                with socket.fromfd(end.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 8192)
                    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8192)
            return ends

    build_jobs._context = lambda: Small
    with Jobs(2) as jobs:
        out = list(jobs.map(_pause, [(0.02, 100_000, b"a" * 30_000)] * 8))
        assert [len(r) for r in out] == [100_000] * 8
        assert all(0 < w.ahead < 30_000 for w in jobs._pool or ())


def test_a_job_is_handed_ahead_only_when_the_pipe_holds_it():
    """Where a pipe holds less (macOS: some 8 kB), so does a job handed ahead: a heavier
    one would keep the build waiting to send it while the worker waits to send a result.
    In a process of its own, ended if it hangs."""
    _in_a_process_of_its_own(_small_pipes,
                             "the jobs hung: a worker and the build each waited to send")


def _cut_short() -> None:
    """A message cut short in the first worker's pipe (as an interrupt while a job was
    being sent leaves it), then the workers closed and joined."""
    import os
    import struct
    jobs = Jobs(2)
    assert list(jobs.map(pow, [(2, k) for k in range(4)])) == [1, 2, 4, 8]
    first = (jobs._pool or [])[0]
    os.write(first.conn.fileno(), struct.pack("!i", 1000) + b"x" * 10)
    jobs.close()


def test_workers_are_joined_after_all_were_told_even_with_a_message_cut_short():
    """A worker waiting for the rest of a message cut short sees its pipe end when the
    build closes its end: no other process holds a copy of it (a forked worker closes the
    build's ends of its own pipe and of the workers forked before it), and the build does
    not wait for ever to join it. In a process of its own, ended if it hangs."""
    _in_a_process_of_its_own(_cut_short, "closing the workers hung on a message cut short")


def test_no_job_waits_behind_one_of_no_place():
    """In each, no job waits in a worker's pipe behind a job of no place (an anthology,
    which may take long: the process free first takes what follows)."""
    with Jobs(2) as jobs:
        list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        ran = dict(jobs.each(_pid_after, SLOW_FIRST, places=[None] + ["a", "b"] * 4 + ["a"]))
    slow = ran[0]
    assert [i for i in ran if ran[i] == slow] == [0]


def test_a_ready_job_of_no_place_is_not_passed_by_the_jobs_handed_ahead(monkeypatch):
    """An anthology (no place) whose essays are done is started by the next process that
    is free, in the order given: the jobs handed ahead do not keep every process busy with
    the essays given after it until none is left."""
    from serge_publish.commands import build_jobs
    sent: list[int] = []
    real = build_jobs._Worker.send

    def send(self, i, data):
        sent.append(i)
        return real(self, i, data)

    with Jobs(2) as jobs:
        list(jobs.map(_pid, [(0,), (1,)], places=["a", "b"]))
        monkeypatch.setattr(build_jobs._Worker, "send", send)
        places = ["a", "b"] * 2 + [None] + ["a", "b"] * 6
        after = [()] * 4 + [(0, 1, 2, 3)] + [()] * 12
        done = dict(jobs.each(_pause, [(0.05,)] * len(places), places=places, after=after))
    assert sorted(done) == list(range(len(places)))
    assert sent.index(4) < 10            # not after the essays given after it (the 16th)


def _interrupted(log: str, label: str) -> str:
    if label == "interrupted":
        time.sleep(0.3)
        raise KeyboardInterrupt
    return _note(log, label)


def test_an_interrupted_worker_ends_without_running_the_job_waiting_for_it(tmp_path):
    """Ctrl-C reaches the workers too: the one whose job it interrupts sends that back and
    ends, without running the job handed to it ahead (the build stops at once)."""
    log = tmp_path / "log"
    log.write_text("")
    jobs = Jobs(2)
    with pytest.raises(KeyboardInterrupt):
        list(jobs.map(_interrupted, [(str(log), "interrupted")] +
                      [(str(log), f"job{k}") for k in range(1, 10)]))
    workers = list(jobs._pool or ())
    jobs.close()
    ran = log.read_text("utf-8").split()
    assert "job2" not in ran and "job1" in ran       # job2 waited behind the interrupted one
    assert workers[0].process.exitcode == 0


class _TwoPartError(Exception):
    """An error whose class takes two arguments: it pickles, but cannot be unpickled
    (unpickling calls the class with its ``args``, one)."""

    def __init__(self, what: str, where: str) -> None:
        super().__init__(f"{what} at {where}")


def _raise_two_part(label: str) -> str:
    if label == "bad":
        raise _TwoPartError("no such essay", "essay-0003")
    return label


def _explode() -> object:
    raise RuntimeError("this result cannot be read back")


class _Unreadable:
    """A result that pickles, and whose unpickling fails (in any process)."""

    def __reduce__(self):
        return (_explode, ())


def _unreadable(label: str) -> object:
    return _Unreadable() if label == "bad" else label


def _unreadable_failures() -> None:
    """A job's error that cannot be unpickled, and a result that cannot: each a
    BuildError saying what it was, with map and each, and the processes still ready for
    the next jobs."""
    from serge_publish.errors import BuildError
    with Jobs(2) as jobs:
        for run_jobs in (lambda fn, a: list(jobs.map(fn, a)),
                         lambda fn, a: dict(jobs.each(fn, a))):
            args = [("a",), ("bad",), ("c",), ("d",)]
            with pytest.raises(BuildError, match=r"^a job failed: _TwoPartError: "
                                                 r"no such essay at essay-0003$") as err:
                run_jobs(_raise_two_part, args)
            assert "_TwoPartError" in str(err.value.__cause__)     # its traceback, kept
            with pytest.raises(BuildError, match="could not be read back: this result "
                                                 "cannot be read back"):
                run_jobs(_unreadable, args)
            assert list(jobs.map(pow, [(2, k) for k in range(6)])) == [1, 2, 4, 8, 16, 32]


def test_a_job_error_or_result_that_cannot_be_unpickled_is_a_build_error():
    """Such an error or result was lost in the build's process, which then waited for
    it for ever. In a process of its own, ended if it hangs."""
    _in_a_process_of_its_own(_unreadable_failures,
                             "the build waited for ever for a result it could not read")


class _InterruptedWhileSent:
    """A result whose pickling is interrupted (as Ctrl-C may interrupt a worker sending
    its result)."""

    def __reduce__(self):
        raise KeyboardInterrupt


def _interrupted_while_sent(label: str) -> object:
    return _InterruptedWhileSent() if label == "sent" else label


def _worker_interrupted_while_sending() -> None:
    from serge_publish.errors import BuildError
    with Jobs(2) as jobs, pytest.raises(BuildError, match="worker process of the build died"):
        list(jobs.map(_interrupted_while_sent, [("a",), ("sent",), ("c",), ("d",)]))


def test_a_worker_interrupted_while_it_sends_a_result_ends_without_a_traceback():
    """Ctrl-C reaches a worker wherever it is: there it ends quietly (multiprocessing
    would print its traceback under the build's own message), and the build, which is
    not interrupted here, reports the worker gone."""
    import subprocess
    import sys
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import test_build_jobs as t; "
            "t._worker_interrupted_while_sending(); print('done')")
    ran = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent)],
                         capture_output=True, text=True, timeout=120)
    assert ran.returncode == 0 and ran.stdout == "done\n", ran.stderr
    assert "Traceback" not in ran.stderr and "KeyboardInterrupt" not in ran.stderr, ran.stderr
