"""Merging a template into a translation: no edit to a source costs a translator their work.

Entries are matched by ``msgctxt``, the segment's stable id (never by position or text):

* same id, same msgid: the entry is kept as it is (translation, flags, comments);
* same id, changed msgid: the translation is kept, marked fuzzy, with the msgid it was
  made for as previous msgid (``#|``), so Poedit and Weblate show what changed;
* same id, a fuzzy entry whose previous msgid is the new msgid (an edit undone): the
  translation is finished again (no fuzzy flag, no ``#|``);
* id gone from the template: the entry stays in the file as obsolete (``#~``);
* new id (or an entry without translation): the translation of the same msgid elsewhere
  (this catalogue, its obsolete entries, the other essays' catalogues of the language) is
  filled in, not fuzzy; else the translation memory may offer a close match, fuzzy.

Msgids are compared with XML whitespace normalised (a source re-wrapped by hand changes
nothing). A plural entry (``msgid_plural``, ``msgstr[n]``) is a translation like any other:
carried, kept as obsolete, never dropped; one whose id is now a singular segment gives its
first form (fuzzy) and also stays as obsolete when its msgid differs.

Where an old translation cannot be kept as obsolete (an active entry has its msgctxt
and msgid: a plural entry whose message became singular), the forms the active entry lacks
are written into its translator comment (``previous translation (msgstr[1]): "..."``).
No translation read is ever dropped.

An obsolete entry whose id comes back (a deletion undone) is revived. This is our merge,
not msgmerge's: msgmerge treats msgctxt as identity too but matches fuzzily on its own terms.

Entries that lost their ``msgctxt`` (a round trip through ``po2xliff``/``xliff2po``, a hand
edit) are matched to the segments that have none in the catalogue: by msgid first (a
finished translation stays finished, a fuzzy draft stays fuzzy with its ``#|``), then by
similarity (the translation memory's rules; fuzzy, with the old msgid as ``#|``). One whose
msgid is still in the source never becomes an obsolete duplicate: if its translation
differs from the entry's, it goes into the entry's translator comment. ``relinked`` and
``relinked_fuzzy`` in the statistics say how many were matched each way.

A segment made by joining two sentences (one of them gone from the template) is offered
both old translations, joined, fuzzy, with both old msgids as ``#|``.

Catalogues made when note placeholders carried note numbers (``<n12/>`` = note 12) are
migrated first (:func:`migrate_entry`): their msgids, previous msgids and translations use
today's placeholders (``<n1/>`` = the sentence's first note reference), so that nothing
becomes fuzzy or untranslated because notes were numbered differently.
"""
from __future__ import annotations

import copy
import functools
import re

import polib

from serge_publish.catalog import header
from serge_publish.catalog.memory import Later, TranslationMemory, memory_entries, similarity
from serge_publish.catalog.placeholders import (
    join_messages,
    message_tags,
    normalize_message,
    rename_notes,
    renumber_notes,
)
from serge_publish.catalog.po import new_entry
from serge_publish.catalog.stats import MergeStats


