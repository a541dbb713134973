"""Document -> the essay as one typeset XHTML ``<section>`` (lxml), with its table of
contents; shared by the EPUB and HTML writers. Its elements are in no namespace (made by
``xhtml.bare``; found by their plain names): they become XHTML in the chapter's page,
whose root declares it the default namespace, and are already the HTML page's (see the
docstring of ``writers/xhtml.py``).

Translator text only ever enters a tree as text (lxml escapes it); the only elements are
those the model's inline kinds map to:

    emph -> em, title -> cite (italic), foreign -> i class="foreign" with its lang,
    link -> a (http, https, mailto only; otherwise a span),
    noteref -> a epub:type="noteref" role="doc-noteref", notranslate -> span translate="no"

A title or foreign words in another language than the text around them (an English
edition's title kept in a French note) get ``lang``/``xml:lang``: the typography of that
language, not the book's, is applied to them.

Every segment is a ``<span id="{segment id}">``: a stable anchor in every language.
A segment in another language than the edition's (a fallback) gets ``lang``/``xml:lang``
(and ``dir`` when the direction differs).

The tree is typeset as it is made: each text node of a paragraph or heading is set by the
rules of ``writers/typography.py`` when the renderer makes it, in document order, as
``typography.typeset_tree`` (the reference, still used for the rare blocks made otherwise:
editorial lines, furniture headings) would set it in a walk of the finished tree; the
tests hold the two to the same bytes. (A second walk over every text node of every
essay was a fifth of rendering it.)

An essay's structure is made once for all its languages: the documents of one essay have
the same blocks, segment ids and note calls in every language, so the same elements,
attributes, ids and outline. The first one rendered makes the skeleton of that shape
(every segment's span empty, the furniture left out, a space between segments: taken
out for the languages without, ja and zh, and put back after them; a skeleton of their
own, made, copied and freed for every essay, was some 4 % of the CPU of a build at
N=200, L=10); each language's tree is a copy of it (lxml copies in C) with its
segments, furniture, separators and typography filled in, in document order, by the
same code as the whole render (``_Skeleton``; an essay with a figure
without its picture is rendered whole). Byte for byte the whole render's tree
(tests/test_render_skeleton.py); the structure was some 40% of rendering an essay.
The copy is made once for all the languages of the essay, then filled in again, in
place, for each (``_Live``: all it was given reset first; tests/test_render_refill.py),
unless a caller keeps it.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from lxml import etree

from .. import languages
from ..errors import Diagnostic
from ..model import (
    Block,
    Content,
    Document,
    Inline,
    Segment,
)
from .furniture import Furniture
from .typography import (
    call_punctuation,
    rules_for,
    set_text,
    setter,
    superscript_ordinals,
    typeset_tree,
)
from .xhtml import (
    BLOCK_TAGS,
    EPUB_NS,
    EPUB_TYPE,
    Layout,
    append_text,
    bare,
    clean,
    layout_of,
    set_lang,
    text_lang,
    visible_text,
)

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
BACKLINK_MARK = "\u21a9\ufe0e"
# the mark of a right-to-left page: the arrow points back the way its text reads (no
# font nor browser mirrors U+21A9: it has no mirrored form)
BACKLINK_MARK_RTL = "\u21aa\ufe0e"
_NCNAME = re.compile(r"^[A-Za-z_][\w.\-]*$")
# name -> whether _NCNAME matches it: the segment ids of one essay are those of every
# language of it, and of the other essays ("s1", "s2"...); looked up, not matched again
_NCNAMES: dict[str, bool] = {}
_NCNAMES_SIZE = 65_536


def _ncname(name: str) -> bool:
    """``_NCNAME.match(name)``, looked up in :data:`_NCNAMES` first (else worked out and
    remembered there)."""
    valid = _NCNAMES.get(name)
    if valid is None:
        if len(_NCNAMES) >= _NCNAMES_SIZE:
            _NCNAMES.clear()
        valid = _NCNAMES[name] = _NCNAME.match(name) is not None
    return valid


class Ids:
    """Ids of one file: valid XML names, each used once."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        # base -> the last n new() gave (or found taken) for it: the names before it are
        # taken or invalid, and stay so (a name is never given back). A note called fifty
        # times ("ref-n1", "ref-n1-2"...) costs fifty tries, not 1,275.
        self.tried: dict[str, int] = {}

    def claim(self, wanted: str | None) -> str | None:
        if not wanted or wanted in self.used or not _ncname(wanted):
            return None
        self.used.add(wanted)
        return wanted

    def new(self, base: str) -> str:
        n = self.tried.get(base, 1)
        candidate = base if n == 1 else f"{base}-{n}"
        while candidate in self.used or not _ncname(candidate):
            n += 1
            candidate = f"{base}-{n}"
        self.used.add(candidate)
        self.tried[base] = n
        return candidate


@dataclass(frozen=True)
class TocEntry:
    title: str
    fragment: str
    children: tuple[TocEntry, ...] = ()
    lang: str = ""          # the title's language when not the edition's (a fallback)


@dataclass(frozen=True)
class EssayPage:
    """The essay as one ``<section>``, typeset, with its table of contents."""
    section: etree._Element
    title: str
    toc: tuple[TocEntry, ...]
    diagnostics: tuple[Diagnostic, ...] = ()
    # the layout xhtml.indent gives ``section`` (see _Skeleton.layout), when known: only
    # on the tree render_essay keeps (lent, or given at its last use), never on a copy
    layout: Layout | None = None


@dataclass
class _Pending:
    heading: etree._Element
    fragment: str
    children: list[_Pending] = field(default_factory=list)

    def resolve(self) -> TocEntry:
        return TocEntry(visible_text(self.heading), self.fragment,
                        tuple(c.resolve() for c in self.children), text_lang(self.heading))


