"""Saving catalogues without churn: a file is only rewritten when its content changes.

A template whose only change would be its ``POT-Creation-Date`` keeps its old date and is
not rewritten, so re-running ``extract`` on unchanged sources changes nothing in git.
"""
from __future__ import annotations

import re
from pathlib import Path

import polib

from serge_publish.atomic import write_text
from serge_publish.catalog.po import format_catalog

_DATE = re.compile(r'^"POT-Creation-Date: ([^"\\]*)\\n"$', re.MULTILINE)


def _current(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def save_template(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` unless the file differs from it by its date only (then ``po`` takes the
    file's date). True if the file was written."""
    old = _current(path)
    found = _DATE.search(old) if old else None
    if found:
        date = po.metadata.get("POT-Creation-Date")
        po.metadata["POT-Creation-Date"] = found.group(1)
        if format_catalog(po) == old:
            return False
        po.metadata["POT-Creation-Date"] = date
    write_text(path, format_catalog(po))
    return True


def save_catalog(path: Path, po: polib.POFile) -> bool:
    """Write ``po`` unless the file holds exactly that already. True if written."""
    text = format_catalog(po)      # what po.write_catalog writes, formatted once
    if _current(path) == text:
        return False
    write_text(path, text)
    return True
