"""Saving catalogues without churn: a file is only rewritten when its content changes.

A template whose only change would be its ``POT-Creation-Date`` keeps its old date and is
not rewritten, so re-running ``extract`` on unchanged sources changes nothing in git. The
comparison is byte for byte: a file with CRLF line ends (or another charset) is rewritten
in the canonical form, UTF-8 with LF (a template keeping its date when only its line ends
change). A file that cannot be written stops the command with
a ``CatalogWriteError`` naming it and saying what to check, never a traceback.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib

from serge_publish.catalog.output import write_catalog_text
from serge_publish.catalog.po import format_catalog

_DATE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def save_template(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` unless the file differs from it by its date only (then ``po`` takes the
    file's date). True if the file was written."""
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
    write_catalog_text(path, format_catalog(po))
    return True


def save_catalog(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` unless the file holds exactly those bytes already. True if written."""
    text = format_catalog(po)      # what po.write_catalog writes, formatted once
    if _current(path) == text.encode("utf-8"):
        return False
    write_catalog_text(path, text)
    return True
