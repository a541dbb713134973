"""A document's template (``.pot``): one entry per translatable segment.

Each entry is::

    #. paragraph, sentence 2 of 3
    #. <i>…</i> = emphasis
    #. <n1/> = reference to note 12
    #. previous: …the end of the sentence before.
    #. next: The beginning of the sentence after…
    #: source/serge.xml:57
    msgctxt "s42"
    msgid "The text, with <i>its</i> placeholders.<n1/>"
    msgstr ""

``msgctxt`` is the segment's stable id (``xml:id`` in the source): it is the entry's
identity, so moving, inserting or deleting other segments never disturbs a translation.
The reference is ``source/<essay>.xml:<line>``, the line of the segment's ``<s>`` element
(gettext references are file:line; the id is in ``msgctxt``). The comment says what the
segment is (title, heading, paragraph, block quote, note 12, caption...), the legend of its
tags, and the ends of the segments before and after it (in the same part of the document:
front matter, body or back matter; with what they are when in another block). Segments with
no text are not extracted (there is nothing to translate).
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import PurePath

import polib

from serge_publish.catalog import header
from serge_publish.catalog.placeholders import content_to_message
from serge_publish.catalog.po import new_entry
from serge_publish.errors import CatalogError
from serge_publish.model import Block, Document, SegmentRef, iter_segments, plain_text

CONTEXT_CHARS = 60
_LEAF_LABELS = {"title": "title", "subtitle": "subtitle", "byline": "byline",
                "dateline": "dateline", "caption": "caption", "head": "heading"}
_CONTAINER_LABELS = {"quote": "block quote", "bio": "author bio",
                     "editorial": "editorial note", "comment": "reader comment",
                     "provenance": "provenance"}


def extract_catalog(doc: Document, *, project_name: str, date: str,
                    source_file: str | None = None) -> polib.POFile:
    """The template of ``doc``: its header, then its segments in document order."""
    source_file = source_file or f"source/{doc.id}.xml"
    po = polib.POFile(wrapwidth=79, encoding="utf-8")
    po.header = header.template_comment(document_title(doc), doc.id)
    po.metadata = header.template_metadata(project_name, date)
    po.metadata_is_fuzzy = ["fuzzy"]
    seen: dict[str, str] = {}
    refs = list(iter_segments(doc))
    known = _Known(refs)
    for index in range(len(refs)):
        entry = known.entry(index, source_file)
        if entry is None:
            continue
        if entry.msgctxt in seen:
            raise CatalogError(f"segment id {entry.msgctxt!r} is used twice",
                               where=f"{source_file}:{entry.occurrences[0][1]}",
                               hint="segment ids must be unique; fix the source")
        seen[entry.msgctxt] = entry.msgid
        po.append(entry)
    return po


def document_title(doc: Document) -> str:
    return " ".join(plain_text(s.content).strip() for s in doc.title.segments) or doc.id


class _Known:
    """What a template's entries repeat, worked out once: each block's description (its
    segments share it but for their position) and each segment's plain text (read as its
    own, and as its neighbours' context). Gives what tests/extract_reference.py's
    ``segment_entry``, the definition, gives segment by segment."""

    def __init__(self, refs: list[SegmentRef]):
        self.refs = refs
        self.texts: list[str | None] = [None] * len(refs)
        self.blocks: dict[tuple[int, ...], tuple[str, dict[str, int], str]] = {}
        self.infos: list[tuple[str, dict[str, int], str] | None] = [None] * len(refs)

    def text(self, index: int) -> str:
        """The segment's plain text, its whitespace runs made single spaces."""
        text = self.texts[index]
        if text is None:
            text = self.texts[index] = " ".join(self.refs[index].segment.text.split())
        return text

    def block(self, ref: SegmentRef) -> tuple[str, dict[str, int], str]:
        """``_described_block``, the segments' positions (from 1), and what the context
        line of a segment in another block says of this one (" (block quote)")."""
        key = tuple(map(id, ref.path))
        known = self.blocks.get(key)
        if known is None:
            siblings = ref.block.segments
            positions: dict[str, int] = {}
            for i, s in enumerate(siblings, 1):
                positions.setdefault(s.id, i)       # the first (as the reference finds it)
            text = _described_block(ref)
            known = self.blocks[key] = (text, positions,
                                        f" ({text.split(', sentence')[0]})")
        return known

    def info(self, index: int) -> tuple[str, dict[str, int], str]:
        """``block`` of the segment ``refs[index]`` (asked for it and its neighbours)."""
        known = self.infos[index]
        if known is None:
            known = self.infos[index] = self.block(self.refs[index])
        return known

    def describe(self, ref: SegmentRef, index: int | None = None) -> str:
        text, positions, _ = self.block(ref) if index is None else self.info(index)
        siblings = len(ref.block.segments)
        if siblings > 1:
            text += f", sentence {positions[ref.segment.id]} of {siblings}"
        return text

    def entry(self, index: int, source_file: str) -> polib.POEntry | None:
        ref = self.refs[index]
        message = _message(ref)
        if message is None:
            return None
        msgid, legend = message
        lines = [self.describe(ref, index), *legend]
        section, block = ref.section, ref.path[-1]
        if index > 0 and (before := self.refs[index - 1]).section == section:
            other = "" if before.path[-1] is block else self.info(index - 1)[2]
            lines.append(f"previous{other}: {_tail_of(self.text(index - 1))}")
        if index + 1 < len(self.refs) and (after := self.refs[index + 1]).section == section:
            other = "" if after.path[-1] is block else self.info(index + 1)[2]
            lines.append(f"next{other}: {_head_of(self.text(index + 1))}")
        return _segment_entry(ref, source_file, msgid, lines)