def merge_catalog(template: polib.POFile, old: polib.POFile | None, *, tag: str, team: str,
                  memory: TranslationMemory | None = None, comment: str = ""
                  ) -> tuple[polib.POFile, MergeStats]:
    """The translation of ``template`` into ``tag``, keeping everything ``old`` holds."""
    memory = memory or TranslationMemory(loader=lambda _: None)   # filled when first asked
    # (an entry without note placeholder nor plural or previous msgid is its own migration:
    # told apart here, with no call for each entry of the catalogue)
    old_entries = [e if "<n" not in e.msgid and "<n" not in e.msgstr and not (
        e.msgid_plural or e.previous_msgid or e.previous_msgid_plural or e.msgstr_plural)
        else migrate_entry(e) for e in old] if old is not None else []
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.header = old.header if old is not None and old.header else comment
    po.metadata = header.translation_metadata(
        template.metadata, old.metadata if old is not None else None, tag=tag, team=team)
    counts = {"kept": 0, "changed": 0, "relinked": 0, "relinked_fuzzy": 0, "joined": 0}
    revived = _carry_entries(template, old_entries, po, counts, memory.lang)
    # this catalogue's exact matches come first; filled when first asked (most merges never):
    # the pairs read then, before _fill changes anything (``own`` is asked first)
    own = TranslationMemory(memory.lang, loader=lambda _: None)
    pairs = Later(lambda: memory_entries(po) + memory_entries(old_entries))  # as add_catalog
    for known in (own, memory):
        known.add_entries(pairs)
    _add_pairs(memory, old_entries, {e.msgctxt for e in template})
    counts.update(_fill(po, own, memory))
    counts["obsolete"] = _keep_obsolete(po, old_entries, revived)
    return po, MergeStats(**counts)


def steady_stats(po: polib.POFile) -> MergeStats:
    """What merging ``po`` again (same template, same memory) reports: its translated
    entries kept, its untranslated ones still untranslated, its obsolete ones kept."""
    kept = untranslated = obsolete = 0
    for e in po:               # (``translated`` inline: this runs for every entry merged)
        if e.msgstr or e.msgstr_plural and any(e.msgstr_plural.values()):
            if e.obsolete:
                obsolete += 1
            else:
                kept += 1
        elif not e.obsolete:
            untranslated += 1
    return MergeStats(kept=kept, untranslated=untranslated, obsolete=obsolete)


def migrate_entry(entry: polib.POEntry) -> polib.POEntry:
    """``entry`` with today's note placeholders (``<n1/>`` = its first note reference) in
    its msgids, previous msgids and translations; ``entry`` itself when nothing changes.
    The translation is renamed after the msgid it was made for: the previous msgid of a
    fuzzy entry when its note tags are the translation's, else the msgid."""
    if not ("<n" in entry.msgid or "<n" in entry.msgstr
            or "<n" in (entry.msgid_plural or "") or "<n" in (entry.previous_msgid or "")
            or "<n" in (entry.previous_msgid_plural or "")
            or entry.msgstr_plural and any("<n" in t for t in entry.msgstr_plural.values())):
        return entry                # no note placeholder: renaming changes nothing
    if not (entry.msgid_plural or entry.previous_msgid_plural or entry.msgstr_plural) and \
            _numbered(entry.msgid) and _numbered(entry.previous_msgid or "") and \
            _SPACED_NOTE.search(entry.msgstr) is None:
        return entry     # placeholders numbered as today's, the translation's named as theirs
    new = {"msgid": renumber_notes(entry.msgid),
           "msgid_plural": renumber_notes(entry.msgid_plural or "") or entry.msgid_plural,
           "previous_msgid": entry.previous_msgid and renumber_notes(entry.previous_msgid),
           "previous_msgid_plural": entry.previous_msgid_plural and
           renumber_notes(entry.previous_msgid_plural)}
    basis = _made_for(entry)
    msgstr = rename_notes(entry.msgstr, basis)
    plural = {k: rename_notes(v, basis) for k, v in entry.msgstr_plural.items()}
    if msgstr == entry.msgstr and plural == entry.msgstr_plural and \
            all(getattr(entry, k) == v for k, v in new.items()):
        return entry
    migrated = copy.copy(entry)
    for name, value in new.items():
        setattr(migrated, name, value)
    migrated.msgstr, migrated.msgstr_plural = msgstr, plural
    return migrated


@functools.lru_cache(maxsize=1 << 14)
def _numbered(message: str) -> bool:
    """Whether the note placeholders of a msgid are today's (``<n1/>``, ``<n2/>``... in
    order, as renumber_notes writes them): then renaming a translation after it changes
    only the tags written with a space (``<n1 />``). Remembered: a msgid is in the
    catalogue of every language."""
    return renumber_notes(message) == message


