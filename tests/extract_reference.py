"""The entries of a template's segments as extract.py made them one by one before issue 8
(extract_catalog now works out each block's description and each segment's text once:
test_catalog_extract.py holds it to these, segment by segment)."""
from __future__ import annotations

import polib

from serge_publish.catalog import extract as x
from serge_publish.model import SegmentRef


def neighbours(refs: list[SegmentRef], index: int) -> tuple[SegmentRef | None, ...]:
    """The segments before and after ``refs[index]`` in the same part of the document."""
    def near(i: int) -> SegmentRef | None:
        inside = 0 <= i < len(refs) and refs[i].section == refs[index].section
        return refs[i] if inside else None
    return near(index - 1), near(index + 1)


def segment_entry(ref: SegmentRef, source_file: str,
                  neighbours: tuple[SegmentRef | None, ...] = (None, None)
                  ) -> polib.POEntry | None:
    message = x._message(ref)
    if message is None:
        return None
    msgid, legend = message
    return x._segment_entry(ref, source_file, msgid,
                            (describe(ref), *legend, *context(ref, *neighbours)))


def describe(ref: SegmentRef) -> str:
    """What the segment is, e.g. "block quote (in note 3), sentence 2 of 4"."""
    text = x._described_block(ref)
    siblings = ref.block.segments
    if len(siblings) > 1:
        position = next(i for i, s in enumerate(siblings) if s.id == ref.segment.id) + 1
        text += f", sentence {position} of {len(siblings)}"
    return text


def context(ref: SegmentRef, before: SegmentRef | None, after: SegmentRef | None) -> list[str]:
    """The end of the segment before and the start of the one after (in document order,
    with what they are when they are in another block)."""
    lines = []
    if before is not None:
        lines.append(f"previous{_other(ref, before)}: {_tail(before.segment.text)}")
    if after is not None:
        lines.append(f"next{_other(ref, after)}: {_head(after.segment.text)}")
    return lines


def _other(ref: SegmentRef, near: SegmentRef) -> str:
    if near.block is ref.block:
        return ""
    return f" ({describe(near).split(', sentence')[0]})"


def _head(text: str) -> str:
    return x._head_of(" ".join(text.split()))


def _tail(text: str) -> str:
    return x._tail_of(" ".join(text.split()))
