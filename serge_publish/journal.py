"""A small write-ahead journal: several files replaced (or removed) together, all or none,
even when the process is killed (SIGKILL, a power cut) between two renames.

1. Stage: every new content goes to a temporary file beside its target (``<name>.<random>``
   + ``atomic.TEMP_SUFFIX``), flushed to disk; a target to be replaced or removed gets a
   hard link (a backup, also a temporary name) so its old bytes stay reachable. Nothing
   visible has changed yet.
2. Commit point: the journal, listing each step (target, temporary file or none for a
   removal, backup), is written atomically. From here on the change will happen.
3. Apply: each temporary file is renamed onto its target (a target is never absent),
   removals are done; then the backups and the journal are deleted.

:func:`recover`, run when a command opens the project, finds a journal a killed process
left and rolls it forward (every temporary file was complete before the journal was
written). An error (not a kill) while applying rolls back with the backups instead.
Without a journal, the temporary files a killed staging left are removed by the next
:func:`write_together` on the same targets.
"""
from __future__ import annotations

import errno
import glob
import json
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import atomic
from .errors import ProjectError

FORMAT = 1


@dataclass(frozen=True)
class Change:
    """``target`` gets ``data``; ``data`` None removes ``target`` (if it is there)."""
    target: Path
    data: bytes | None


@dataclass(frozen=True)
class Step:
    target: Path
    temp: Path | None          # the new content, complete on disk; None: a removal
    backup: Path | None        # a hard link to the old file; None: there was none


class WriteFailed(Exception):
    """``error`` while writing ``target``; every target was left as it was."""

    def __init__(self, target: Path, error: OSError):
        super().__init__(f"{target}: {error}")
        self.target, self.error = target, error


def write_together(changes: list[Change], journal: Path, label: str, root: Path) -> None:
    """Apply every change or none (WriteFailed); a kill after the journal is written is
    completed by :func:`recover`, a kill before it leaves every target as it was."""
    steps: list[Step] = []
    current = journal
    try:
        if journal.exists():            # recover() ran when the project was opened
            raise FileExistsError(errno.EEXIST, "another write is under way", str(journal))
        for change in changes:
            current = change.target
            step = _stage(change)
            if step is not None:
                steps.append(step)
        _sync(steps, journal)
        current = journal
        _remove_leftovers(journal)
        atomic.write_bytes(journal, _render(label, steps, root), root=root)
    except OSError as exc:
        _discard(steps)
        raise WriteFailed(current, exc) from None
    applied: list[Step] = []
    try:
        for step in steps:
            current = step.target
            _apply(step)
            applied.append(step)
    except OSError as exc:
        _roll_back(applied)
        _discard(steps)
        journal.unlink(missing_ok=True)
        raise WriteFailed(current, exc) from None
    _finish(steps, journal)


def recover(journal: Path, root: Path) -> str | None:
    """Complete the change an interrupted :func:`write_together` committed to ``journal``;
    its label, or None when there is no journal (the usual case: one ``is_file``)."""
    if not journal.is_file():
        return None
    label, steps = _read(journal, root)
    for step in steps:
        if step.temp is None:
            step.target.unlink(missing_ok=True)
        elif step.temp.exists():
            os.replace(step.temp, step.target)
    _finish(steps, journal)
    return label


# ---------------------------------------------------------------- staging

def _stage(change: Change) -> Step | None:
    target = change.target
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(target)
    if target.is_dir() and not target.is_symlink():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
    present = target.exists() or target.is_symlink()
    if change.data is None and not present:
        return None
    temp = _write_temp(target, change.data) if change.data is not None else None
    try:
        backup = _keep(target) if present else None
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return Step(target, temp, backup)


def _write_temp(target: Path, data: bytes) -> Path:
    fd, name = tempfile.mkstemp(prefix=f"{target.name}.", suffix=atomic.TEMP_SUFFIX,
                                dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), 0o644)
            os.fsync(handle.fileno())
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return Path(name)


def _keep(target: Path) -> Path:
    """A hard link to ``target`` under a temporary name (a copy where links cannot be)."""
    backup = target.with_name(f"{target.name}.{secrets.token_hex(4)}.old{atomic.TEMP_SUFFIX}")
    try:
        os.link(target, backup, follow_symlinks=False)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV,
                             errno.EMLINK, errno.ENOSYS):
            raise
        copy = _write_temp(target, target.read_bytes())
        os.replace(copy, backup)
    return backup


def _remove_leftovers(target: Path) -> None:
    """The temporary files an earlier, killed write of ``target`` left."""
    atomic.remove_leftovers(target.parent, f"{glob.escape(target.name)}.*{atomic.TEMP_SUFFIX}",
                            age=0, recursive=False)


def _sync(steps: list[Step], journal: Path) -> None:
    for folder in sorted({step.target.parent for step in steps} | {journal.parent}):
        atomic.sync_folder(folder)


# ---------------------------------------------------------------- applying

def _apply(step: Step) -> None:
    if step.temp is None:
        step.target.unlink(missing_ok=True)
    else:
        os.replace(step.temp, step.target)


def _roll_back(applied: list[Step]) -> None:
    """Put every old file back, remove every new one that had none (best effort)."""
    for step in reversed(applied):
        try:
            if step.backup is not None:
                os.replace(step.backup, step.target)
            else:
                step.target.unlink(missing_ok=True)
        except OSError:
            continue


def _discard(steps: list[Step]) -> None:
    for step in steps:
        for leftover in (step.temp, step.backup):
            if leftover is not None:
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    continue


def _finish(steps: list[Step], journal: Path) -> None:
    _sync(steps, journal)
    for step in steps:
        if step.backup is not None:
            step.backup.unlink(missing_ok=True)
    journal.unlink(missing_ok=True)
    atomic.sync_folder(journal.parent)


# ---------------------------------------------------------------- the journal file

def _render(label: str, steps: list[Step], root: Path) -> bytes:
    def rel(path: Path | None) -> str | None:
        return None if path is None else path.relative_to(root).as_posix()
    record = {"format": FORMAT, "label": label,
              "steps": [{"target": rel(s.target), "temp": rel(s.temp),
                         "backup": rel(s.backup)} for s in steps]}
    return (json.dumps(record, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def _read(journal: Path, root: Path) -> tuple[str, list[Step]]:
    try:
        record = json.loads(journal.read_bytes())
        label = str(record["label"])
        steps = [Step(_target(root, s["target"]),
                      _inside(root, s["temp"], temporary=True),
                      _inside(root, s["backup"], temporary=True))
                 for s in record["steps"]]
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise ProjectError(f"this is not a journal serge-publish wrote ({exc})",
                           where=str(journal),
                           hint="an interrupted import cannot be completed from it: move "
                                "it aside, check source/ and import again") from None
    return label, steps


def _target(root: Path, rel: str | None) -> Path:
    """A step's target: ``root/rel``, which every step has."""
    path = _inside(root, rel, temporary=False)
    if path is None:
        raise ValueError("a step without a target")
    return path


def _inside(root: Path, rel: str | None, temporary: bool) -> Path | None:
    """``root/rel``, refused (ValueError) if it leads outside or has the wrong kind of name."""
    if rel is None:
        if temporary:
            return None
        raise ValueError("a step without a target")
    path = root / rel
    if ".." in Path(rel).parts or Path(rel).is_absolute() \
            or atomic.is_temporary(path) != temporary:
        raise ValueError(f"unexpected path {rel!r}")
    return path
