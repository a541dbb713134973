"""Dates of the outputs: ``SOURCE_DATE_EPOCH`` (reproducible builds), else the dates the
sources give, never the clock (except for a new template's creation date when the variable
is unset, as xgettext does). The one reading of the variable, for ``extract``, ``update``
and ``build`` alike: a bad value is the same error everywhere.
"""
from __future__ import annotations

import datetime as dt
import os
import re
import time

from .errors import ProjectError

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
WHERE = f"{EPOCH_VARIABLE} (environment variable)"
DEFAULT_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)   # the first zip date


def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC date; None when unset or empty. A value that is not a
    whole number of seconds from 1970 to 9999 is a ProjectError located at the variable,
    the same for every command that reads it."""
    value = os.environ.get(EPOCH_VARIABLE, "").strip()
    if not value:
        return None
    hint = (f"set {EPOCH_VARIABLE} to a whole number of seconds since 1970-01-01 UTC "
            "(e.g. $(git log -1 --format=%ct)), or unset it")
    if not value.isascii() or not value.isdigit():
        raise ProjectError(f"{value!r} is not a number of seconds since 1970-01-01 UTC",
                           where=WHERE, hint=hint)
    try:
        return dt.datetime.fromtimestamp(int(value), dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise ProjectError(f"{value} is after the year 9999", where=WHERE, hint=hint) from None


def build_date(doc_date: str, po_metadata=None) -> dt.datetime:
    """SOURCE_DATE_EPOCH if set; else the latest date the sources give (the essay's date,
    the catalogue's PO-Revision-Date); never the clock."""
    epoch = source_date_epoch()
    if epoch is not None:
        return epoch
    revision = (po_metadata or {}).get("PO-Revision-Date", "")
    found = [d for d in (_iso_date(doc_date), _po_date(revision)) if d]
    return max(found, default=DEFAULT_DATE)


def _iso_date(text: str) -> dt.datetime | None:
    match = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", text.strip())
    if not match:
        return None
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        return dt.datetime(year, month, day, tzinfo=dt.UTC)
    except ValueError:
        return None


def _po_date(text: str) -> dt.datetime | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::\d{2})?\s*([+-]\d{4})?",
                     text.strip())
    if not match:
        return None
    y, mo, d, h, mi, zone = match.groups()
    zone = zone or "+0000"
    offset = dt.timedelta(hours=int(zone[1:3]), minutes=int(zone[3:5]))
    tz = dt.timezone(offset if zone[0] == "+" else -offset)
    try:
        return dt.datetime(int(y), int(mo), int(d), int(h), int(mi), tzinfo=tz) \
            .astimezone(dt.UTC)
    except (ValueError, OverflowError):
        return None


def pot_creation_date(fmt: str) -> str:
    """SOURCE_DATE_EPOCH if set, else now; UTC, in ``fmt`` (gettext's date format)."""
    epoch = source_date_epoch()
    return time.strftime(fmt, epoch.timetuple() if epoch else time.gmtime())