def render_essay(doc: Document, lang: str, furniture: Furniture,
                 last_use: bool = False, lend: bool = False,
                 given_back: bool = False) -> EssayPage:
    """The essay ``doc`` (in edition language ``lang``) as a typeset ``<section>``, a tree
    of the caller's own (the EPUB and the HTML page of one edition render the same
    essay: the last one rendered is kept, and a copy of it given again). ``last_use``:
    the caller is the last to ask for this essay (the HTML page, made after the EPUB): it
    is given the kept tree itself, not a copy (asked for again, it is rendered again).
    ``lend``: the caller gives the tree back as it was but for its whitespace once it
    has serialised it (writers.epub.chapter, whose indenting the next serialisation
    does again, from the tree's structure alone): it is lent the kept tree, not a copy
    (half a millisecond an essay-language), which stays kept.

    ``given_back`` (with ``last_use``): the caller keeps nothing of the tree once it has
    serialised it (writers.html.essay_html: only the page's bytes are kept), whatever it
    did to it (moved into its page, its namespaced attributes and whitespace changed):
    the tree made from the essay's skeleton is then filled in again, in place, for the
    next language of the essay (see :class:`_Live`); otherwise a tree given away is the
    caller's for good, and the next language's is a new copy of the skeleton."""
    last = _LAST_RENDERED
    if last and last[0] is doc and last[1] == lang and last[2] == furniture \
            and last[4] is not None:
        page = last[3]
        live = last[5]
        if last_use:
            last[4] = None                       # given away: its title is still known
            if not given_back and live is not None:
                live.taken = True
                live.unspace()
            return page
        if lend:
            return page
        if live is not None:
            live.unspace()
        return EssayPage(copy.deepcopy(page.section), page.title, page.toc, page.diagnostics)
    _LAST_RENDERED.clear()                       # (its tree may be the one filled in now)
    section, title_heading, renderer = _render(doc, lang, furniture)
    title = visible_text(title_heading)
    page = EssayPage(section, title, tuple(p.resolve() for p in renderer.toc),
                     tuple(renderer.diagnostics), renderer.layout)
    live = renderer.live
    if live is not None and not lend and not (last_use and given_back):
        live.unspace()                           # (not serialised by the caller: see _Live)
        live.taken = last_use                    # the caller's for good
    _LAST_RENDERED[:] = [doc, lang, furniture, page, None if last_use else section, live]
    if last_use or lend:
        return page
    return EssayPage(copy.deepcopy(section), title, page.toc, page.diagnostics)


def title_language(doc: Document, lang: str) -> str | None:
    """The language of ``doc``'s title when all of it is in another than ``lang`` (an
    untranslated title, fallen back to the source's); None when it is in ``lang``, or
    mixed (each segment then marks its own)."""
    langs = {s.lang for s in doc.title.segments}
    found = langs.pop() if len(langs) == 1 else None
    return found if found and found != lang else None


def rendered_title(doc: Document, lang: str, furniture: Furniture) -> str:
    """The title of :func:`render_essay`, without rendering the rest of the essay (a
    build plans every edition's links, titles included, before it renders any essay).

    The title heading is the essay's first block: the same heading in the same place
    (an ``<h1>`` in a ``<header>`` in a ``<section>``), typeset by the same rules, is the
    same text. Only its ids could differ, and the title has none (note references, whose
    ids are planned with the whole essay's, are not part of its text)."""
    last = _LAST_RENDERED
    if last and last[0] is doc and last[1] == lang and last[2] == furniture:
        return last[3].title
    renderer = _EssayRenderer(doc, lang, furniture, whole=False)
    section = bare("section")
    heading = renderer.leaf(doc.title, bare("header", parent=section), level=1)
    return visible_text(heading)


# [doc (compared by identity), lang, furniture, page, its section (None: given away),
#  the _Live it is (None: rendered whole)]
_LAST_RENDERED: list = []


def _render(doc: Document, lang: str, furniture: Furniture
            ) -> tuple[etree._Element, etree._Element, _EssayRenderer]:
    """The essay's ``<section>``, its title heading and the renderer that made it (its
    ToC, its diagnostics): a copy of the skeleton of the essay's shape filled in, or,
    when the essay has none (see :class:`_Skeleton`), rendered whole.

    A build renders each essay in every language, one after another in one process:
    the documents of a translated essay have the same blocks, segment ids and note calls
    (a translation keeps the source's tags), so the same elements, attributes, ids and
    outline; only the segments' content and language, the furniture and the typography
    differ. That structure was some 40% of rendering an essay-language."""
    shape: list = []
    leaves: list[tuple[Segment, ...]] = []
    _walk_shape(doc, shape, leaves)
    skeleton = _skeleton(shape, doc, lang, furniture)
    if skeleton is not None:
        try:
            done = skeleton.fill(doc, lang, furniture, leaves)
        except _OtherSkeleton:
            # the skeleton of its shape was made for other note calls or segment ids: one
            # made for these (then kept: the next languages of the essay have them)
            skeleton = _skeleton(shape, doc, lang, furniture, new=True)
            try:
                done = skeleton.fill(doc, lang, furniture, leaves) if skeleton else None
            except _OtherSkeleton:               # (never: made from this document)
                done = None
        if done is not None:
            return done
    renderer = _EssayRenderer(doc, lang, furniture)
    section, title_heading = renderer.render()          # typeset as it is made
    return section, title_heading, renderer


def _walk_shape(doc: Document, shape: list, leaves: list[tuple[Segment, ...]]) -> None:
    """The shape of ``doc`` into ``shape``: each block
    in document order (a leaf's kind, id, attributes and number of segments; a
    container's with its number of children, then its children); its leaf blocks'
    segments into ``leaves``, in the order they are rendered (the order of
    :func:`_notes_and_calls` too: a leaf holds no block, a container no segment, see
    model.Block).

    The segments' ids, and the targets of their note calls (which the note references'
    ids are planned from), are part of a shape too, but not looked at here (a segment is
    looked at by the fill, not twice: a walk over every segment of an essay, for its id,
    was a tenth of rendering it): the fill of a skeleton checks them as it meets them,
    and gives up when they are not the skeleton's (see :meth:`_Skeleton.fill`)."""
    for _, blocks in doc.sections:
        _walk_blocks(blocks, shape, leaves)


def _walk_blocks(blocks: tuple[Block, ...], shape: list,
                 leaves: list[tuple[Segment, ...]]) -> None:
    add = shape.append
    for block in blocks:
        segments = block.segments
        if segments or block.kind in _LEAF_KINDS:
            add((block.kind, block.id, block.attrs, None, len(segments)))
            leaves.append(segments)
        else:
            add((block.kind, block.id, block.attrs, len(block.children)))
            _walk_blocks(block.children, shape, leaves)


class _Unsupported(Exception):
    """The essay has a part the skeleton does not make (an editor's line)."""


class _OtherSkeleton(Exception):
    """The document's segment ids or note calls are not those of the skeleton of its
    shape (its spans' ids, the ids of its note references were made for others): see
    :meth:`_Skeleton.fill`."""


# the elements of a skeleton found again in its copies: headings and backlinks (the only
# links a skeleton has: note calls are segments' content)
_MARK_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "a")


