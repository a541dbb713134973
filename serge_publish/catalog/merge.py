"""Merging a template into a translation: no edit to a source costs a translator their work.

Entries are matched by ``msgctxt``, the segment's stable id (never by position or text):

* same id, same msgid: the entry is kept as it is (translation, flags, comments);
* same id, changed msgid: the translation is kept, marked fuzzy, with the msgid it was
  made for as previous msgid (``#|``), so Poedit and Weblate show what changed;
* id gone from the template: the entry stays in the file as obsolete (``#~``);
* new id (or an entry without translation): the translation of the same msgid elsewhere
  (this catalogue, its obsolete entries, the other essays' catalogues of the language) is
  filled in, not fuzzy; else the translation memory may offer a close match, fuzzy.

An obsolete entry whose id comes back (a deletion undone) is revived. This is our merge,
not msgmerge's: msgmerge treats msgctxt as identity too but matches fuzzily on its own terms.
"""
from __future__ import annotations

from dataclasses import dataclass

import polib

from serge_publish.catalog import header
from serge_publish.catalog.memory import TranslationMemory


@dataclass(frozen=True)
class MergeStats:
    kept: int = 0        # unchanged entries
    changed: int = 0     # source edited: translation kept, now fuzzy
    filled: int = 0      # identical sentence translated elsewhere: filled in
    offered: int = 0     # close match from the translation memory: fuzzy
    untranslated: int = 0
    obsolete: int = 0    # entries kept as obsolete (#~), old and new


def merge_catalog(template: polib.POFile, old: polib.POFile | None, *, tag: str, team: str,
                  memory: TranslationMemory | None = None, comment: str = ""
                  ) -> tuple[polib.POFile, MergeStats]:
    """The translation of ``template`` into ``tag``, keeping everything ``old`` holds."""
    memory = memory or TranslationMemory()
    old_entries = list(old) if old is not None else []
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.header = old.header if old is not None and old.header else comment
    po.metadata = header.translation_metadata(
        template.metadata, old.metadata if old is not None else None, tag=tag, team=team)
    counts = {"kept": 0, "changed": 0}
    revived = _carry_entries(template, old_entries, po, counts)
    own = TranslationMemory(memory.lang)       # this catalogue's exact matches come first
    for known in (own, memory):
        known.add_catalog(po)
        known.add_catalog(old_entries)
    counts.update(_fill(po, own, memory))
    counts["obsolete"] = _keep_obsolete(po, old_entries, revived)
    return po, MergeStats(**counts)


def _carry_entries(template: polib.POFile, old_entries: list[polib.POEntry],
                   po: polib.POFile, counts: dict[str, int]) -> set[int]:
    """Template entries with their old translations; the ids of the old entries used."""
    by_id: dict[str, list[polib.POEntry]] = {}
    for entry in old_entries:
        if entry.msgctxt is not None:
            by_id.setdefault(entry.msgctxt, []).append(entry)
    used: set[int] = set()
    for new in template:
        previous = _best(new, by_id.get(new.msgctxt, []))
        entry, state = _carry(new, previous)
        if state:
            counts[state] += 1
            used.add(id(previous))
        po.append(entry)
    return used


def _best(new: polib.POEntry, olds: list[polib.POEntry]) -> polib.POEntry | None:
    """The old entry of the same id to carry: an active translation first, then an
    obsolete one (its msgid the same if possible), then an untranslated one."""
    def rank(old: polib.POEntry) -> tuple[bool, bool, bool]:
        return bool(old.msgstr), not old.obsolete, old.msgid == new.msgid
    return max(olds, key=rank, default=None)


def _carry(new: polib.POEntry, old: polib.POEntry | None) -> tuple[polib.POEntry, str]:
    entry = polib.POEntry(msgctxt=new.msgctxt, msgid=new.msgid, msgstr="",
                          comment=new.comment, occurrences=list(new.occurrences),
                          flags=[f for f in new.flags if f != "fuzzy"])
    if old is None or not old.msgstr:
        if old is not None:
            entry.tcomment = old.tcomment
        return entry, ""
    entry.msgstr, entry.tcomment = old.msgstr, old.tcomment
    entry.flags += [f for f in old.flags if f not in entry.flags and f != "fuzzy"]
    if old.msgid == new.msgid:
        if old.fuzzy:
            entry.flags.append("fuzzy")
            entry.previous_msgid = old.previous_msgid
        return entry, "kept"
    entry.flags.append("fuzzy")
    entry.previous_msgid = old.previous_msgid if old.fuzzy and old.previous_msgid else old.msgid
    return entry, "changed"


def _fill(po: polib.POFile, own: TranslationMemory, memory: TranslationMemory
          ) -> dict[str, int]:
    """Untranslated entries: an identical sentence's translation, else a close match."""
    counts = {"filled": 0, "offered": 0, "untranslated": 0}
    for entry in po:
        if entry.msgstr:
            continue
        exact = own.exact(entry.msgid) or memory.exact(entry.msgid)
        match = None if exact else memory.suggest(entry.msgid)
        if exact:
            entry.msgstr = exact.target
            counts["filled"] += 1
        elif match:
            entry.msgstr, entry.previous_msgid = match.target, match.source
            entry.flags.append("fuzzy")
            counts["offered"] += 1
        else:
            counts["untranslated"] += 1
    return counts


def _keep_obsolete(po: polib.POFile, old_entries: list[polib.POEntry], used: set[int]) -> int:
    """Old translated entries not used above, as obsolete, in their old order."""
    keys = {(e.msgctxt, e.msgid) for e in po}
    kept = 0
    for old in old_entries:
        key = (old.msgctxt, old.msgid)
        if id(old) in used or not old.msgstr or key in keys or not old.msgid:
            continue
        keys.add(key)
        entry = polib.POEntry(msgctxt=old.msgctxt, msgid=old.msgid, msgstr=old.msgstr,
                              tcomment=old.tcomment, flags=list(old.flags), obsolete=True,
                              previous_msgid=old.previous_msgid if old.fuzzy else None)
        po.append(entry)
        kept += 1
    return kept
