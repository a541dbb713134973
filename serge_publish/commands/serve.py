"""serge-publish serve: the release's site on http://127.0.0.1:PORT for preview, rebuilt
when a source, a catalogue or the configuration changes.

A loopback-only ``http.server`` in a thread serves ``build/dist/``; the calling thread
polls the modification times of ``source/``, ``locale/``, ``serge-publish.toml`` and
``published.toml`` every ``interval`` seconds and runs ``rebuild`` (the release) when one
changed. A rebuild that fails is told and the last good site stays served.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..config import CONFIG_NAME, PUBLISHED_NAME
from ..errors import BuildError, PublishError
from ..project import Project, find_project
from .release import DIST, release_command

HOST = "127.0.0.1"
INTERVAL = 0.5


@dataclass(frozen=True)
class ServeEvent:
    kind: str                 # "serving", "rebuilt", "failed"
    message: str


def watched_files(project: Project) -> dict[str, float]:
    """Every watched file and its modification time (a removed file drops out)."""
    found: dict[str, float] = {}
    for folder in (project.source_dir, project.locale_dir):
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and not path.name.endswith("~"):
                    found[str(path)] = path.stat().st_mtime_ns
    for name in (CONFIG_NAME, PUBLISHED_NAME):
        path = project.root / name
        if path.is_file():
            found[str(path)] = path.stat().st_mtime_ns
    return found


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:   # noqa: A002  (the base's name)
        return


def start_server(folder: Path, port: int) -> ThreadingHTTPServer:
    """An HTTP server of ``folder`` on 127.0.0.1 only, running in a daemon thread."""
    handler = functools.partial(_Quiet, directory=str(folder))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as exc:
        raise BuildError(f"cannot serve on {HOST}:{port}: {exc.strerror or exc}",
                         hint="choose another port with --port") from exc
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_command(project: Project, port: int, stop: threading.Event,
                  tell: Callable[[ServeEvent], None], interval: float = INTERVAL,
                  rebuild: Callable[[Project], object] = release_command) -> None:
    """Build, serve, and rebuild on changes until ``stop`` is set."""
    seen = watched_files(project)         # before building: a change meanwhile is seen
    rebuild(project)
    server = start_server(project.build_dir / DIST, port)
    tell(ServeEvent("serving", f"http://{HOST}:{server.server_address[1]}/"))
    try:
        while not stop.wait(interval):
            now = watched_files(project)
            if now != seen:
                seen = now
                _rebuild(project, rebuild, tell)
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(project: Project, rebuild, tell: Callable[[ServeEvent], None]) -> None:
    """Rebuild with the configuration read again (it may be what changed)."""
    try:
        rebuild(find_project(project.root))
    except PublishError as exc:
        tell(ServeEvent("failed", f"rebuild failed: {exc}"))
        return
    tell(ServeEvent("rebuilt", "rebuilt build/dist/"))