@dataclass
class _Skeleton:
    """The structure of an essay of one shape (see :func:`_walk_shape`), without what
    differs between its languages: its ``<section>`` with every segment's ``<span>``
    (with its id and a space after it, as the separator of segments of most
    languages) empty, every heading of the furniture
    empty, the notes' backlinks without their label; the notes and note references'
    ids planned; the title heading, the ToC's headings, the furniture's headings (with
    their key) and the backlinks, by their place among the section's :data:`_MARK_TAGS`.
    The copy of a skeleton filled in with a document's segments (see :meth:`fill`) is the
    tree the document's whole render makes, byte for byte
    (tests/test_render_skeleton.py)."""
    shape: list
    section: etree._Element | None           # None: the shape has no skeleton
    notes: dict[str, Block] = field(default_factory=dict)
    ref_ids: dict[str, list[str]] = field(default_factory=dict)
    title: int = 0
    toc: tuple = ()                      # ((mark, fragment, children), ...)
    headings: tuple[tuple[int, str], ...] = ()
    backlinks: tuple[int, ...] = ()
    empty_notes: tuple[int, ...] = ()    # the empty notes' lines, by place among the <p>
    spans: int = 0
    targets: list[str] = field(default_factory=list)   # its note calls', in document order
    ids: list[str] = field(default_factory=list)       # its segments', in document order
    # the spans followed by the separator of segments (" ": the skeleton is made with
    # one), by their place among its spans: a language without spaces between its
    # segments (ja, zh) has them taken out (see :meth:`fill`)
    separated: tuple[int, ...] = ()
    # The layout xhtml.indent gives the section (the same for every copy filled in: the
    # fill puts no block in it, nor text around its blocks, see test_render_skeleton.py),
    # each element by its place among the section's blocks (:data:`_LAYOUT_TAGS`), and
    # their number; None: not known
    layout: list[tuple[int, int, list[int]]] | None = None
    blocks: int = 0
    # the last copy filled in, to fill in again (None: none, or none to fill again)
    live: _Live | None = None

    def fill(self, doc: Document, lang: str, furniture: Furniture,
             leaves: list[tuple[Segment, ...]]
             ) -> tuple[etree._Element, etree._Element, _EssayRenderer] | None:
        """A copy of the skeleton filled in with ``doc`` (of its shape) in ``lang``; None
        if it cannot be. Raises :class:`_OtherSkeleton` if the segment ids or the note
        calls of ``doc`` (which the shape leaves out, see :func:`_walk_shape`) are not the
        skeleton's."""
        assert self.section is not None
        live = self.live
        if live is None or live.taken:
            live = self.live = self._live()
            if live is None:
                return None
        else:
            live.reset()
        section, marks = live.section, live.marks
        renderer = _EssayRenderer(doc, lang, furniture, planned=(self.notes, self.ref_ids))
        if renderer.separator != live.separator:     # (ja, zh: none; the others " ")
            tail = renderer.separator or None
            for span in live.separated:
                span.tail = tail
            live.separator = renderer.separator
        renderer.layout, renderer.live, renderer.dirty = live.layout, live, live.dirty
        try:
            try:
                renderer.fill_leaves(leaves, live.spans, self.ids)
            except (KeyError, IndexError):       # a call to a note the plan has no id for
                raise _OtherSkeleton from None
            if renderer.called != self.targets:  # (see _walk_shape)
                raise _OtherSkeleton
            for mark, key in self.headings:
                renderer.furnish_heading(marks[mark], key)
            for line in live.lines:
                renderer.furnish_empty_note(line)
            for mark in self.backlinks:
                renderer.label_backlink(marks[mark])
            for line in live.lines:              # typeset once its backlink is labelled
                typeset_tree(line, lang)
        except BaseException:
            self.live = None                     # half filled: never filled in again
            raise
        renderer.toc = _pending(self.toc, marks)
        return section, marks[self.title], renderer

    def _live(self) -> _Live | None:
        """A new copy of the skeleton to fill in (see :class:`_Live`); None if it cannot
        be."""
        assert self.section is not None
        section = copy.deepcopy(self.section)               # (lxml copies in C)
        spans = list(section.iter(_SPAN))                   # (before any is filled)
        if len(spans) != self.spans:
            return None
        marks = list(section.iter(*_MARK_TAGS))
        layout = None
        if self.layout is not None:
            blocks = list(section.iter(*_LAYOUT_TAGS))
            if len(blocks) == self.blocks:
                layout = Layout(section, 0, [
                    (blocks[n], level, [blocks[c] for c in children])
                    for n, level, children in self.layout])
        lines = list(section.iter(_P[0])) if self.empty_notes else []
        lines = [lines[n] for n in self.empty_notes]
        # what a fill changes but the segments' spans: the furniture's headings, the
        # empty notes' lines, the backlinks (given attributes after their own, never
        # other values of those); and what an HTML page strips (namespaced attributes:
        # the section's first)
        furnished = [marks[mark] for mark, _ in self.headings]
        furnished += [marks[mark] for mark in self.backlinks]
        furnished += lines
        kept = [(el, el.text, el.tail, len(el.attrib), tuple(el)) for el in furnished]
        found = _NAMESPACED(section)
        typed = [(el, dict(el.items())) for el in found if isinstance(el, etree._Element)] \
            if isinstance(found, list) else []
        if not typed or typed[0][0] is not section:
            return None                          # (never: the section has its epub:type)
        live = _Live(section, spans, marks, lines, layout, typed, kept,
                     [spans[n] for n in self.separated])
        # a tree with no layout could not have its whitespace taken out again (see
        # :meth:`_Live.unspace`): used for one language only, as every copy was before
        live.taken = layout is None
        return live


