"""The writing step of ``serge-publish build``, the only one that touches ``build/``.

First every target is checked (each folder can be created or written, no file is in the
way of a folder, no folder in the way of a file): a problem stops the build before
anything is written (and before anything is rendered: the build knows which outputs it
will write once it has decided which are up to date). (Temporary files an earlier build
left when it was killed, ``*.serge-tmp`` as ``atomic.write_bytes`` names them, are removed
when a build starts: ``remove_leftovers``, so that publishing build/ never publishes one.)
Then, when there is anything to write:

1. the state (``.serge-build-state.json``) lists the outputs about to be written as
   *pending*: a build killed from here on leaves them to be rebuilt by the next one;
2. ``build-report.json`` says ``"complete": false`` and lists them: whoever looks at
   build/ in the meantime (or after a kill) knows it may mix old and new editions;
3. every output, atomically, as soon as it is rendered (the build does not hold the
   outputs in memory), by the process that rendered it (``OutputSink``: a worker sends
   back only the size and SHA-256 the state records), in the order the jobs are done
   (with one process, that of the jobs); a build that fails or is killed while
   rendering leaves each file whole, old or new, and the report and state of steps 1
   and 2; each output written is noted in the build's log (:meth:`OutputWriter.record`,
   build_state.BuildLog), so that the next build takes up such a build where it stopped;
4. the final report (``"complete": true``), then the final state; then the log is
   removed.

The state and the report are written durably (synced to disk, see ``atomic``); the
outputs are not (``durable=False``: no fsync of each file and of its folder, which cost
most of the writing): an output can be made again, and the next build does so when the
file on disk is not the one the state records. After a power cut, an output the system
had not yet written out is missing, empty or the old file (another size, inode or time
than the state and the digests record: ``State.unchanged`` reads it again and finds it is
not the bytes recorded), or the build was still writing (its outputs are pending).

An output whose file already holds the bytes rendered (``build --force`` with nothing
changed, or a key that changed without changing the bytes) is left as it is
(``keep_same``: compared byte for byte, see ``atomic``): the same bytes as a write would
leave, without a new file, a rename and the old file's removal. Its recorded stat is then
the file's as it was (older than this run: a later change shows a later ctime).

A no-change rebuild only rewrites the report and the state.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .. import atomic
from ..errors import BuildError
from .build_state import STATE_NAME, BuildLog, FileDigests, State


def check_targets(build_dir: Path, rels: list[str]) -> None:
    """BuildError for the first target that cannot be written; writes nothing."""
    # (the folders as strings first: a path object for each of thousands of targets
    # took most of this check)
    folders = sorted({PurePosixPath(folder) for folder in {rel.rpartition("/")[0]
                                                           for rel in rels}})
    for folder in folders:
        _check_folder(build_dir, folder)
    with_folders: dict[str, bool] = {}
    for rel in sorted(rels):
        parent = rel.rpartition("/")[0]
        if parent not in with_folders:
            with_folders[parent] = _has_folders(os.path.join(build_dir, parent))
        if with_folders[parent] and _is_dir(os.path.join(build_dir, rel)):
            raise BuildError(f"cannot write build/{rel}: it is a folder",
                             where=str(build_dir / rel),
                             hint="move that folder away, then build again")


def _has_folders(path: str) -> bool:
    """Whether the folder ``path`` holds any folder (or link to one), where a target
    could be one: not when it holds none (as a language's folder of outputs), nor when
    it does not exist yet; then none of its thousands of targets is looked at on its
    own. True when it cannot be read (each target is then looked at)."""
    try:
        with os.scandir(path) as entries:
            return any(entry.is_dir() for entry in entries)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except (OSError, ValueError):
        return True


def _is_dir(path: str) -> bool:
    """``Path(path).is_dir()`` without making a Path (thousands of targets are checked):
    False when there is nothing there, an error reading it otherwise."""
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError as exc:
        if exc.errno not in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            raise
        return False
    except ValueError:
        return False


def _check_folder(build_dir: Path, folder: PurePosixPath) -> None:
    """``build/<folder>`` and each folder above it are folders, or can be created."""
    path, name = build_dir, "build"
    for part in ("", *folder.parts):
        if part:
            path, name = path / part, f"{name}/{part}"
        if not path.exists():
            if not os.access(path.parent, os.W_OK | os.X_OK):
                raise _unwritable(path.parent, name.rpartition("/")[0] or str(path.parent))
            return                          # the rest is created by the write
        if not path.is_dir():
            raise BuildError(f"cannot write under {name}: {name} is not a folder",
                             hint=f"{name} is a file: move it away (the build writes the "
                                  f"folder {name}), then build again")
    if not os.access(path, os.W_OK | os.X_OK):
        raise _unwritable(path, name)


def _unwritable(path: Path, name: str) -> BuildError:
    return BuildError(f"cannot write in {name}: permission denied", where=str(path),
                      hint=f"make {name} writable (chmod u+w), then build again")


class OutputWriter:
    """Writes the outputs of a build as they are rendered (none is kept in memory until
    the end), in the order of the steps above: :meth:`begin` checks every target and
    marks the outputs about to be written pending (state, then report), :meth:`put`
    writes one output atomically, :meth:`finish` the final report and state."""

    def __init__(self, build_dir: Path, report_name: str, state: State | None = None,
                 log: BuildLog | None = None) -> None:
        """``log``: where each output is noted once written (:meth:`record`), removed
        once the final state is written."""
        self.build_dir, self.report_name, self.state = build_dir, report_name, state
        self.log = log
        self.total = self.written = 0
        self.said = f"{report_name} was not updated"

    def begin(self, writing: list[str]) -> None:
        """BuildError for the first target that cannot be written (nothing is written
        then); the state and the report then say that ``writing`` is being written."""
        check_targets(self.build_dir, [*writing, self.report_name])
        self.total = len(writing)
        if writing and self.state is not None:
            self._write(STATE_NAME, _pending(self.state, sorted(writing)))
            self.state.raw = self.state.loaded = None     # written again at the end
            self._write(self.report_name, _incomplete(sorted(writing)))
            self.said = f"{self.report_name} says the build is incomplete"

    def put(self, rel: str, data: bytes, sha256: str = "") -> None:
        """Write build/``rel``; ``sha256``: its bytes' (known to the caller), recorded
        with the file's stat for the next build (see FileDigests.wrote). Not synced to disk
        (see the module's docstring)."""
        self._write(rel, data, durable=False)
        self.written += 1
        digests = self.state.digests if self.state is not None else None
        if sha256 and isinstance(digests, FileDigests):
            digests.wrote(os.path.join(self.build_dir, rel), sha256, len(data))

    def record(self, rel: str, record: dict) -> None:
        """Note in the log that build/``rel`` is written whole, with the ``record`` the
        state keeps of it (see build_state.BuildLog): a build that stops from here on is
        taken up where it stopped."""
        if self.log is not None:
            self.log.note("output", rel, record)

    def sink(self) -> OutputSink:
        """What a job writes its outputs with, in whichever process it runs (see
        :class:`OutputSink`); each is then told here with :meth:`wrote`."""
        return OutputSink(self.build_dir)

    def wrote(self, rel: str, done: Written) -> None:
        """Record that a job wrote build/``rel`` (``done``: what :meth:`OutputSink.put`
        returned), as :meth:`put` does; BuildError if it could not be written."""
        if done.error is not None:
            raise _failed(self.build_dir, rel, done.error, self.written, self.total,
                          self.said)
        self.written += 1
        digests = self.state.digests if self.state is not None else None
        if isinstance(digests, FileDigests) and done.stat is not None:
            # the stat the job took just after its rename (none: read next time)
            digests.wrote(os.path.join(self.build_dir, rel), done.sha256, done.size,
                          done.stat)

    def finish(self, report: bytes | Callable[[], bytes], key: str = "") -> None:
        """Write the report (``report``: its bytes, or what makes them), then the state.
        ``key``: a hash of what the report says; when nothing was written, the report on
        disk is the one recorded under that key, and the state is the one read, neither
        is written again (a build that changes nothing writes nothing)."""
        state = self.state
        if not (key and not self.total and state is not None
                and state.unchanged(self.report_name, key, state.report)):
            data = report() if callable(report) else report
            self._write(self.report_name, data)
            if state is not None:
                state.report = {"key": key, "size": len(data),
                                "sha256": hashlib.sha256(data).hexdigest()} if key else {}
                if key and isinstance(state.digests, FileDigests):
                    state.digests.wrote(os.path.join(self.build_dir, self.report_name),
                                        state.report["sha256"], len(data))
        if state is not None:
            state.pending = []
            self.said = f"{self.report_name} was written; the next build checks every " \
                        "output again"
            if self.total or not state.as_loaded():
                self._write(STATE_NAME, state.to_bytes())
        if self.log is not None:
            self.log.remove()           # (the state written says all it said)

    def _write(self, rel: str, data: bytes, durable: bool = True) -> None:
        _write(self.build_dir, rel, data, self.written, self.total, self.said, durable)


@dataclass(frozen=True)
class Written:
    """What became of an output a job wrote: its size and SHA-256, or why it could not
    be written (``error``: the OSError's text)."""
    size: int = 0
    sha256: str = ""
    error: str | None = None
    stat: os.stat_result | None = None   # the file's, just after its rename


@dataclass(frozen=True)
class OutputSink:
    """Writes outputs under ``folder`` from a job, in a worker process: the process that
    rendered an output writes it (atomically, not synced, as :meth:`OutputWriter.put`),
    and only its size and SHA-256 go back to the build, which records them in the state
    (:meth:`OutputWriter.wrote`). The build has checked every target and marked them
    pending (:meth:`OutputWriter.begin`) before the first job starts, and writes the
    final report and state when the last is done: the steps of the module's docstring
    hold, but the outputs of jobs running side by side are written in the order they are
    done."""
    folder: Path
    build: int = field(default_factory=os.getpid)    # the build's process

    def put(self, rel: str, data: bytes) -> Written:
        if self.build != atomic.pid() and self.build != os.getppid():   # the build was
            return Written(error="the build stopped (its process is gone)")  # killed
        try:
            _write(self.folder, rel, data, 0, 0, "", False)       # (see OutputWriter.put)
        except BuildError as exc:
            cause = exc.__cause__
            return Written(error=str(getattr(cause, "strerror", None) or cause or exc))
        try:            # now, not when the build hears of it (see FileDigests.wrote)
            info: os.stat_result | None = os.lstat(os.path.join(self.folder, rel))
        except OSError:
            info = None
        return Written(len(data), hashlib.sha256(data).hexdigest(),
                       stat=info if info is not None and stat.S_ISREG(info.st_mode) else None)


def write_outputs(build_dir: Path, files: dict[str, bytes], report: tuple[str, bytes],
                  state: State | None = None) -> None:
    """Every file atomically in a stable order, then the report (``(name, bytes)``) and
    the state (see the module's docstring)."""
    writer = OutputWriter(build_dir, report[0], state)
    writer.begin(sorted(files))
    for rel in sorted(files):
        writer.put(rel, files[rel])
    writer.finish(report[1])


def _write(build_dir: Path, rel: str, data: bytes, written: int, total: int,
           said: str, durable: bool = True) -> None:
    """An output (not ``durable``) is left as it is when it already holds ``data``
    (``keep_same``: see atomic.write_bytes); the report and the state are written."""
    try:
        atomic.write_bytes(os.path.join(build_dir, rel), data, durable=durable,
                           keep_same=not durable)
    except OSError as exc:
        raise _failed(build_dir, rel, str(exc.strerror or exc), written, total,
                      said) from exc


def _failed(build_dir: Path, rel: str, error: str, written: int, total: int,
            said: str) -> BuildError:
    return BuildError(f"cannot write build/{rel}: {error}", where=str(build_dir / rel),
                      hint=f"{min(written, total)} of {total} files were written and "
                           f"{said}; fix the problem and build again")


def _pending(state: State, writing: list[str]) -> bytes:
    """The state as it was, with the outputs about to be written marked pending."""
    return state.pending_bytes(writing)


def _incomplete(writing: list[str]) -> bytes:
    data = {"complete": False, "writing": [f"build/{rel}" for rel in writing],
            "note": "a build was writing these files and did not finish: build/ may mix "
                    "old and new editions; run serge-publish build"}
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def remove_leftovers(build_dir: Path) -> list[Path]:
    """Delete the temporary files of an earlier, killed build (whatever their age: one
    build writes build/ at a time); returns them."""
    if not build_dir.is_dir():
        return []
    return atomic.remove_leftovers(build_dir, age=0)
