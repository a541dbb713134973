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
from dataclasses import replace

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
            ids[j], _ = old[i].id, used.add(i)
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