class _Live:
    """A copy of an essay's skeleton filled in, filled in again for the next document of
    its shape (the next language of the essay) in place, once no caller holds it (see
    render_essay's ``given_back``; a tree given away for good is :attr:`taken`): the
    skeleton is not copied again for each language, nor the previous language's tree
    freed, nor its spans, marks and blocks looked for again (a build's CPU some 3% less,
    N=20).

    What a fill sets is set anew first (:meth:`reset`), as the skeleton has it, so that
    nothing of the previous document is left (tests/test_render_refill.py; the separator
    after each span is set by the fill itself, when it is not the last one's): the spans a
    fill gave more than a text (inline elements, a language, ordinals in ``<sup>``:
    :attr:`dirty`; the text of the others is set by every fill, None included); the
    elements the furniture fills (:attr:`kept`: their skeleton's text, tail, number of
    attributes and children); the namespaced attributes (``epub:type``) the HTML page
    strips (:attr:`typed`: every attribute of their elements, in their order; the
    section's own first, which declares the ``epub`` prefix again, see below). Its
    whitespace is taken out when it is given to a caller that does not indent it again
    (:meth:`unspace`)."""
    __slots__ = ("section", "spans", "marks", "lines", "layout", "typed", "kept", "dirty",
                 "taken", "separated", "separator", "spaced")

    def __init__(self, section: etree._Element, spans: list[etree._Element],
                 marks: list[etree._Element], lines: list[etree._Element],
                 layout: Layout | None, typed: list, kept: list,
                 separated: list[etree._Element]) -> None:
        self.section, self.spans, self.marks, self.lines = section, spans, marks, lines
        self.layout, self.typed, self.kept = layout, typed, kept
        # the spans the separator of segments follows, and that separator now (the
        # skeleton's " "; "" once filled in with a language without, see _Skeleton.fill)
        self.separated, self.separator = separated, " "
        # the spans a fill without separator gave a space after all (see languages.gap_after)
        self.spaced: list[etree._Element] = []
        self.dirty: list[etree._Element] = []
        # given away for good (render_essay's last_use): never filled in again
        self.taken = False

    def reset(self) -> None:
        """The tree as the skeleton has it, but for the text of its plain spans and the
        separators after them (set by the fill: see :meth:`_Skeleton.fill`)."""
        section = self.section
        if section.get(EPUB_TYPE) is None:       # stripped (all of them) by an HTML page
            for el, items in self.typed:         # (in their order: cleared, set again)
                attrib = el.attrib
                attrib.clear()
                attrib.update(items)
        for el, text, tail, attributes, children in self.kept:
            el.text, el.tail = text, tail
            if len(el.attrib) != attributes:     # those a fill set, after the skeleton's
                attrib = el.attrib
                for key in el.keys()[attributes:]:
                    del attrib[key]
            if len(el) != len(children):         # ordinals' <sup> typeset_tree made
                for child in [c for c in el if all(c is not k for k in children)]:
                    el.remove(child)
        for span in self.spaced:
            span.tail = None
        self.spaced = []
        for span in self.dirty:
            span_id = span.get("id")
            # (its text, children and attributes)
            span.clear(keep_tail=True)  # type: ignore[call-arg]  # lxml-stubs
            if span_id is not None:
                span.set("id", span_id)
        self.dirty = []

    def unspace(self) -> None:
        """The whitespace of serialising the tree taken out (:attr:`layout`'s blocks',
        the section's tail), as the skeleton has none. (Not in :meth:`reset`: the
        chapter and the HTML page the tree is lent and given to put it again, on the same
        blocks, whatever was there; a copy of it, or a tree given away for good, is
        without it.)"""
        self.section.tail = None
        if self.layout is not None:
            for el, _, children in self.layout.blocks:
                el.text = None
                for child in children:
                    child.tail = None


# the namespaced attributes a refilled tree is given again (:meth:`_Live.reset`) may be
# set where no ancestor declares their namespace any more (the HTML page drops the
# declarations it no longer uses): the section's epub:type, the first, then declares the
# ``epub`` prefix (as xhtml.bare's root), not lxml's "ns0"
etree.register_namespace("epub", EPUB_NS)


# the elements of a tree (itself first) with a namespaced attribute, in document order
_NAMESPACED = etree.XPath("descendant-or-self::*[@*[namespace-uri() != '']]")

# the elements a layout is made of (xhtml.indent indents only blocks)
_LAYOUT_TAGS = tuple(sorted(BLOCK_TAGS))


def _layout(section: etree._Element) -> tuple[list[tuple[int, int, list[int]]] | None, int]:
    """The layout of the skeleton ``section`` (:attr:`_Skeleton.layout`), found in a copy
    of it (indenting it puts whitespace in it), and its number of blocks."""
    section = copy.deepcopy(section)
    blocks = list(section.iter(*_LAYOUT_TAGS))
    place = {el: n for n, el in enumerate(blocks)}
    try:
        layout = [(place[el], level, [place[child] for child in children])
                  for el, level, children in layout_of(section).blocks]
    except KeyError:                             # (never: indent indents only blocks)
        return None, 0
    return layout, len(blocks)


def _pending(toc: tuple, marks: list[etree._Element]) -> list[_Pending]:
    return [_Pending(marks[mark], fragment, _pending(children, marks))
            for mark, fragment, children in toc]


# the skeletons made last, the newest first (a build renders an essay in all its
# languages, one after another: one skeleton serves them all, those that set no space
# between segments too)
_SKELETONS: list[_Skeleton] = []
_SKELETONS_KEPT = 2


def _skeleton(shape: list, doc: Document, lang: str, furniture: Furniture,
              new: bool = False) -> _Skeleton | None:
    """The skeleton of ``shape`` (made from ``doc`` if none is kept, or if ``new``: the
    one kept was made for other note calls or segment ids), None if it has none."""
    for skeleton in () if new else _SKELETONS:
        if skeleton.shape == shape:
            return skeleton if skeleton.section is not None else None
    builder = _SkeletonBuilder(doc, lang, furniture)
    try:
        section, title_heading = builder.render()
    except _Unsupported:
        skeleton = _Skeleton(shape, None)
    else:
        marks = {el: n for n, el in enumerate(section.iter(*_MARK_TAGS))}
        empty = set(builder.empty_notes)

        def toc(entries: list[_Pending]) -> tuple:
            return tuple((marks[p.heading], p.fragment, toc(p.children)) for p in entries)

        skeleton = _Skeleton(
            shape, section, builder.notes, builder.ref_ids, marks[title_heading],
            toc(builder.toc), tuple((marks[h], key) for h, key in builder.furnished),
            tuple(marks[a] for a in builder.backlinks),
            tuple(n for n, p in enumerate(section.iter(_P[0])) if p in empty), builder.spans,
            builder.targets, builder.segment_ids, tuple(builder.separated))
        if sum(1 for _ in section.iter(_SPAN)) != builder.spans:
            skeleton.section = None              # (never: a skeleton has no other span)
        else:
            skeleton.layout, skeleton.blocks = _layout(section)
    _SKELETONS.insert(0, skeleton)
    del _SKELETONS[_SKELETONS_KEPT:]
    return skeleton if skeleton.section is not None else None


_LEAF_TAGS = {"title": ("h1", ""), "subtitle": ("p", "subtitle"), "byline": ("p", "byline"),
              "dateline": ("p", "dateline"), "caption": ("figcaption", "")}
