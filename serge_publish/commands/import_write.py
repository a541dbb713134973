"""The writing step of ``serge-publish import``: the kept original (with its hints) and
the source change together or not at all.

Every new file is first written to a temporary file beside its target; only when all are
written are they renamed into place, one by one, the source last. A file that is replaced
or removed is first renamed aside, so that a failed rename puts every earlier one back:
the original in ``source/originals/`` and ``source/<essay>.xml`` never get out of step,
and a full disk, a read-only folder or a file in the way is a message, not a traceback.
"""
from __future__ import annotations

import errno
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import ProjectError


@dataclass(frozen=True)
class Change:
    """``target`` gets ``data``; ``data`` None removes ``target`` (if it is there)."""
    target: Path
    data: bytes | None


@dataclass
class _Step:
    change: Change
    temp: Path | None = None      # the new content, written beside the target
    aside: Path | None = None     # the old file, renamed beside the target
    done: bool = False


def write_together(changes: list[Change], root: Path) -> None:
    """Apply every change, or none (ProjectError naming the file and what to check)."""
    steps = [_Step(change) for change in changes]
    current = changes[0].target if changes else root
    try:
        for step in steps:
            current = step.change.target
            _stage(step)
        for step in steps:
            current = step.change.target
            _commit(step)
    except OSError as exc:
        _roll_back(steps)
        raise ProjectError(f"cannot write {_shown(current, root)}: {exc.strerror or exc}",
                           where=str(current),
                           hint=write_hint(current, exc) + "; nothing was changed") from None
    finally:
        _clean(steps)


def _stage(step: _Step) -> None:
    target, data = step.change.target, step.change.data
    if data is None:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    step.temp = Path(temp)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(temp, 0o644)


def _commit(step: _Step) -> None:
    target = step.change.target
    if target.exists() or target.is_symlink():
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        aside = target.with_name(f".{target.name}.{os.getpid()}.old")
        os.replace(target, aside)
        step.aside = aside
    if step.temp is not None:
        os.replace(step.temp, target)
        step.temp = None
    step.done = True


def _roll_back(steps: list[_Step]) -> None:
    """Put back every file renamed aside, remove every file put in place (best effort)."""
    for step in reversed(steps):
        target = step.change.target
        try:
            if step.done and step.change.data is not None and step.aside is None:
                target.unlink(missing_ok=True)
            if step.aside is not None:
                os.replace(step.aside, target)
                step.aside = None
        except OSError:
            continue


def _clean(steps: list[_Step]) -> None:
    for step in steps:
        for leftover in (step.temp, step.aside):
            if leftover is not None:
                try:
                    leftover.unlink(missing_ok=True)
                except OSError:
                    continue


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def write_hint(path: Path, exc: OSError) -> str:
    """What to check when ``path`` could not be written."""
    blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{blocker} is a file where a folder should be: move it aside"
    if path.is_dir():
        return f"{path} is a folder where a file should be: move it aside"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space (or raise the quota), then import again"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"check that you may write to {path.parent} (its permissions, a read-only "
                "disk or mount), then import again")
    return f"check that {path.parent} exists and can be written to, then import again"