_SPACED_NOTE = re.compile(r"<n[\w.:-]+\s+/>")      # a note placeholder rename_notes rewrites


def _made_for(entry: polib.POEntry) -> str:
    """The msgid whose note tags the entry's translation uses."""
    notes = _note_tags(entry.msgstr or next(iter(entry.msgstr_plural.values()), ""))
    if entry.previous_msgid and notes == _note_tags(entry.previous_msgid) != \
            _note_tags(entry.msgid):
        return entry.previous_msgid
    return entry.msgid


def _note_tags(message: str) -> dict[str, int]:
    return {t: n for t, n in message_tags(message).items() if t.startswith("n")}


def _carry_entries(template: polib.POFile, old_entries: list[polib.POEntry],
                   po: polib.POFile, counts: dict[str, int], lang: str = "en") -> set[int]:
    """Template entries with their old translations; the ids of the old entries used."""
    ids = [e.msgctxt for e in old_entries]
    by_one = dict(zip(ids, old_entries, strict=True))
    if len(by_one) == len(ids) and None not in by_one:   # each old entry has its own id
        return _carry_by_id(template, by_one, old_entries, po, counts)
    by_id: dict[str, list[polib.POEntry]] = {}
    by_msgid: dict[str, list[polib.POEntry]] = {}
    for entry in old_entries:
        if entry.msgctxt is not None:
            by_id.setdefault(entry.msgctxt, []).append(entry)
        elif entry.msgid:
            by_msgid.setdefault(normalize_message(entry.msgid), []).append(entry)
    used: set[int] = set()
    carried: list[tuple[polib.POEntry, polib.POEntry | None, str]] = []
    for new in template:
        olds = by_id.get(new.msgctxt)
        previous = None if olds is None else olds[0] if len(olds) == 1 else _best(new, olds)
        if by_msgid and (previous is None or not translated(previous)):
            orphan = _best(new, by_msgid.get(normalize_message(new.msgid), []))
            if orphan is not None and translated(orphan):
                previous = orphan
                counts["relinked"] += 1
        carried.append((new, previous, ""))
    if by_msgid:
        carried = _relink_similar(carried, by_msgid, counts, lang)
    entries = []
    changed = []                          # (entry, the old entry it was carried from)
    for new, previous, _ in carried:
        entry, state = _carry(new, previous)
        if state:
            counts[state] += 1
            if bool(previous.msgid_plural) == bool(new.msgid_plural):  # type: ignore[union-attr]
                used.add(id(previous))    # else the old plural also stays, as obsolete
            if state == "changed":
                changed.append((entry, previous))
        entries.append(entry)
    _join_changed(changed, old_entries, used, counts)
    po.extend(entries)      # a POFile checks no duplicate when it appends: a list's extend
    return used


def _carry_by_id(template: polib.POFile, by_id: dict[str, polib.POEntry],
                 old_entries: list[polib.POEntry], po: polib.POFile,
                 counts: dict[str, int]) -> set[int]:
    """``_carry_entries`` when every old entry has a msgctxt of its own (the usual case):
    each template entry carried from the old entry of its id, in one pass; the usual entry (a
    singular message, no flag, its old translation finished for the same msgid) made here
    as ``_carry`` makes it, without a call, as is an entry with no old one."""
    used: set[int] = set()
    entries = []
    changed = []                          # (entry, the old entry it was carried from)
    kept = 0
    new_object, entry_type, encoding = _new_object, polib.POEntry, polib.default_encoding
    for new in template:
        previous = by_id.get(new.msgctxt)
        if previous is None or not previous.msgid_plural and not new.msgid_plural \
                and previous.msgstr and not previous.flags and previous.msgid == new.msgid:
            flags = new.flags
            entry = new_object(entry_type)
            entry.__dict__.update(
                msgid=new.msgid, msgstr="" if previous is None else previous.msgstr,
                msgid_plural=new.msgid_plural, msgstr_plural={}, msgctxt=new.msgctxt,
                obsolete=False, encoding=encoding, comment=new.comment,
                tcomment="" if previous is None else previous.tcomment,
                occurrences=list(new.occurrences),
                flags=[f for f in flags if f != "fuzzy"] if flags else [],
                previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None,
                linenum=None)               # as new_entry makes it (see _carry)
            if previous is not None:
                kept += 1
                used.add(id(previous))
            entries.append(entry)
            continue
        entry, state = _carry(new, previous)
        if state:
            counts[state] += 1
            if bool(previous.msgid_plural) == bool(new.msgid_plural):
                used.add(id(previous))    # else the old plural also stays, as obsolete
            if state == "changed":
                changed.append((entry, previous))
        entries.append(entry)
    counts["kept"] += kept
    _join_changed(changed, old_entries, used, counts)
    po.extend(entries)      # a POFile checks no duplicate when it appends: a list's extend
    return used


