"""The one document model every stage speaks. Immutable; no I/O.

A ``Document`` is a tree of ``Block`` objects. Leaf blocks (paragraphs, headings,
captions...) hold ``Segment`` objects (sentences); container blocks (divisions,
quotes, notes, comments...) hold other blocks. A segment's content is a tuple of
inline items: plain ``str`` runs and ``Inline`` elements (emphasis, titles of
works, links, note references, spans not to translate).

What is translatable is defined once, by :func:`iter_segments`; extraction and
application of catalogues both use it (and :func:`map_segments`).
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import overload

# Leaf blocks: they hold segments.
LEAF_KINDS = frozenset({
    "title",      # the essay's title (also in the TEI header)
    "subtitle",
    "byline",     # "By Doug Enaa Greene"
    "dateline",   # "January 18, 2016"
    "caption",    # an image caption (inside a "figure")
    "head",       # a section heading
    "p",          # a paragraph (also inside quote, note, bio, comment, editorial)
})
# Container blocks: they hold blocks.
CONTAINER_KINDS = frozenset({
    "div",        # a section of the body (its first child may be a "head")
    "quote",      # a block quotation
    "figure",     # an image with its caption
    "notes",      # the endnotes division
    "note",       # one note; attrs: n (its number)
    "bio",        # the author's biography
    "editorial",  # an editorial note (e.g. "[This paper was presented ...]")
    "comments",   # reader comments appended to a web page: not part of the essay
    "comment",    # one reader comment
    "provenance", # where the essay first appeared (front matter)
    "duplicate",  # a passage the original repeats (e.g. its editorial note again at the end)
})
BLOCK_KINDS = LEAF_KINDS | CONTAINER_KINDS

# Inline kinds and the attributes each carries.
INLINE_KINDS = {
    "emph": (),              # emphasis
    "title": ("lang",),      # title of a work (a book, an article...); optional lang
    "foreign": ("lang",),    # words in another language (BCP 47 tag ``lang``)
    "link": ("href",),       # hyperlink
    "noteref": ("target", "n"),  # reference to note block id ``target``, shown as ``n``
    "notranslate": (),       # ITS translate="no": keep as is in every language
}


@dataclass(frozen=True)
class Location:
    """Where something came from: a file and a 1-based line (None if unknown)."""
    file: str
    line: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}" if self.line else self.file


@dataclass(frozen=True)
class Inline:
    """An inline element; ``children`` are str runs and nested Inline items."""
    kind: str
    children: tuple[InlineItem, ...] = ()
    attrs: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in INLINE_KINDS:
            raise ValueError(f"unknown inline kind {self.kind!r}")

    @overload
    def attr(self, name: str) -> str | None: ...
    @overload
    def attr(self, name: str, default: str) -> str: ...

    def attr(self, name: str, default: str | None = None) -> str | None:
        return dict(self.attrs).get(name, default)


InlineItem = str | Inline
Content = tuple[InlineItem, ...]


@dataclass(frozen=True)
class Segment:
    """A sentence (or title, heading...) with a stable id.

    ``lang`` is None when the segment is in the document's language; a translated
    document sets it on segments that fell back to the source language.
    """
    id: str
    content: Content
    location: Location | None = None
    lang: str | None = None

    @property
    def text(self) -> str:
        """Plain text; note references contribute nothing."""
        return plain_text(self.content)


@dataclass(frozen=True)
class Block:
    kind: str
    segments: tuple[Segment, ...] = ()
    children: tuple[Block, ...] = ()
    id: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()
    location: Location | None = None

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")
        if self.kind in LEAF_KINDS and self.children:
            raise ValueError(f"{self.kind} block cannot hold blocks")
        if self.kind in CONTAINER_KINDS and self.segments:
            raise ValueError(f"{self.kind} block cannot hold segments")

    @overload
    def attr(self, name: str) -> str | None: ...
    @overload
    def attr(self, name: str, default: str) -> str: ...

    def attr(self, name: str, default: str | None = None) -> str | None:
        return dict(self.attrs).get(name, default)


@dataclass(frozen=True)
class Metadata:
    """Non-translatable facts about the essay (the TEI header)."""
    author: tuple[str, ...] = ()   # the people who wrote it, each name as written:
                                   # "Dupont, Jean" is one person
    date: str = ""            # ISO 8601 date of first publication, "" if unknown
    publisher: str = ""       # where it first appeared
    provenance: str = ""      # free text: where it first appeared, reposted from...
    rights: str = ""
    source_file: str = ""     # the original that was imported (e.g. originals/x.txt)


@dataclass(frozen=True)
class Document:
    id: str                   # the essay id (file stem of source/<id>.xml)
    lang: str                 # BCP 47 tag of the text
    title: Block              # kind "title"
    front: tuple[Block, ...] = ()
    body: tuple[Block, ...] = ()
    back: tuple[Block, ...] = ()
    metadata: Metadata = field(default_factory=Metadata)
    next_id: int = 1          # next free segment number: ids are never reused

    @property
    def sections(self) -> tuple[tuple[str, tuple[Block, ...]], ...]:
        return (("title", (self.title,)), ("front", self.front),
                ("body", self.body), ("back", self.back))


@dataclass(frozen=True)
class SegmentRef:
    """A segment with the chain of blocks that holds it (outermost first)."""
    segment: Segment
    path: tuple[Block, ...]
    section: str              # "title", "front", "body" or "back"

    @property
    def block(self) -> Block:
        return self.path[-1]

    def within(self, kind: str) -> Block | None:
        """The innermost enclosing block of ``kind``, if any."""
        for block in reversed(self.path):
            if block.kind == kind:
                return block
        return None


def plain_text(content: Content) -> str:
    parts: list[str] = []
    for item in content:
        if isinstance(item, str):
            parts.append(item)
        elif item.kind != "noteref":
            parts.append(plain_text(item.children))
    return "".join(parts)


def noteref_targets(content: Content) -> Iterator[str]:
    """Ids of the notes that ``content`` refers to, in order."""
    for item in content:
        if isinstance(item, Inline):
            if item.kind == "noteref":
                yield item.attr("target", "")
            else:
                yield from noteref_targets(item.children)


def iter_blocks(blocks: tuple[Block, ...], path: tuple[Block, ...] = ()
                ) -> Iterator[tuple[Block, tuple[Block, ...]]]:
    """Every block in document order, with the path of its ancestors."""
    for block in blocks:
        yield block, path
        yield from iter_blocks(block.children, path + (block,))


def iter_segments(doc: Document) -> Iterator[SegmentRef]:
    """Every translatable segment in document order: THE definition of what is translatable."""
    for section, blocks in doc.sections:
        for block, ancestors in iter_blocks(blocks):
            for segment in block.segments:
                yield SegmentRef(segment, ancestors + (block,), section)


def map_segments(doc: Document, fn: Callable[[SegmentRef], Segment]) -> Document:
    """A new document with every segment replaced by ``fn(ref)``; structure unchanged.
    (No nested recursive function, as in :func:`replace_segments`.)"""
    return replace(
        doc,
        title=_map_block(doc.title, (), "title", fn),
        front=tuple([_map_block(b, (), "front", fn) for b in doc.front]),
        body=tuple([_map_block(b, (), "body", fn) for b in doc.body]),
        back=tuple([_map_block(b, (), "back", fn) for b in doc.back]),
    )


def _map_block(block: Block, path: tuple[Block, ...], section: str,
               fn: Callable[[SegmentRef], Segment]) -> Block:
    here = path + (block,)
    segments = tuple([fn(SegmentRef(s, here, section)) for s in block.segments])
    children = tuple([_map_block(c, here, section, fn) for c in block.children])
    return Block(block.kind, segments, children, block.id, block.attrs, block.location)


def replace_segments(doc: Document, fn: Callable[[Segment], Segment]) -> Document:
    """:func:`map_segments` for a ``fn`` of the segment alone: the same calls in the same
    (document) order, the same document, without a SegmentRef (and its path) a segment.
    A block whose segments and blocks all come back as they were (the same objects) is
    kept as it is, not made again; the others are copies of the block with their new
    segments or blocks (its other fields, checked when it was made, are the same).
    (No nested recursive function: its reference to itself would keep ``fn``, and all
    ``fn`` holds, alive until the cyclic GC runs.)"""
    return replace(doc, title=_replace_block(doc.title, fn),
                   front=tuple([_replace_block(b, fn) for b in doc.front]),
                   body=tuple([_replace_block(b, fn) for b in doc.body]),
                   back=tuple([_replace_block(b, fn) for b in doc.back]))


def _replace_block(block: Block, fn: Callable[[Segment], Segment]) -> Block:
    # (map and the identity test in C: this runs for every block of every edition)
    old_segments, old_children = block.segments, block.children
    segments = tuple(map(fn, old_segments)) if old_segments else ()
    if old_children:
        children = tuple([_replace_block(c, fn) for c in old_children])
        if all(map(operator.is_, segments, old_segments)) and \
                all(map(operator.is_, children, old_children)):
            return block
    elif all(map(operator.is_, segments, old_segments)):
        return block
    else:
        children = ()
    copy = _new(Block)           # a frozen dataclass: its fields set as __init__ sets them
    fields = copy.__dict__
    fields.update(block.__dict__)
    fields["segments"], fields["children"] = segments, children
    return copy


_new = object.__new__


class SegmentLayout:
    """A document's segments in the order :func:`replace_segments` walks them
    (``segments``), and where each one is: to make the document again with other
    segments, one for each (:meth:`rebuild`), without walking it again. For the code that
    makes a document of every language from one source (applying catalogues)."""
    __slots__ = ("doc", "segments", "_blocks", "_sections")

    def __init__(self, doc: Document):
        self.doc = doc
        self.segments: list[Segment] = []
        # each block after its blocks (post-order): its fields, its first segment's
        # number, the number after its last, how many blocks it holds
        self._blocks: list[tuple[dict, int, int, int]] = []
        self._sections = [len(blocks) for _, blocks in doc.sections]
        for _, blocks in doc.sections:
            for block in blocks:
                self._walk(block)

    def _walk(self, block: Block) -> None:
        start = len(self.segments)
        self.segments += block.segments            # its own, then its blocks' (as walked)
        for child in block.children:
            self._walk(child)
        self._blocks.append((block.__dict__, start, start + len(block.segments),
                             len(block.children)))

    def rebuild(self, segments: list[Segment]) -> Document:
        """The document with ``segments`` (one for each of ``self.segments``, in order)
        in their places; every block a copy (its other fields, checked when it was made,
        the same)."""
        made: list[Block] = []                    # the blocks made, not yet in a block
        every = tuple(segments)                   # (a tuple's slices are tuples)
        for values, start, stop, blocks in self._blocks:
            copy = _new(Block)     # a frozen dataclass: its fields set as __init__ sets them
            fields = copy.__dict__
            fields.update(values)
            if stop != start:
                fields["segments"] = every[start:stop]
            if blocks:
                fields["children"] = tuple(made[-blocks:])
                del made[-blocks:]
            made.append(copy)
        title, front, body, _ = self._sections
        return replace(self.doc, title=made[0], front=tuple(made[1:1 + front]),
                       body=tuple(made[1 + front:1 + front + body]),
                       back=tuple(made[1 + front + body:]))


def new_segment(id: str, content: Content, location: Location | None = None,
                lang: str | None = None) -> Segment:
    """``Segment(id, content, location, lang)`` without the dataclass's __init__ (a frozen
    dataclass sets each field through object.__setattr__): the same fields, in the same
    order. For the code that makes a segment for each of thousands (applying a
    catalogue); the values are not checked (a Segment checks none either)."""
    segment = _new(Segment)
    segment.__dict__.update(id=id, content=content, location=location, lang=lang)
    return segment


def new_inline(kind: str, children: tuple[InlineItem, ...] = (),
               attrs: tuple[tuple[str, str], ...] = ()) -> Inline:
    """``Inline(kind, children, attrs)`` without the dataclass's __init__ and its check of
    ``kind`` (see :func:`new_segment`): for a kind known to be one (that of an inline
    already made), as applying a catalogue makes an inline of each one of the source's."""
    inline = _new(Inline)
    inline.__dict__.update(kind=kind, children=children, attrs=attrs)
    return inline