_SPAN = "span"
# (tag, attributes) of a leaf block's element: what bare() would make
_LEAF_ELEMENTS = {kind: (tag, {"class": cls} if cls else None)
                  for kind, (tag, cls) in _LEAF_TAGS.items()}
_P = ("p", None)
_OL, _LI, _ASIDE, _A = "ol", "li", "aside", "a"
# an inline element's tag, when it has no attribute of its own (else a span)
_INLINE_TAGS = {"emph": "em", "title": "cite"}
_HEADINGS = {level: (f"h{level}", None) for level in range(1, 7)}


class _EssayRenderer:
    def __init__(self, doc: Document, lang: str, furniture: Furniture,
                 whole: bool = True,
                 planned: tuple[dict[str, Block], dict[str, list[str]]] | None = None
                 ) -> None:
        """``whole``: the essay is rendered, not only its title (which needs the notes
        only when it refers to one: an unknown note's call is shown, a known one's not).
        ``planned``: the notes (only their ids are looked at) and the ids of the note
        references, already planned (by the skeleton of a document of the same shape,
        see :class:`_Skeleton`)."""
        self.doc, self.lang, self.furniture = doc, lang, furniture
        self.ids = Ids()
        if planned is not None:
            self.notes, self.ref_ids = planned
        elif whole or not all(_plain(s) for s in doc.title.segments):
            self.notes, self.calling = _notes_and_calls(doc)
            self.ref_ids = self._plan_note_refs()
        else:
            self.notes, self.ref_ids = {}, {}
        self.ref_count: dict[str, int] = {}
        # the targets of the note calls made, in document order (see _Skeleton.fill)
        self.called: list[str] = []
        self.layout: Layout | None = None        # (see _Skeleton.layout)
        # the tree filled in, when it is a skeleton's copy (see _Live), and its spans
        # given more than a text (listed there)
        self.live: _Live | None = None
        self.dirty: list[etree._Element] = []
        self.toc: list[_Pending] = []
        self.diagnostics: list[Diagnostic] = []
        self.separator = " " if languages.spaced(lang) else ""
        self.rtl = languages.direction(lang) == "rtl"
        # Typesetting as the tree is made (see _EssayRenderer.set): the character before
        # the next text node of the current block, and whether texts are typeset (while
        # not, a block is typeset by typeset_tree once it is complete)
        self.prev = ""
        self.typesetting = True

    # ------------------------------------------------------------ structure
    def render(self) -> tuple[etree._Element, etree._Element]:
        """The essay's ``<section>`` and its title heading (inside it)."""
        section = bare("section", epub_type="chapter", role="doc-chapter")
        section.set("id", self.ids.new("essay"))
        header = bare("header", parent=section)
        title_heading = self.leaf(self.doc.title, header, level=1)
        title_id = self.ids.new("title")
        title_heading.set("id", title_id)
        section.set("aria-labelledby", title_id)
        for block in self.doc.front:
            self.block(block, header, 2, self.toc)
        for block in self.doc.body + self.doc.back:
            self.block(block, section, 2, self.toc)
        return section, title_heading

    def block(self, block: Block, parent: etree._Element, level: int,
              toc: list[_Pending]) -> None:
        if block.segments or block.kind in _LEAF_KINDS:
            self.leaf(block, parent, level)
            return
        handler = _HANDLERS.get(block.kind)      # (a table made once, not at each block)
        if handler:
            handler(self, block, parent, level, toc)
            return
        if block.kind == "figure" and not block.attr("image"):
            self.figure_without_image(block, parent)
            return
        tag = {"quote": "blockquote", "figure": "figure"}.get(block.kind, "div")
        el = bare(tag, parent=parent, class_=block.kind if tag == "div" else "")
        el_id = self.ids.claim(block.id)
        if el_id:
            el.set("id", el_id)
        for child in block.children:
            self.block(child, el, level, toc)

    def division(self, block: Block, parent: etree._Element, level: int,
                 toc: list[_Pending]) -> None:
        has_head = any(child.kind == "head" for child in block.children)
        section = bare("section" if has_head else "div", parent=parent)
        section_id = self.ids.claim(block.id) or self.ids.new("section")
        section.set("id", section_id)
        entry: list[_Pending] = toc
        for child in block.children:
            if child.kind == "head" and entry is toc:
                heading = self.leaf(child, section, level)
                pending = _Pending(heading, section_id)
                toc.append(pending)
                entry = pending.children
            else:        # a division without heading does not deepen the outline
                self.block(child, section, level + 1 if has_head else level, entry)

    def titled(self, block: Block, parent: etree._Element, level: int,
               toc: list[_Pending]) -> None:
        """Bio and reader comments: a section with a heading from the furniture."""
        key = {"bio": "about_author", "comments": "reader_comments"}[block.kind]
        section = bare("section", parent=parent, class_=block.kind)
        section_id = self.ids.claim(block.id) or self.ids.new(block.kind)
        section.set("id", section_id)
        children = block.children
        if children and children[0].kind == "head":
            heading = self.leaf(children[0], section, level)
            children = children[1:]
        else:
            heading = self.furniture_heading(section, level, key)
        toc.append(_Pending(heading, section_id))
        for child in children:
            self.block(child, section, level + 1, [])

    def notes_section(self, block: Block, parent: etree._Element, level: int,
                      toc: list[_Pending]) -> None:
        section = bare("section", parent=parent, epub_type="endnotes", role="doc-endnotes")
        section_id = self.ids.claim(block.id) or self.ids.new("notes")
        section.set("id", section_id)
        heading = self.furniture_heading(section, level, "notes")
        toc.append(_Pending(heading, section_id))
        ol = bare("ol", parent=section)
        for child in block.children:
            self.block(child, ol, level + 1, [])

    def note(self, block: Block, parent: etree._Element, level: int,
             toc: list[_Pending]) -> None:
        in_list = parent.tag == _OL              # (made here: in no namespace)
        # bare("li" or "aside", epub_type="endnote"), written out
        item = etree.SubElement(parent, _LI if in_list else _ASIDE)
        item.set(EPUB_TYPE, "endnote")
        item.set("id", self.ids.claim(block.id) or self.ids.new("note"))
        if in_list:
            number = block.attr("n") or ""
            if number.isdigit():
                item.set("value", number)
        for child in block.children:
            self.block(child, item, level, [])
        empty = None
        if not _has_segments(block):
            # typeset below, once the backlink is in it (it is the last paragraph)
            empty = self.empty_note(item)
        refs = self.ref_ids.get(block.id or "", [])
        if refs:
            # After a paragraph typeset as it was made, or a block, " " and the mark are
            # what typesetting them would give (no rule changes them, whatever is
            # before them: tests/test_render_typeset_stream.py), and nothing follows them
            # in their block
            target = item[-1] if len(item) and item[-1].tag == _P[0] else item
            append_text(target, " ")
            # bare("a", BACKLINK_MARK, href=..., role=..., aria_label=...), written out
            back = etree.SubElement(target, _A)
            back.set("href", f"#{refs[0]}")
            back.set("role", "doc-backlink")
            back.text = BACKLINK_MARK
            self.label_backlink(back)
        if empty is not None and self.typesetting:
            typeset_tree(empty, self.lang)

    def empty_note(self, item: etree._Element) -> etree._Element:
        """The editor's line of a note without text, untypeset (the caller typesets it
        once its backlink is in it)."""
        return self.editorial(item, self.furniture["empty_note"], typeset=False)

    def furnish_empty_note(self, p: etree._Element) -> None:
        """The furniture's part of an empty note's line (``p``, made by
        :meth:`_SkeletonBuilder.empty_note`: its text is what was appended to it, " "
        before a backlink, if anything): the text before it, the line's language."""
        text = self.furniture["empty_note"]
        if text:                                 # as bare(tag, text) sets it
            p.text = clean(text) + (p.text or "")
        if self.furniture.fallback:
            set_lang(p, self.furniture.lang, self.lang)

    def label_backlink(self, back: etree._Element) -> None:
        """The furniture's part of a note's backlink: its label, and its language; its
        mark, which points back the way the page reads."""
        back.text = BACKLINK_MARK_RTL if self.rtl else BACKLINK_MARK   # (a skeleton's copy)
        label = self.furniture["back_to_text"]
        if label:
            back.set("aria-label", label)
        if self.furniture.fallback:          # an English label (the mark has no language)
            set_lang(back, self.furniture.lang, self.lang)

    def editorial(self, parent: etree._Element, text: str,
                  typeset: bool = True) -> etree._Element:
        """An editor's line, not the author's: bracketed, marked as editorial
        (``typeset``: typeset now; else the caller typesets it once it is complete)."""
        p = bare("p", text, parent=parent, class_="editorial-line")
        if self.furniture.fallback:
            set_lang(p, self.furniture.lang, self.lang)
        if typeset and self.typesetting:
            typeset_tree(p, self.lang)
        return p

    def figure_without_image(self, block: Block, parent: etree._Element) -> None:
        """A caption whose picture the edition does not have: an editorial note in
        brackets ("[Photograph not reproduced: caption]"), never a bare caption. (Rare:
        its paragraph is made untypeset, then typeset by typeset_tree.)"""
        before, _, after = self.furniture["image_not_reproduced"].partition("{caption}")
        p = self.editorial(parent, before, typeset=False)
        el_id = self.ids.claim(block.id)
        if el_id:
            p.set("id", el_id)
        typesetting, self.typesetting = self.typesetting, False
        captions = [c for c in block.children if c.kind == "caption"]
        previous: Segment | None = None
        for caption in captions:
            for segment in caption.segments:
                if previous is not None:
                    append_text(p, languages.gap_after(self.separator, previous.lang))
                self.segment(segment, p)
                previous = segment
        append_text(p, after)
        self.typesetting = typesetting
        if typesetting:
            typeset_tree(p, self.lang)

    def furniture_heading(self, parent: etree._Element, level: int,
                          key: str) -> etree._Element:
        heading = bare(f"h{min(level, 6)}", parent=parent)
        self.furnish_heading(heading, key)
        return heading

    def furnish_heading(self, heading: etree._Element, key: str) -> None:
        """The furniture's part of a heading of its own (empty): its text (``key``),
        its language, typeset."""
        text = self.furniture[key]
        if text:                                 # as bare(tag, text) sets it
            heading.text = clean(text)
        if self.furniture.fallback:
            set_lang(heading, self.furniture.lang, self.lang)
        if self.typesetting:
            typeset_tree(heading, self.lang)

    # ------------------------------------------------------------ segments
    #
    # The text nodes of a leaf block (a paragraph, a heading...: segments and their
    # inline elements, never a block inside) are typeset as they are made, in document
    # order, as typeset_tree's walk of the finished tree would set them (its reference,
    # tested against it: tests/test_render_typeset_stream.py): each by the rules of its
    # own language, after the character before it in its block (``self.prev``, "" when a
    # block starts), not inside ``translate="no"``, French ordinals in <sup> (once its text
    # is set: before the next element is made, in document order), and, where the
    # language's rules say so, the punctuation before a note call moved after it
    # (typography.call_punctuation) before either text is typeset.
    def leaf(self, block: Block, parent: etree._Element, level: int) -> etree._Element:
        tag, attrs = _HEADINGS[min(level, 6)] if block.kind == "head" else \
            _LEAF_ELEMENTS.get(block.kind, _P)
        el = etree.SubElement(parent, tag, attrs)
        separator = self.separator
        prev = ""                                # a block starts (self.prev, kept here)
        span = None
        gap = separator                          # after the previous segment (languages.gap_after)
        claim, lang, typesetting = self.ids.claim, self.lang, self.typesetting
        new_span = etree.SubElement
        for segment in block.segments:
            if span is not None and gap:
                span.tail = gap              # the previous segment's span: a new element
                prev = gap                   # " ": typeset, it stays " "
            content = segment.content
            seg_lang = segment.lang
            if len(content) != 1 or not isinstance(content[0], str) \
                    or (seg_lang and seg_lang != lang):
                self.prev = prev
                span = self.segment(segment, el)
                prev = self.prev
                gap = languages.gap_after(separator, seg_lang)
                continue
            gap = separator
            # most segments: one string, in the edition's language: self.segment, written
            # out (a call and its attribute lookups less, for each)
            span = new_span(el, _SPAN)
            if claim(segment.id):
                span.set("id", segment.id)   # (cheaper than a dictionary of attributes)
            text = clean(content[0])
            if text:
                if typesetting:
                    typeset, ordinals = set_text(text, seg_lang or lang, prev)
                    span.text = typeset
                    prev = typeset[-1:] or prev
                    if ordinals:
                        superscript_ordinals(span, "text")
                else:
                    span.text = text
        self.prev = prev
        return el

    def fill_leaves(self, leaves: list[tuple[Segment, ...]],
                    spans: list[etree._Element], ids: list[str]) -> None:
        """The segments of each leaf block (``leaves``, in document order) into their
        spans (``spans``, empty, in the same order, with the separators after them), as
        :meth:`leaf` sets them (its loop, less the elements and ids). Raises
        :class:`_OtherSkeleton` when a segment's id is not the one of its span's segment
        (``ids``, in the same order).

        A segment of one string in the edition's language (most) costs a few operations:
        the language's rules are found once for all the segments
        (:func:`typography.setter`), and the character before the next segment (the
        separator when there is one) is worked out once."""
        separator, lang = self.separator, self.lang
        set_in = setter(lang)
        dirty = self.dirty.append
        assert self.live is not None             # (a skeleton's copy: see _Skeleton.fill)
        spaced_out = self.live.spaced.append
        spans_left = zip(spans, ids, strict=True)
        for segments in leaves:
            prev = ""                            # a block starts
            last = len(segments) - 1             # (by place: a segment may be there twice)
            # (zip takes a segment first: a block's last stops it before a span is taken)
            for n, (segment, (span, segment_id)) in enumerate(
                    zip(segments, spans_left, strict=False)):
                if segment.id != segment_id:
                    raise _OtherSkeleton
                content = segment.content
                seg_lang = segment.lang
                if len(content) != 1 or not isinstance(text := content[0], str) \
                        or (seg_lang and seg_lang != lang):
                    self.prev = prev
                    span.text = None             # (a tree filled in again: see _Live)
                    dirty(span)
                    self.fill(span, segment)
                    prev = separator or self.prev
                    if not separator and n != last and languages.gap_after(separator, seg_lang):
                        span.tail = prev = " "   # (see languages.gap_after; taken out by reset)
                        spaced_out(span)
                    continue
                text = clean(text)
                if not text:
                    span.text = None
                    prev = separator or prev
                    continue
                typeset, ordinals = set_in(text, prev)
                span.text = typeset
                prev = separator or typeset[-1:] or prev
                if ordinals:
                    dirty(span)
                    superscript_ordinals(span, "text")
        self.prev = prev

    def set(self, owner: etree._Element, attr: str, text: str, lang: str) -> None:
        """``text`` (not empty) typeset as ``owner``'s text or tail (``attr``), in ``lang``."""
        typeset, ordinals = set_text(text, lang, self.prev)
        if attr == "text":
            owner.text = typeset
        else:
            owner.tail = typeset
        self.prev = typeset[-1:] or self.prev
        if ordinals:
            superscript_ordinals(owner, attr)

    def segment(self, segment: Segment, parent: etree._Element) -> etree._Element:
        """The segment as a new ``<span>``, the last child of ``parent``."""
        span = etree.SubElement(parent, _SPAN)
        if self.ids.claim(segment.id):
            span.set("id", segment.id)       # (cheaper than a dictionary of attributes)
        self.fill(span, segment)
        return span

    def fill(self, span: etree._Element, segment: Segment) -> None:
        """The segment's content (and language) into its ``span``, new and empty."""
        seg_lang = segment.lang
        if seg_lang and seg_lang != self.lang:
            set_lang(span, seg_lang, self.lang)
        content = segment.content
        if len(content) == 1 and isinstance(content[0], str):
            text = clean(content[0])         # most segments: one string
            if text:
                if self.typesetting:         # self.set, written out
                    typeset, ordinals = set_text(text, seg_lang or self.lang, self.prev)
                    span.text = typeset
                    self.prev = typeset[-1:] or self.prev
                    if ordinals:
                        superscript_ordinals(span, "text")
                else:
                    span.text = text
        else:
            self.inlines(content, span, segment, seg_lang or self.lang, False)

    def inlines(self, content: Content, parent: etree._Element, segment: Segment,
                lang: str, skip: bool) -> None:
        """``content`` into ``parent``, a new element in ``lang`` (``skip``: inside
        ``translate="no"``, not typeset): each run of strings, joined, is its text or the
        tail of the inline element before it."""
        last: etree._Element | None = None
        run: list[str] = []
        carry = ""          # punctuation moved after a note call: before the text after it
        moves: bool | None = None                # the language's calls take punctuation
        typesetting = self.typesetting
        typeset = typesetting and not skip       # (the texts typeset: see set)
        for item in content:
            if isinstance(item, str):
                run.append(item)
                continue
            text = clean("".join(run)) if run else ""
            run = []
            is_call = item.kind == "noteref"
            if carry and not (is_call and not text):
                text, carry = carry + text, ""   # (a call right after: it goes after it)
            if is_call and typesetting:
                if moves is None:
                    rules = rules_for(lang)
                    moves = bool(rules and rules.calls_before_punctuation)
                if moves:       # (right after a call, "": the first call of a run moves it)
                    split = call_punctuation(text)
                    if split is not None:
                        text, carry = split
            if text:
                self._put(parent, last, text, lang, typeset)
            last = self.noteref(item, parent, segment, lang, skip) if is_call else \
                self.inline(item, parent, segment, lang, skip)
        text = clean("".join(run)) if run else ""
        if carry:
            text = carry + text
        if text:                                 # the text after the last element
            self._put(parent, last, text, lang, typeset)

    def _put(self, parent: etree._Element, last: etree._Element | None, text: str,
             lang: str, typeset: bool) -> None:
        """``text`` (not empty) after ``last`` (``parent``'s text when None), typeset when
        ``typeset``."""
        if typeset:
            if last is None:
                self.set(parent, "text", text, lang)
            else:
                self.set(last, "tail", text, lang)
        elif last is None:
            parent.text = text
        else:
            last.tail = text

    def inline(self, item: Inline, parent: etree._Element, segment: Segment, lang: str,
               skip: bool) -> etree._Element:
        """``item`` as a new element, the last child of ``parent`` (in ``lang``)."""
        kind = item.kind
        if kind == "noteref":
            return self.noteref(item, parent, segment, lang, skip)
        if kind == "link":
            href = safe_href(item.attr("href") or "")
            el = bare("a", parent=parent, href=href) if href else \
                bare("span", parent=parent, class_="link")
        elif kind == "notranslate":
            el = bare("span", parent=parent, translate="no")
            skip = True
        elif kind == "foreign":
            el = bare("i", parent=parent, class_="foreign")
        else:                                    # bare(tag), written out
            el = etree.SubElement(parent, _INLINE_TAGS.get(kind, _SPAN))
        own_lang = item.attr("lang") if kind == "title" or kind == "foreign" else None
        context = segment.lang or self.lang
        if own_lang and own_lang != context:
            set_lang(el, own_lang, context)
            lang = own_lang
        self.inlines(item.children, el, segment, lang, skip)
        return el

    def noteref(self, item: Inline, parent: etree._Element, segment: Segment, lang: str,
                skip: bool) -> etree._Element:
        attrs = dict(item.attrs)                 # (item.attr, once)
        target = attrs.get("target") or ""
        label = attrs.get("n") or "".join([c for c in item.children if isinstance(c, str)])
        self.called.append(target)
        if target not in self.notes:
            self.diagnostics.append(Diagnostic(
                "build.note-missing", f"segment {segment.id}: note reference {label!r} "
                f"points to #{target}, which is not in this edition; shown unlinked",
                str(segment.location or segment.id)))
            el = bare("span", parent=parent, class_="noteref")
        else:
            count = self.ref_count.get(target, 0)
            self.ref_count[target] = count + 1
            ref_id = self.ref_ids[target][count]
            # bare("a", href=..., id=..., epub_type=..., role=...), written out
            el = etree.SubElement(parent, _A)
            el.set("href", f"#{target}")
            el.set("id", ref_id)
            el.set(EPUB_TYPE, "noteref")
            el.set("role", "doc-noteref")
        if label:                                # as bare(tag, label) sets it
            text = clean(label)
            if text and not skip and self.typesetting:
                self.set(el, "text", text, lang)
            else:
                el.text = text
        return el

    def _plan_note_refs(self) -> dict[str, list[str]]:
        """Ids of every note reference, in document order (backlinks need them first)."""
        refs: dict[str, list[str]] = {}
        targets: list[str] = []                  # (model.noteref_targets, without generators)
        for segment in self.calling:
            _note_targets(segment.content, targets)
        self.targets = targets
        notes, new = self.notes, self.ids.new
        for target in targets:
            if target in notes:
                refs.setdefault(target, []).append(new(f"ref-{target}"))
        return refs