_new_object = object.__new__


def _join_changed(changed: list[tuple[polib.POEntry, polib.POEntry]],
                  old_entries: list[polib.POEntry], used: set[int],
                  counts: dict[str, int]) -> None:
    """Changed entries that join two old sentences (see ``_join``)."""
    if changed:
        active = [e for e in old_entries if not e.obsolete]
        position = {id(e): i for i, e in enumerate(active)}
        for entry, previous in changed:
            if id(previous) in position and _join(entry, position[id(previous)], active, used):
                counts["joined"] += 1


def _relink_similar(carried: list, by_msgid: dict[str, list[polib.POEntry]],
                    counts: dict[str, int], lang: str) -> list:
    """Template entries still without a translation paired with the closest old entry
    without msgctxt that nothing matched (as msgmerge pairs, with the memory's guards)."""
    taken = {id(previous) for _, previous, _ in carried if previous is not None}
    orphans = {source: entry for source, olds in by_msgid.items() for entry in olds
               if id(entry) not in taken and translated(entry) and not entry.msgid_plural}
    if not orphans:
        return carried
    memory = TranslationMemory(lang)
    for source, entry in orphans.items():
        memory.add(source, entry.msgstr or "-", exact=False)
    out = []
    for new, previous, note in carried:
        if (previous is None or not translated(previous)) and not new.msgid_plural:
            match = memory.suggest(new.msgid)
            if match is not None and match.source in orphans:
                previous = orphans[match.source]
                counts["relinked_fuzzy"] += 1
        out.append((new, previous, note))
    return out


def _join(entry: polib.POEntry, where: int, active: list[polib.POEntry],
          used: set[int]) -> bool:
    """A segment that became two old sentences joined (the other one gone from the
    template): both old translations, joined, with both msgids as previous msgid.
    ``active[where]`` is the old entry carried into ``entry``."""
    old = active[where]
    if _previous(old) is not None or old.msgid_plural:
        return False
    best, score = None, similarity(entry.msgid, old.msgid)
    for pair in ((where - 1, where), (where, where + 1)):
        if min(pair) < 0 or max(pair) >= len(active):
            continue
        first, second = active[pair[0]], active[pair[1]]
        other = second if first is old else first
        if id(other) in used or _previous(other) is not None or other.msgid_plural \
                or not other.msgstr:
            continue
        joined = similarity(entry.msgid, join_messages((first.msgid, ""), (second.msgid, ""))[0])
        if joined > score:
            best, score = (first, second), joined
    if best is None:
        return False
    entry.previous_msgid, entry.msgstr = join_messages(*((e.msgid, e.msgstr) for e in best))
    return True


def _add_pairs(memory: TranslationMemory, old_entries: list[polib.POEntry],
               ids: set[str | None]) -> None:
    """Consecutive finished sentences of the old catalogue, one of them gone from the
    template, as one unit of the memory: a new segment that joins them is offered both."""
    active = [e for e in old_entries if not e.obsolete]
    for first, second in zip(active, active[1:], strict=False):
        if (first.msgctxt not in ids or second.msgctxt not in ids) and all(
                e.msgstr and not e.fuzzy and not e.msgid_plural for e in (first, second)):
            memory.add_pair(first, second)


