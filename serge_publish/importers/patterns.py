"""The words an importer looks for, per language: ``data/import_patterns.json``.

Month names and date formats, the byline word ("By", "Par"...), the conjunction between
names ("and", "et"...) and the labels of a note list ("Endnotes", "Notes"...). The import's
``--lang`` chooses them: a tag falls back to its primary subtag ("fr-CA" -> "fr"), a language
without data to English. Every reader gets them here, once (cached).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import package_file

DATA_FILE = "import_patterns.json"
FALLBACK = "en"
_PLACEHOLDERS = {"{day}": r"(?P<d>\d\d?)", "{month}": r"(?P<m>[^\W\d_]{3,})",
                 "{year}": r"(?P<y>\d{4})"}


@dataclass(frozen=True)
class Patterns:
    lang: str                              # the data's language key ("en", "fr"...)
    months: dict[str, int]                 # lowercase name or abbreviation -> 1..12
    dates: tuple[re.Pattern[str], ...]     # each with groups d, m, y; matched whole
    byline: re.Pattern[str]                # "By <names>": group "names"
    conjunction: re.Pattern[str]           # between the last two names
    particles: frozenset[str]              # lowercase words a name may hold ("de", "van")
    notes_label: re.Pattern[str]           # "Endnotes 1. ...": the label before the notes
    notes_heading: re.Pattern[str]         # a line that is only the label

    def month(self, name: str) -> int:
        """1..12 for a month name or abbreviation of the language, else 0."""
        return self.months.get(name.lower().rstrip("."), 0)


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    text = package_file("data", DATA_FILE).read_text("utf-8")
    return json.loads(text)


def languages() -> tuple[str, ...]:
    """The languages that have data."""
    return tuple(key for key in _data() if not key.startswith("_"))


def data_language(lang: str) -> str:
    """The data key for a BCP 47 tag: itself, its primary subtag, else English."""
    data = _data()
    for key in (lang.lower(), lang.lower().replace("_", "-").split("-")[0]):
        if key in data and not key.startswith("_"):
            return key
    return FALLBACK


@lru_cache(maxsize=32)
def patterns_for(lang: str) -> Patterns:
    key = data_language(lang)
    entry = {**_data().get("_common", {}), **_data()[key]}
    months = {name.lower().rstrip("."): number
              for number, names in enumerate(entry["months"], 1) for name in names}
    labels = _alternatives(entry["notes"])
    return Patterns(
        lang=key, months=months,
        dates=tuple(re.compile(_fill(template), re.I) for template in entry["dates"]),
        byline=re.compile(rf"(?:{_alternatives(entry['byline'])})\s+(?P<names>.+)", re.I | re.S),
        conjunction=re.compile(rf"\s+(?:{_alternatives(entry['and'])})\s+", re.I),
        particles=frozenset(entry.get("name_particles", ())),
        notes_label=re.compile(rf"^(?:{labels})\s*:?\s*(?=1\.\s)", re.I),
        notes_heading=re.compile(rf"^(?:{labels})\s*:?$", re.I))


def _alternatives(words: list[str]) -> str:
    """Longest first, so that "End notes" is tried before "End"."""
    return "|".join(re.escape(word).replace(r"\ ", r"\s+")
                    for word in sorted(words, key=len, reverse=True))


def _fill(template: str) -> str:
    for placeholder, group in _PLACEHOLDERS.items():
        template = template.replace(placeholder, group)
    return template
