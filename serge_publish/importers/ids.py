"""Stable segment ids: given once, never changed, never reused.

A new import numbers its segments s1, s2, ... and records the next free number in the
source (``Document.next_id``). Re-importing a corrected original over an existing source
keeps the id of every segment whose text did not change (matched in order, then anywhere
for moved sentences), gives an edited sentence the id of the old sentence it replaces
when the two are similar (so catalogues show the edit as fuzzy, with the previous text),
and numbers new sentences from the old counter up: a deleted sentence's id is never given
again.
"""
from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..model import Document, Segment, iter_segments, map_segments

SIMILAR = 0.6
WINDOW = 12


def content_key(segment: Segment) -> str:
    return repr(segment.content)


def assign_ids(new: Document, old: Document | None = None) -> Document:
    fresh = [ref.segment for ref in iter_segments(new)]
    previous = [ref.segment for ref in iter_segments(old)] if old else []
    ids = match_ids(previous, fresh)
    counter = old.next_id if old else 1
    assigned: list[str] = []
    for index in range(len(fresh)):
        if index not in ids:
            ids[index] = f"s{counter}"
            counter += 1
        assigned.append(ids[index])
    numbers = iter(assigned)
    doc = map_segments(new, lambda ref: replace(ref.segment, id=next(numbers)))
    return replace(doc, next_id=counter)


def match_ids(old: list[Segment], new: list[Segment]) -> dict[int, str]:
    """new index -> old id, for unchanged, moved and edited segments."""
    old_keys = [content_key(s) for s in old]
    new_keys = [content_key(s) for s in new]
    ids: dict[int, str] = {}
    used: set[int] = set()
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            ids[block.b + k] = old[block.a + k].id
            used.add(block.a + k)
    by_key: dict[str, list[int]] = {}
    for i, key in enumerate(old_keys):
        if i not in used:
            by_key.setdefault(key, []).append(i)
    for j, key in enumerate(new_keys):            # moved sentences
        if j not in ids and by_key.get(key):
            i = by_key[key].pop(0)
            ids[j] = old[i].id
            used.add(i)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():   # edited sentences
        if tag == "replace":
            pair_edits(old, new, range(a0, a1), range(b0, b1), ids, used)
    return ids


def pair_edits(old: list[Segment], new: list[Segment], old_range: range, new_range: range,
               ids: dict[int, str], used: set[int]) -> None:
    """Give edited sentences the id of the most similar replaced sentence (best pairs
    first; only nearby positions are compared, so a large rewrite stays fast)."""
    pairs = []
    for j in new_range:
        if j in ids:
            continue
        for i in old_range:
            if i in used or abs((i - old_range.start) - (j - new_range.start)) > WINDOW:
                continue
            matcher = difflib.SequenceMatcher(None, old[i].text, new[j].text, autojunk=False)
            if matcher.real_quick_ratio() >= SIMILAR and matcher.quick_ratio() >= SIMILAR:
                ratio = matcher.ratio()
                if ratio >= SIMILAR:
                    pairs.append((-ratio, j, i))
    for _, j, i in sorted(pairs):
        if j not in ids and i not in used:
            ids[j] = old[i].id
            used.add(i)


# ---------------------------------------------------------------- essay ids (file names)

ESSAY_ID_MAX = 64             # characters: a file name, a URL part, a catalogue's name
ESSAY_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")      # (fullmatch: "$" would let "x\n" by)
# names Windows gives to devices: no file may have them, whatever its extension or case
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in range(1, 10)),
                             *(f"lpt{n}" for n in range(1, 10))})


@dataclass(frozen=True)
class IdProblem:
    """Why a name cannot be an essay id, and what to do instead."""
    message: str
    hint: str


def essay_id_problem(name: str, reserved: Iterable[str],
                     existing: Iterable[str] = ()) -> IdProblem | None:
    """Why ``name`` cannot be an essay id (None if it can): not letters, digits, '-' and
    '_' from a letter; a Windows device name; a name the build uses for its own pages
    (``reserved``, any case); or another spelling of an ``existing`` id on a file system
    that ignores case."""
    if not ESSAY_ID.fullmatch(name):
        return IdProblem(f"{name!r} cannot be an essay id",
                         "an id has letters, digits, '-' or '_' and starts with a letter")
    if len(name) > ESSAY_ID_MAX:
        return IdProblem(f"{name[:20]!r}... is {len(name)} characters long: an essay id is at "
                         f"most {ESSAY_ID_MAX}",
                         f"an id is at most {ESSAY_ID_MAX} characters")
    folded = name.casefold()
    if folded.split(".")[0] in WINDOWS_DEVICES:
        return IdProblem(f"{name!r} is a device name on Windows: no file there may be "
                         f"called {name}.xml",
                         "con, prn, aux, nul, com1-com9 and lpt1-lpt9 (in any case, with "
                         "any extension) are taken by Windows")
    taken = sorted(reserved)
    if folded in {r.casefold() for r in taken}:
        return IdProblem(f"{name!r} is the name of a page every edition has",
                         f"these are taken (in any case): "
                         f"{', '.join(taken)}")
    twin = next((other for other in sorted(existing)
                 if other != name and other.casefold() == folded), None)
    if twin is not None:
        return IdProblem(f"{name!r} differs from the essay {twin!r} only in case: on "
                         "Windows and macOS both would be the same file",
                         f"to re-import that essay, use its id {twin!r}")
    return None