class _SkeletonBuilder(_EssayRenderer):
    """Renders an essay's :class:`_Skeleton`: its structure, without its segments'
    content or language, its furniture or its backlinks' labels (those are recorded)."""

    def __init__(self, doc: Document, lang: str, furniture: Furniture) -> None:
        super().__init__(doc, lang, furniture)
        # a skeleton serves every language of its essay: made with a space between the
        # segments (most languages'), taken out again for those without (ja, zh: see
        # _Skeleton.fill), each span after which it is recorded
        self.separator = " "
        self.separated: list[int] = []
        self.furnished: list[tuple[etree._Element, str]] = []
        self.backlinks: list[etree._Element] = []
        self.empty_notes: list[etree._Element] = []
        self.spans = 0
        self.segment_ids: list[str] = []
        self.typesetting = False                 # (an empty note's line: not yet)

    def leaf(self, block: Block, parent: etree._Element, level: int) -> etree._Element:
        """:meth:`_EssayRenderer.leaf` without the segments' content."""
        tag, attrs = _HEADINGS[min(level, 6)] if block.kind == "head" else \
            _LEAF_ELEMENTS.get(block.kind, _P)
        el = etree.SubElement(parent, tag, attrs)
        separator, claim, separated = self.separator, self.ids.claim, self.separated
        span = None
        for segment in block.segments:
            if span is not None:
                span.tail = separator
                separated.append(self.spans - 1)
            span = etree.SubElement(el, _SPAN)
            if claim(segment.id):
                span.set("id", segment.id)
            self.spans += 1
            self.segment_ids.append(segment.id)
        return el

    def furnish_heading(self, heading: etree._Element, key: str) -> None:
        self.furnished.append((heading, key))

    def label_backlink(self, back: etree._Element) -> None:
        self.backlinks.append(back)

    def empty_note(self, item: etree._Element) -> etree._Element:
        p = bare("p", parent=item, class_="editorial-line")
        self.empty_notes.append(p)
        return p

    def editorial(self, parent: etree._Element, text: str,
                  typeset: bool = True) -> etree._Element:
        """(A figure without its picture: its line is made of its caption's segments,
        typeset with its editorial text; rare, rendered whole.)"""
        raise _Unsupported