def translated(entry: polib.POEntry) -> bool:
    """Whether an entry holds a translation (of a plural message: any form)."""
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _source(entry: polib.POEntry) -> tuple[str, str]:
    """The source texts of an entry, compared with XML whitespace normalised."""
    return normalize_message(entry.msgid), normalize_message(entry.msgid_plural or "")


def _previous(entry: polib.POEntry) -> tuple[str, str] | None:
    if not entry.fuzzy or not entry.previous_msgid:
        return None
    return (normalize_message(entry.previous_msgid),
            normalize_message(entry.previous_msgid_plural or ""))


def _best(new: polib.POEntry, olds: list[polib.POEntry]) -> polib.POEntry | None:
    """The old entry of the same id to carry: a translated one first, then one made for
    the same source, then an active one (not obsolete)."""
    if len(olds) == 1:                   # the usual case: nothing to rank
        return olds[0]
    def rank(old: polib.POEntry) -> tuple[bool, bool, bool]:
        return translated(old), _source(old) == _source(new), not old.obsolete
    return max(olds, key=rank, default=None)


def _carry(new: polib.POEntry, old: polib.POEntry | None) -> tuple[polib.POEntry, str]:
    flags = new.flags
    entry = new_entry(msgctxt=new.msgctxt, msgid=new.msgid, msgstr="",
                      msgid_plural=new.msgid_plural, comment=new.comment,
                      occurrences=list(new.occurrences),
                      flags=[f for f in flags if f != "fuzzy"] if flags else [])
    if old is None:
        return entry, ""
    entry.tcomment = old.tcomment
    if not old.msgid_plural and not new.msgid_plural and old.msgstr and not old.flags \
            and old.msgid == new.msgid:
        entry.msgstr = old.msgstr                # the usual case: kept as it is (see below)
        return entry, "kept"
    if not translated(old):
        return entry, ""
    _copy_translation(old, entry)
    entry.flags += [f for f in old.flags if f not in entry.flags and f != "fuzzy"]
    if not old.fuzzy and old.msgid == new.msgid and \
            (old.msgid_plural or "") == (new.msgid_plural or ""):
        return entry, "kept"                     # the same source, word for word
    source = _source(new)
    if _previous(old) == source:                 # an edit undone: translated again
        return entry, "kept"
    if _source(old) == source:
        if old.fuzzy:
            entry.flags.append("fuzzy")
            entry.previous_msgid = old.previous_msgid
            entry.previous_msgid_plural = old.previous_msgid_plural
        return entry, "kept"
    entry.flags.append("fuzzy")
    made_for = old if _previous(old) is None else None
    entry.previous_msgid = made_for.msgid if made_for else old.previous_msgid
    entry.previous_msgid_plural = (made_for.msgid_plural if made_for else
                                   old.previous_msgid_plural) or None
    return entry, "changed"


def _copy_translation(old: polib.POEntry, entry: polib.POEntry) -> None:
    """The old translation into the new entry, plural forms as the new entry has them."""
    forms = _forms(old)
    if entry.msgid_plural:
        entry.msgstr_plural = {k: forms.get(k, "") for k in range(max(2, max(forms) + 1))}
    else:
        entry.msgstr = forms.get(0) or next((v for v in forms.values() if v), "")


