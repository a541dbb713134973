"""`serge-publish serve`: the release's site on 127.0.0.1, rebuilt when a catalogue
changes. The server runs in a thread of the test, on a free port, and is stopped at the end
(every wait is bounded)."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from build_helpers import edit_catalogue, run
from serge_publish.commands.serve import ServeEvent, serve_command, start_server, watched_files
from serge_publish.errors import BuildError
from serge_publish.project import find_project

# slow: starts a server and rebuilds a release
pytestmark = pytest.mark.slow

WAIT = 90.0


def next_event(events: queue.Queue, kind: str) -> ServeEvent:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        event = events.get(timeout=max(0.1, deadline - time.monotonic()))
        if event.kind == kind:
            return event
        assert event.kind != "failed", event.message
    raise AssertionError(f"no {kind!r} event within {WAIT} s")


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_serve_shows_the_site_and_rebuilds_when_a_catalogue_changes(make_root):
    project = make_root("two-essays")
    config = project / "serge-publish.toml"
    config.write_text(config.read_text("utf-8").replace("threshold = 80", "threshold = 0"))
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=serve_command, daemon=True,
                              args=(find_project(project), 0, stop, events.put, 0.1))
    thread.start()
    try:
        url = next_event(events, "serving").message
        assert url.startswith("http://127.0.0.1:")
        page = get(url + "fr/alpha.html")
        assert '<html lang="fr">' in page and "Bonjour le monde" not in page
        edit_catalogue(project, "fr", "alpha", lambda i, e: "Bonjour le monde" if i == 0 else None)
        next_event(events, "rebuilt")
        assert "Bonjour le monde" in get(url + "fr/alpha.html")
    finally:
        stop.set()
        thread.join(timeout=WAIT)
    assert not thread.is_alive()


def test_a_failed_rebuild_is_told_and_the_site_stays(make_root):
    project = make_root("two-essays")
    events: queue.Queue = queue.Queue()
    stop = threading.Event()
    thread = threading.Thread(target=serve_command, daemon=True,
                              args=(find_project(project), 0, stop, events.put, 0.1))
    thread.start()
    try:
        url = next_event(events, "serving").message
        (project / "serge-publish.toml").write_text("[project\n", "utf-8")
        failed = next_event(events, "failed")
        assert "serge-publish.toml:1" in failed.message and "invalid TOML" in failed.message
        assert '<html lang="en">' in get(url + "index.html")
    finally:
        stop.set()
        thread.join(timeout=WAIT)


def test_watched_files_are_sources_catalogues_and_configuration(make_root):
    project = find_project(make_root("two-essays"))
    watched = {Path(p).relative_to(project.root).as_posix() for p in watched_files(project)}
    assert "serge-publish.toml" in watched and "source/alpha.xml" in watched
    assert "locale/fr/LC_MESSAGES/alpha.po" in watched
    assert not any(p.startswith("build/") for p in watched)
    before = watched_files(project)
    po = project.locale_dir / "fr" / "LC_MESSAGES" / "alpha.po"
    os.utime(po, ns=(po.stat().st_atime_ns, po.stat().st_mtime_ns + 10**9))
    assert watched_files(project) != before


def test_the_server_listens_on_loopback_only(tmp_path):
    server = start_server(tmp_path, 0)
    try:
        assert server.server_address[0] == "127.0.0.1"
        with pytest.raises(BuildError, match="--port"):
            start_server(tmp_path, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()


def test_serve_is_a_documented_command():
    code, out, _ = run("serve", "--help")
    assert code == 0 and "127.0.0.1" in out and "--port" in out


def test_the_serve_command_runs_until_interrupted(make_root):
    """(It hung once in a CI run of 7 December, after SIGINT, and never again in a few
    dozen runs, loaded or not: should it hang again, the failure shows where each of the
    process's threads was, as faulthandler prints them on SIGABRT.)"""
    project = make_root("two-essays")
    process = subprocess.Popen([sys.executable, "-m", "serge_publish", "--project", str(project),
                                "serve", "--port", "0"], stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONFAULTHANDLER": "1"})
    try:
        line = process.stderr.readline()          # the first line says where it serves
        assert line.startswith("serving: http://127.0.0.1:"), line
        assert '<html lang="en">' in get(line.split(": ", 1)[1].strip() + "index.html")
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=WAIT)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=WAIT)
            pytest.fail("serve did not stop on SIGINT; where its threads were:\n"
                        + process.stderr.read())
        assert code == 0
        assert "stopped" in process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=WAIT)


def test_ctrl_c_stops_serve_even_when_it_lands_inside_the_stop_events_wait(monkeypatch,
                                                                          make_root):
    """A SIGINT is raised at whatever bytecode the main thread is at; inside
    ``threading.Event.wait`` it can leave the event's lock held (a ``with`` is not atomic
    with respect to signals). Setting that event afterwards would then block for ever, and
    serve would hang after Ctrl-C: the interrupt alone must stop it."""
    from serge_publish.commands import serve as serve_module

    def interrupted(project, port, stop, tell, **kwargs):
        stop._cond.acquire()              # the lock the interrupted wait left held
        raise KeyboardInterrupt

    monkeypatch.setattr(serve_module, "serve_command", interrupted)
    project = make_root("two-essays")
    done: queue.Queue = queue.Queue()
    thread = threading.Thread(target=lambda: done.put(run("--project", str(project),
                                                          "serve", "--port", "0")),
                              daemon=True)
    thread.start()
    code, _, err = done.get(timeout=10)
    assert code == 0 and "stopped" in err
