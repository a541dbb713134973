"""Paragraph content -> sentence contents, with inline markup kept intact.

The content is flattened to a string in which each note reference is one U+FFFC
character (so the segmenter sees it as a trailing mark), split by
``segment.split_sentences``, and the inline tree is cut at the sentence offsets.
"""
from __future__ import annotations

from dataclasses import replace

from ..model import Block, Content, Document, Inline, InlineItem, Segment
from ..segment import split_sentences

OBJECT = "\ufffc"
SPLIT_KINDS = frozenset({"p"})   # headings, titles, bylines, captions stay whole


def flatten(content: Content) -> str:
    parts: list[str] = []
    for item in content:
        if isinstance(item, str):
            parts.append(item)
        elif item.kind == "noteref":
            parts.append(OBJECT)
        else:
            parts.append(flatten(item.children))
    return "".join(parts)


def length(item: InlineItem) -> int:
    if isinstance(item, str):
        return len(item)
    return 1 if item.kind == "noteref" else sum(length(c) for c in item.children)


def cut(content: Content, start: int, end: int) -> Content:
    """The part of ``content`` between flat offsets start and end."""
    out: list[InlineItem] = []
    pos = 0
    for item in content:
        size = length(item)
        lo, hi = max(start - pos, 0), min(end - pos, size)
        if lo < hi:
            if isinstance(item, str):
                out.append(item[lo:hi])
            elif item.kind in ("noteref", "notranslate") or (lo == 0 and hi == size):
                out.append(item)
            else:
                out.append(replace(item, children=cut(item.children, lo, hi)))
        pos += size
    return tuple(out)


def atomic_ranges(content: Content, pos: int = 0) -> list[tuple[int, int]]:
    """Flat offsets of the spans a sentence boundary must not cut (not-to-translate)."""
    ranges: list[tuple[int, int]] = []
    for item in content:
        if isinstance(item, Inline) and item.kind == "notranslate":
            ranges.append((pos, pos + length(item)))
        elif isinstance(item, Inline):
            ranges.extend(atomic_ranges(item.children, pos))
        pos += length(item)
    return ranges


def join_cut_spans(spans: list[tuple[int, int]], ranges: list[tuple[int, int]]
                   ) -> list[tuple[int, int]]:
    """Merge two sentences whose boundary falls inside an atomic span."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and any(lo < start and merged[-1][1] < hi for lo, hi in ranges):
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def split_content(content: Content, lang: str) -> list[Content]:
    spans = join_cut_spans(split_sentences(flatten(content), lang), atomic_ranges(content))
    return [cut(content, start, end) for start, end in spans]


def segment_block(block: Block, lang: str) -> Block:
    if block.kind not in SPLIT_KINDS:
        return replace(block, segments=tuple(strip_segment(s) for s in block.segments),
                       children=tuple(segment_block(c, lang) for c in block.children))
    segments: list[Segment] = []
    for seg in block.segments:
        segments.extend(replace(seg, content=part) for part in split_content(seg.content, lang))
    return replace(block, segments=tuple(segments))


def strip_segment(seg: Segment) -> Segment:
    content = list(seg.content)
    if content and isinstance(content[0], str):
        content[0] = content[0].lstrip()
    if content and isinstance(content[-1], str):
        content[-1] = content[-1].rstrip()
    return replace(seg, content=tuple(c for c in content if c != ""))


def segment_document(doc: Document) -> Document:
    """Every paragraph split into sentences; other leaves stripped of outer whitespace."""
    def each(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        return tuple(segment_block(b, doc.lang) for b in blocks)

    return replace(doc, title=segment_block(doc.title, doc.lang), front=each(doc.front),
                   body=each(doc.body), back=each(doc.back))