def filter_blocks(doc: Document, keep: Callable[[Block], bool]) -> Document:
    """A new document without the blocks (and their subtrees) for which keep() is False.
    (No nested recursive function, as in :func:`replace_segments`.)"""
    return replace(doc, front=_kept_blocks(doc.front, keep), body=_kept_blocks(doc.body, keep),
                   back=_kept_blocks(doc.back, keep))


def _kept_blocks(blocks: tuple[Block, ...], keep: Callable[[Block], bool]
                 ) -> tuple[Block, ...]:
    return tuple(replace(b, children=_kept_blocks(b.children, keep))
                 for b in blocks if keep(b))


def notes_by_id(doc: Document) -> dict[str, Block]:
    return {b.id: b for _, blocks in doc.sections for b, _ in iter_blocks(blocks)
            if b.kind == "note" and b.id}


# Divisions that are not part of the essay itself: editions leave them out unless configured.
# Kept word for word in the source, never lost, but not rendered by default.
NOT_ESSAY_KINDS = frozenset({"comments", "duplicate"})


def published(doc: Document, include_comments: bool = False) -> Document:
    """What editions print and so what translators translate: the essay without the
    divisions that are not part of it (reader comments only when ``include_comments``)."""
    left_out = NOT_ESSAY_KINDS - {"comments"} if include_comments else NOT_ESSAY_KINDS
    return filter_blocks(doc, lambda block: block.kind not in left_out)