def _described_block(ref: SegmentRef) -> str:
    """What a segment of ``ref``'s block is (see ``_Known.describe``), without its
    position."""
    labels = [label for b in reversed(ref.path[:-1]) if (label := _container_label(b))]
    leaf = _LEAF_LABELS.get(ref.block.kind)
    if leaf is None:
        leaf = labels.pop(0) if labels else "paragraph"
    return leaf + (f" (in {', '.join(labels)})" if labels else "")


def _message(ref: SegmentRef) -> tuple[str, tuple[str, ...]] | None:
    """The segment's msgid and the legend of its placeholders; None for a segment with
    nothing to translate (no entry)."""
    msgid, legend = content_to_message(ref.segment.content)
    return (msgid, legend) if msgid.strip() else None


def _segment_entry(ref: SegmentRef, source_file: str, msgid: str,
                   comment: Iterable[str]) -> polib.POEntry:
    """The entry of a segment: its id as msgctxt, its line in ``source_file`` as the
    reference (none when the segment was read from another file), the ``comment`` lines."""
    location = ref.segment.location
    line = location.line if location and location.line and \
        _name(location.file) == _name(source_file) else None
    return new_entry(msgctxt=ref.segment.id, msgid=msgid, msgstr="",
                     comment="\n".join(comment),
                     occurrences=[(source_file, str(line) if line else "")])


@lru_cache(maxsize=256)
def _name(path: str) -> str:
    """The file name of a path (the same few paths for every segment of a document)."""
    return PurePath(path).name


def _container_label(block: Block) -> str | None:
    if block.kind == "note":
        return f"note {block.attr('n') or block.id or ''}".strip()
    return _CONTAINER_LABELS.get(block.kind)


def _head_of(text: str) -> str:
    """The start of a text whose whitespace runs are single spaces, cut at a word within
    CONTEXT_CHARS (with "…")."""
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text.rfind(" ", 0, CONTEXT_CHARS)
    return text[:cut if cut > CONTEXT_CHARS // 2 else CONTEXT_CHARS] + "…"


def _tail_of(text: str) -> str:
    """The end of a text whose whitespace runs are single spaces, cut at a word within
    CONTEXT_CHARS (after "…")."""
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text.find(" ", len(text) - CONTEXT_CHARS)
    start = cut + 1 if 0 < cut < len(text) - CONTEXT_CHARS // 2 else len(text) - CONTEXT_CHARS
    return "…" + text[start:]
