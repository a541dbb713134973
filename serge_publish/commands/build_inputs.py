"""What ``serge-publish build`` reads besides the sources and the catalogues' messages:
the date of an edition (``SOURCE_DATE_EPOCH``, else the sources' dates), the translators'
names (configuration and catalogue header), and a check of a catalogue's declared charset.
"""
from __future__ import annotations

import codecs
import datetime as dt
import os
import re
from pathlib import Path

from .. import languages
from ..errors import BuildError, Report
from ..writers.edition import split_names

EPOCH_VARIABLE = "SOURCE_DATE_EPOCH"
DEFAULT_DATE = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)   # the first zip date
_PLACEHOLDER = re.compile(r"YEAR-MO-DA|FULL NAME|LANGUAGE <LL@")
_EMAIL = re.compile(r"<[^>]*>|\([^()]*@[^()]*\)|\S+@\S+")


# ---------------------------------------------------------------- dates

def source_date_epoch() -> dt.datetime | None:
    """``SOURCE_DATE_EPOCH`` as a UTC date; None when unset or empty. A value that is not a
    whole number of seconds from 1970 to 9999 is a BuildError naming the variable."""
    value = os.environ.get(EPOCH_VARIABLE, "").strip()
    if not value:
        return None
    hint = (f"set {EPOCH_VARIABLE} to a whole number of seconds since 1970-01-01 UTC "
            "(e.g. $(git log -1 --format=%ct)), or unset it")
    if not value.isascii() or not value.isdigit():
        raise BuildError(f"{EPOCH_VARIABLE}={value!r} is not a number of seconds since "
                         "1970-01-01 UTC", hint=hint)
    try:
        return dt.datetime.fromtimestamp(int(value), dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise BuildError(f"{EPOCH_VARIABLE}={value} is after the year 9999", hint=hint) \
            from None


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
        return dt.datetime(year, month, day, tzinfo=dt.timezone.utc)
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
            .astimezone(dt.timezone.utc)
    except (ValueError, OverflowError):
        return None


# ---------------------------------------------------------------- translators

def catalogue_translators(metadata, lang: str) -> tuple[str, ...]:
    """``Last-Translator`` is one name (its e-mail address left out), whatever commas or
    semicolons it holds; ``Language-Team`` may list several, never split inside
    parentheses. Template placeholders and the language's own name are not names."""
    names: list[str] = []
    last = _without_email(metadata.get("Last-Translator", ""))
    if last:
        names.append(last)
    team = _without_email(metadata.get("Language-Team", ""))
    names.extend(n for n in split_names(team) if n != languages.display_name(lang, "en"))
    return tuple(dict.fromkeys(names))


def _without_email(value: str) -> str:
    if not value.strip() or _PLACEHOLDER.search(value):
        return ""
    return re.sub(r"\s+", " ", _EMAIL.sub("", value)).strip(" ,;")


# ---------------------------------------------------------------- charset

def check_charset(path: Path, rel: str, report: Report) -> None:
    """Warn (file:line of the header's charset) when a catalogue declares a charset other
    than UTF-8 but its bytes are UTF-8 with non-ASCII text: read in the declared charset,
    that text is garbled ("Ã©" for "é") in every edition."""
    try:
        raw = path.read_bytes().removeprefix(b"\xef\xbb\xbf")
    except OSError:
        return
    match = re.search(rb"charset=([A-Za-z0-9_.:-]+)", raw)
    if not match or raw.isascii():
        return
    declared = match[1].decode("ascii")
    try:
        if codecs.lookup(declared).name == "utf-8":
            return
        raw.decode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return
    line = raw[:match.start()].count(b"\n") + 1
    report.warn("build.catalogue-charset",
                f"the header declares charset={declared}, but the file is UTF-8: its "
                f"non-ASCII text is garbled in the editions; declare charset=UTF-8",
                f"{rel}:{line}")
