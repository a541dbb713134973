"""Writing a catalogue file: atomically, and a failure is a message, not a traceback.

A folder that cannot be written to, a file where a folder should be, a folder where the
catalogue should be: :class:`CatalogWriteError` names the file and says what to check.
"""
from __future__ import annotations

import errno
import os
from pathlib import Path

from serge_publish.atomic import OutsideRootError, write_bytes
from serge_publish.errors import CatalogError


class CatalogWriteError(CatalogError):
    """A catalogue or template that cannot be written."""
    code = "catalog.write"


def write_catalog_text(path: str | os.PathLike, text: str, **options) -> None:
    """Write ``text`` to ``path`` atomically; CatalogWriteError if that fails."""
    write_catalog_bytes(path, text.encode("utf-8"), **options)


def write_catalog_bytes(path: str | os.PathLike, data: bytes, **options) -> None:
    """Write ``data`` to ``path`` atomically (options: atomic.write_bytes's);
    CatalogWriteError if that fails."""
    try:
        write_bytes(path, data, **options)
    except OSError as exc:
        raise CatalogWriteError(f"cannot write the catalogue: {exc.strerror or exc}",
                                where=str(path), hint=write_hint(Path(path), exc)) from None


def write_hint(path: Path, exc: OSError) -> str:
    """What to check when ``path`` could not be written."""
    if isinstance(exc, OutsideRootError):
        return (f"make {exc.link} a plain file, or a link to a file inside the project; "
                "serge-publish never writes outside it")
    blocker = next((p for p in reversed(path.parents) if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        return f"{blocker} is a file where a folder should be: move it aside"
    if path.is_dir():
        return f"{path} is a folder where the catalogue should be: move it aside"
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"check that you may write to {path.parent} (its permissions, a read-only "
                "disk or mount)")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "free some disk space (or raise the quota), then run the command again"
    return f"check that {path.parent} exists and can be written to"