def _fill(po: polib.POFile, own: TranslationMemory, memory: TranslationMemory
          ) -> dict[str, int]:
    """Untranslated entries: an identical sentence's translation, else a close match."""
    counts = {"filled": 0, "offered": 0, "untranslated": 0}
    empty = None            # both memories empty (a new language): nothing to ask them
    for entry in po:
        if entry.msgstr or entry.msgstr_plural and any(entry.msgstr_plural.values()):
            continue                                # translated (``translated`` inline)
        single = not entry.msgid_plural             # memories hold no plural forms
        if single and empty is None:                # as asking them would fill them
            empty = own.empty() and memory.empty()
        if single and empty:
            counts["untranslated"] += 1
            continue
        exact = single and (own.exact(entry.msgid) or memory.exact(entry.msgid))
        match = memory.suggest(entry.msgid) if single and not exact else None
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
    """Old translated entries not used above (plural ones too), as obsolete, in their old
    order. Not one whose msgctxt and msgid an active entry has (gettext forbids twins): its
    translations that entry lacks go into the entry's translator comment instead; nor
    one without msgctxt whose msgid is still in the source."""
    left = [old for old in old_entries if id(old) not in used and translated(old)]
    if not left:
        return 0                                 # (every old translation was carried)
    active = {(e.msgctxt, e.msgid): e for e in po}
    by_msgid: dict[str, polib.POEntry] | None = None      # made when first needed,
    count = len(po)                                         # of the entries before these
    keys = set(active)
    kept = 0
    for old in left:
        key = (old.msgctxt, old.msgid)
        if key == (None, ""):
            continue
        if key in keys:
            _note_forms(active.get(key), old)
            continue
        if old.msgctxt is None:
            if by_msgid is None:
                by_msgid = {normalize_message(e.msgid): e for e in po[:count]}
            if normalize_message(old.msgid) in by_msgid:
                _note_forms(by_msgid[normalize_message(old.msgid)], old)   # no #~ twin
                continue
        keys.add(key)
        po.append(_obsolete(old))
        kept += 1
    return kept


def _obsolete(old: polib.POEntry) -> polib.POEntry:
    """``old`` as an obsolete entry. GNU gettext drops an obsolete entry whose first form
    is empty: a plural one gets its first translated form there (fuzzy, with a comment)."""
    fuzzy = _previous(old) is not None
    entry = polib.POEntry(
        msgctxt=old.msgctxt, msgid=old.msgid, msgid_plural=old.msgid_plural,
        msgstr=old.msgstr, msgstr_plural=dict(old.msgstr_plural), tcomment=old.tcomment,
        flags=list(old.flags), obsolete=True,
        previous_msgid=old.previous_msgid if fuzzy else None,
        previous_msgid_plural=old.previous_msgid_plural if fuzzy else None)
    forms = _forms(old)
    if old.msgid_plural and not forms.get(0):
        first = min(k for k, v in forms.items() if v)
        entry.msgstr_plural = {**forms, 0: forms[first]}
        entry.flags += [] if "fuzzy" in entry.flags else ["fuzzy"]
        entry.tcomment = "\n".join(filter(None, [entry.tcomment, f"msgstr[0] was empty: "
                                   f"update copied msgstr[{first}] there (gettext drops an "
                                   "obsolete entry whose first form is empty)"]))
    return entry


def _forms(entry: polib.POEntry) -> dict[int, str]:
    """The translations of an entry by plural form (0 for a singular entry)."""
    if entry.msgid_plural:
        return {int(k): v for k, v in entry.msgstr_plural.items()}
    return {0: entry.msgstr}


def _note_forms(entry: polib.POEntry | None, old: polib.POEntry) -> None:
    """The translations of ``old`` that ``entry`` lacks, into its translator comment."""
    if entry is None:
        return
    have = set(_forms(entry).values())
    for k, text in sorted(_forms(old).items()):
        form = f" (msgstr[{k}])" if old.msgid_plural else ""
        note = f'previous translation{form}: "{_quoted(text)}"'
        if text and text not in have and note not in entry.tcomment:
            entry.tcomment = "\n".join(filter(None, [entry.tcomment, note]))


def _quoted(text: str) -> str:
    """``text`` escaped as in a PO string, so that a comment line holds all of it."""
    return text.translate(_ESCAPES)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"})
