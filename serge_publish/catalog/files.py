"""Saving catalogues without churn: a file is only rewritten when its content changes.

A template whose only change would be its ``POT-Creation-Date`` keeps its old date and is
not rewritten, so re-running ``extract`` on unchanged sources changes nothing in git. The
comparison is byte for byte: a file with CRLF line ends (or another charset) is rewritten
in the canonical form, UTF-8 with LF (a template keeping its date when only its line ends
change). A file that cannot be written stops the command with
a ``CatalogWriteError`` naming it and saying what to check, never a traceback.

``update`` reads a translation with :func:`load_catalog`, which notes the file's state
(:class:`Stamp`: size, mtime_ns, SHA-256 of the bytes), and replaces it with
:func:`replace_catalog`: just before the new file takes the old one's place, the file must
still be the one read (a translator who saved meanwhile keeps their work: the command
stops with :class:`CatalogChangedError`, nothing written for that file), and the previous
version is kept as ``<essay>.po~`` (as ``msgmerge --backup=simple`` does).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import polib

from serge_publish import atomic
from serge_publish.catalog.output import write_catalog_bytes, write_catalog_text
from serge_publish.catalog.po import format_catalog, parse_catalog, read_bytes
from serge_publish.errors import CatalogError

BACKUP_SUFFIX = "~"

_DATE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _current(path: Path) -> bytes | None:
    try:
        return atomic.read_file(path)
    except OSError:
        return None


def save_template(path: Path, po: polib.POFile, *, durable: bool = True) -> bool:
    """Write ``po`` unless the file differs from it by its date only (then ``po`` takes the
    file's date). True if the file was written. ``durable``: False for a template that
    ``extract`` can write again from the sources (atomic, not synced to disk; see
    atomic.write_bytes): a power cut may cost the new template, never a translation."""
    old = _current(path)
    old_text = old.decode("utf-8", "replace") if old else ""
    found = _DATE.search(old_text.replace("\r\n", "\n"))
    if found:
        date = po.metadata.get("POT-Creation-Date")
        po.metadata["POT-Creation-Date"] = found.group(1)
        text = format_catalog(po)
        if text.encode("utf-8") == old:
            return False
        if text != old_text.replace("\r\n", "\n"):   # more than line ends: a new date
            po.metadata["POT-Creation-Date"] = date
    write_catalog_text(path, format_catalog(po), durable=durable)
    return True


def adopt_date(path: Path, po: polib.POFile) -> None:
    """Give ``po`` the ``POT-Creation-Date`` of the template at ``path`` (written for the
    same source by this run, so that a catalogue merged with ``po`` keeps that date)."""
    found = _DATE.search((_current(path) or b"").decode("utf-8", "replace"))
    if found:
        po.metadata["POT-Creation-Date"] = found.group(1)


def save_catalog(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` unless the file holds exactly those bytes already. True if written."""
    text = format_catalog(po)      # what po.write_catalog writes, formatted once
    if _current(path) == text.encode("utf-8"):
        return False
    write_catalog_text(path, text)
    return True


class CatalogChangedError(CatalogError):
    """A catalogue that changed on disk between its reading and its replacement."""
    code = "catalog.changed"


@dataclass(frozen=True)
class Stamp:
    """The state of a file when it was read: its bytes (and their SHA-256), size, mtime."""
    data: bytes
    size: int
    mtime_ns: int
    digest: str

    @classmethod
    def of(cls, data: bytes, stat: os.stat_result) -> Stamp:
        return cls(data, stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())

    def matches(self, path: Path) -> bool:
        """Whether ``path`` still holds what was read (same size, mtime and bytes)."""
        try:
            with atomic.open_file(path) as handle:
                stat, data = os.fstat(handle.fileno()), handle.read()
        except (FileNotFoundError, IsADirectoryError, atomic.NotAFileError):
            return False
        # the bytes compared (as their digest would, and quicker than hashing them)
        return (stat.st_size, stat.st_mtime_ns) == (self.size, self.mtime_ns) and \
            data == self.data


def load_catalog(path: Path) -> tuple[polib.POFile | None, Stamp | None]:
    """The catalogue at ``path`` and the state it was read in; (None, None) if none."""
    if not path.is_file():
        return None, None
    data, stat = read_bytes(path)
    return parse_catalog(data, path), Stamp.of(data, stat)


def backup_path(path: Path) -> Path:
    return path.with_name(path.name + BACKUP_SUFFIX)


def replace_catalog(path: Path, po: polib.POFile, read: Stamp | None, *,
                    root: Path | None = None, data: bytes | None = None) -> bool:
    """Write ``po`` to ``path`` unless it holds those bytes already, provided the file is
    still as ``read`` (None: there was none); the previous version goes to ``path~``.
    True if written; CatalogChangedError (nothing written) if the file changed.
    ``data``: ``po`` formatted (``format_catalog``, UTF-8), if the caller has it."""
    if data is None:
        data = format_catalog(po).encode("utf-8")
    _unchanged(path, read)
    if read is not None and read.data == data:
        return False

    def check(_target: Path) -> None:          # the data is on disk, the rename is next
        _unchanged(path, read)
        if read is not None:
            write_catalog_bytes(backup_path(path), read.data, root=root)
    write_catalog_bytes(path, data, root=root, check=check)
    return True


def _unchanged(path: Path, read: Stamp | None) -> None:
    """CatalogChangedError if ``path`` is not (or no longer) the file that was read."""
    if read.matches(path) if read is not None else not os.path.lexists(path):
        return
    if read is None and not os.path.isfile(path):    # (there before the run: not a file)
        kind = "a folder" if os.path.isdir(path) else "something that is not a file"
        raise CatalogError(f"there is {kind} where the catalogue should be: nothing "
                           "written for it", where=str(path),
                           hint="move it aside (or put the catalogue itself there), then "
                                "run update again")
    what = "was created" if read is None else (
        "was removed" if not os.path.lexists(path) else "changed")
    raise CatalogChangedError(
        f"the catalogue {what} while update was running (a translator saving it?): "
        "not overwritten, nothing written for it", where=str(path),
        hint="run update again when the file is saved: it merges the file as it is then")
