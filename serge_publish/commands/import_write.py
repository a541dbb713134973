"""The writing step of ``serge-publish import``: the kept original (with its hints) and
the source change together or not at all, through the write-ahead journal of
:mod:`serge_publish.journal` (``source/import-journal.json``).

Every new file is first written to a temporary file beside its target and every old one
kept as a hard link; then the journal is written, then the files are renamed into place.
A failed rename puts every earlier one back (a full disk, a read-only folder or a file in
the way is a message, not a traceback); a kill after the journal is completed when the
project is next opened, so the original in ``source/originals/`` and
``source/<essay>.xml`` never get out of step.
"""
from __future__ import annotations

import errno
from pathlib import Path

from ..errors import ProjectError
from ..journal import Change, WriteFailed
from ..journal import write_together as _journalled

__all__ = ["Change", "write_together", "write_hint"]


def write_together(changes: list[Change], root: Path, journal: Path, label: str) -> None:
    """Apply every change, or none (ProjectError naming the file and what to check)."""
    try:
        _journalled(changes, journal, label, root)
    except WriteFailed as failed:
        current, exc = failed.target, failed.error
        raise ProjectError(f"cannot write {_shown(current, root)}: {exc.strerror or exc}",
                           where=str(current),
                           hint=write_hint(current, exc) + "; nothing was changed") from None


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
