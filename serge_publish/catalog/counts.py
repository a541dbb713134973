"""Counting a catalogue's messages and words by state, as translate-toolkit's ``pocount``.

The header and obsolete entries are not counted. A message is translated when it has a
translation and is not fuzzy; fuzzy when it is fuzzy and has a translation (a fuzzy flag on
an empty one counts as untranslated); untranslated otherwise. A plural message has a
translation when any of its forms is filled (pocount's rule, checked against pocount 3.20:
``msgstr[0] ""`` with ``msgstr[1] "x"`` is translated). Words are the source's, of the
msgid alone (:func:`serge_publish.catalog.words.count_words`), as ``build`` counts a
segment's (of its source text: :mod:`serge_publish.catalog.apply`). pocount adds the words
of a msgid_plural; a segment has no plural forms (such an entry is an error of ``check``,
and the build prints the source's text for it), so they are not counted here.

Unlike pocount, a translated entry whose tags do not match its source segment's (given as
``invalid``, the ids :func:`invalid_ids` finds) is counted as *invalid*, needing work, as
``build`` counts it (it falls back to the source there). And given the catalogue's
``template``, a message of the template the catalogue lacks (an empty catalogue, one
cut short, an entry deleted) counts as untranslated, as ``build`` counts its segment (it
finds no translation for it): a catalogue is never complete for lacking messages.
"""
from __future__ import annotations

from dataclasses import dataclass, fields

import polib

from serge_publish.catalog.apply import apply_catalog
from serge_publish.catalog.words import count_words
from serge_publish.model import Document

# The states of a catalogue entry (pocount's), and of a segment once applied: "invalid" is a
# translation whose tags do not match the source's (:mod:`serge_publish.catalog.apply`).
ENTRY_STATES = ("translated", "fuzzy", "untranslated")
STATES = (*ENTRY_STATES, "invalid")


@dataclass(frozen=True)
class Counts:
    translated: int = 0
    translated_words: int = 0
    fuzzy: int = 0
    fuzzy_words: int = 0
    untranslated: int = 0
    untranslated_words: int = 0
    invalid: int = 0             # translated, but its tags do not match the source's
    invalid_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated + self.invalid

    @property
    def total_words(self) -> int:
        return (self.translated_words + self.fuzzy_words + self.untranslated_words
                + self.invalid_words)

    @property
    def percent(self) -> float:
        """Percent of the words translated (100 for an empty catalogue)."""
        return 100.0 * self.translated_words / self.total_words if self.total_words else 100.0

    def __add__(self, other: Counts) -> Counts:
        return Counts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


def entry_state(entry: polib.POEntry) -> str | None:
    """"translated", "fuzzy", "untranslated", or None for entries pocount skips."""
    if entry.obsolete or (entry.msgid == "" and entry.msgctxt is None):
        return None
    targets = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    if any(targets):
        return "fuzzy" if entry.fuzzy else "translated"
    return "untranslated" if entry.msgid else None


def count_catalog(po: polib.POFile, *, all_untranslated: bool = False,
                  invalid: frozenset[str] = frozenset(),
                  template: polib.POFile | None = None) -> Counts:
    """The counts of ``po``; ``all_untranslated`` counts a template as a new translation;
    the translated entries whose msgctxt is in ``invalid`` count as invalid; the messages
    of ``template`` that ``po`` lacks count as untranslated. A segment with two entries
    (one msgctxt, two msgids: an error of ``check``) is counted once, as invalid."""
    found: dict[str | tuple[None, str], tuple[str, int]] = {}    # key: (state, words)
    for entry in po:
        state = entry_state(entry)
        if state is None:
            continue
        key = _key(entry)
        if key in found:                   # a segment twice: counted once, needing work
            found[key] = ("invalid", found[key][1])
            continue
        state = "untranslated" if all_untranslated else state
        if state == "translated" and entry.msgctxt in invalid:
            state = "invalid"
        found[key] = (state, count_words(entry.msgid))
    for entry in template if template is not None else ():
        if entry_state(entry) is not None and _key(entry) not in found:
            found[_key(entry)] = ("untranslated", count_words(entry.msgid))
    totals = dict.fromkeys(STATES, 0)
    words = dict.fromkeys(totals, 0)
    for state, count in found.values():
        totals[state] += 1
        words[state] += count
    return Counts(totals["translated"], words["translated"], totals["fuzzy"], words["fuzzy"],
                  totals["untranslated"], words["untranslated"], totals["invalid"],
                  words["invalid"])


def _key(entry: polib.POEntry) -> str | tuple[None, str]:
    """What a message is found by: its msgctxt (a segment's id, as the build looks it
    up), its msgid if it has none."""
    return entry.msgctxt if entry.msgctxt is not None else (None, entry.msgid)


def invalid_ids(po: polib.POFile, doc: Document) -> frozenset[str]:
    """The ids of the translated entries of ``po`` that ``build`` cannot use because their
    tags do not match the segment's in ``doc`` (as :func:`apply_catalog` finds them)."""
    result = apply_catalog(doc, po, doc.lang)
    return frozenset(s.id for s in result.statuses if s.state == "invalid")