_LEAF_KINDS = frozenset({"title", "subtitle", "byline", "dateline", "caption", "head", "p"})
# the container blocks rendered by a method of their own: kind -> the method
_HANDLERS = {"div": _EssayRenderer.division, "notes": _EssayRenderer.notes_section,
             "note": _EssayRenderer.note, "bio": _EssayRenderer.titled,
             "comments": _EssayRenderer.titled}


def _notes_and_calls(doc: Document) -> tuple[dict[str, Block], list[Segment]]:
    """:func:`model.notes_by_id`, and the segments that may call a note (those that are
    not one string), in document order: one walk of the blocks, without generators."""
    notes: dict[str, Block] = {}
    calling: list[Segment] = []
    for _, blocks in doc.sections:
        _walk_notes(blocks, notes, calling)
    return notes, calling


def _walk_notes(blocks: tuple[Block, ...], notes: dict[str, Block],
                calling: list[Segment]) -> None:
    """:func:`_notes_and_calls` of ``blocks`` and the blocks inside them, in document
    order, into ``notes`` and ``calling``. (Recursive, on the blocks' own tuples: faster
    than a stack of them, and an essay is never deep.)"""
    add = calling.append
    for block in blocks:
        if block.kind == "note" and block.id:
            notes[block.id] = block
        for segment in block.segments:
            content = segment.content
            if len(content) != 1 or not isinstance(content[0], str):
                add(segment)
        if block.children:
            _walk_notes(block.children, notes, calling)


def _note_targets(content: Content, targets: list[str]) -> None:
    """:func:`model.noteref_targets` of ``content``, appended to ``targets``."""
    for item in content:
        if isinstance(item, Inline):
            if item.kind == "noteref":
                targets.append(item.attr("target", ""))
            else:
                _note_targets(item.children, targets)


def _plain(segment: Segment) -> bool:
    """The segment is one string (most are): no inline element, no note call."""
    content = segment.content
    return len(content) == 1 and isinstance(content[0], str)


def _has_segments(block: Block) -> bool:
    """``block`` or a block inside it has a segment."""
    return bool(block.segments) or any(_has_segments(child) for child in block.children)


def safe_href(href: str) -> str:
    """``href`` if its scheme is allowed (percent-encoded where needed), else ""."""
    href = clean(href).strip()
    try:
        scheme = urlsplit(href).scheme.lower()
    except ValueError:
        return ""
    if scheme not in LINK_SCHEMES:
        return ""
    return quote(href, safe=":/?#[]@!$&'()*+,;=%~")
