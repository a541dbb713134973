"""XHTML building blocks (lxml), shared by the EPUB and HTML writers: elements, language
marking, pages and their serialisation. The essay itself is rendered by ``writers/essay.py``.

Pages are built in the XHTML namespace with EPUB semantics (``epub:type``, ``xml:lang``);
``writers/html.py`` turns them into HTML5. The essay's own elements (``writers/essay.py``:
its ``<section>`` and everything in it, several hundred elements) are made in no namespace
(:func:`bare`): lxml makes them about a third faster than namespaced ones (it looks up
the namespace's declaration for each), and the HTML page then has nothing to rename in
them. Put into a page, whose ``<html>`` declares XHTML the default namespace, they are
written as the page's own elements are (``<p>``, never ``xmlns=""``: libxml2 writes an
element's name and the declarations it has, nothing else), and read back as XHTML; in the
tree they are found by their plain names (``"p"``, not :func:`x`).
"""
from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

from .. import languages
from ..xmlchars import clean

XHTML_NS = "http://www.w3.org/1999/xhtml"
EPUB_NS = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{EPUB_NS}}}type"
NSMAP = {None: XHTML_NS, "epub": EPUB_NS}
BARE_NSMAP = {"epub": EPUB_NS}          # a bare tree's root: its epub:type has its prefix
_SPACES = re.compile(r"[ \t\n\r\f]+")
BLOCK_TAGS = frozenset({"html", "head", "body", "section", "header", "footer", "nav", "main",
                         "article", "aside", "div", "blockquote", "figure", "ol", "ul", "li",
                         "dl", "dt", "dd", "p", "h1", "h2", "h3", "h4", "h5", "h6",
                         "figcaption", "title", "link", "meta", "img"})

# the same, in the XHTML namespace and in none (as trees made here name them)
_BLOCK_QNAMES = frozenset(BLOCK_TAGS | {f"{{{XHTML_NS}}}{tag}" for tag in BLOCK_TAGS})


def x(tag: str) -> str:
    return f"{{{XHTML_NS}}}{tag}"


_ATTR_NAMES = {"class_": "class", "epub_type": EPUB_TYPE, "aria_label": "aria-label"}
_QNAMES: dict[str, str] = {}     # tag -> {XHTML}tag


def element(tag: str, text: str = "", parent: etree._Element | None = None,
            **attrs: str) -> etree._Element:
    """An XHTML element; ``class_`` sets class; ``epub_type`` sets epub:type."""
    qname = _QNAMES.get(tag)
    if qname is None:
        qname = _QNAMES[tag] = x(tag)
    el = etree.SubElement(parent, qname) if parent is not None \
        else etree.Element(qname, nsmap=NSMAP)  # type: ignore[arg-type]  # lxml-stubs
    return _finish(el, text, attrs)


def bare(tag: str, text: str = "", parent: etree._Element | None = None,
         **attrs: str) -> etree._Element:
    """:func:`element` in no namespace (the essay's elements: see the module's
    docstring). A new root declares the ``epub`` prefix, not the default namespace (its
    elements are in none)."""
    el = etree.SubElement(parent, tag) if parent is not None \
        else etree.Element(tag, nsmap=BARE_NSMAP)
    return _finish(el, text, attrs)


def _finish(el: etree._Element, text: str, attrs: dict[str, str]) -> etree._Element:
    """``el`` with the attributes and text :func:`element` was given."""
    for key, value in attrs.items():     # set one by one: cheaper than a dictionary given
        if value:
            el.set(_ATTR_NAMES.get(key) or key.replace("_", "-"), value)
    if text:
        el.text = clean(text)
    return el


def find(parent: etree._Element, path: str) -> etree._Element:
    """The element at ``path`` under ``parent``, which a page made here always has."""
    found = parent.find(path)
    if found is None:
        raise ValueError(f"no {path} in <{etree.QName(parent).localname}>")
    return found


def append_text(parent: etree._Element, text: str) -> None:
    text = clean(text)
    if not text:
        return
    if len(parent):
        parent[-1].tail = (parent[-1].tail or "") + text
    else:
        parent.text = (parent.text or "") + text


_ISOLATES = re.compile(f"{languages.FSI}([^{languages.FSI}{languages.PDI}]*){languages.PDI}")


def set_isolated_text(el: etree._Element, text: str) -> bool:
    """``el`` given ``text`` (not empty) as :func:`element` gives it, each name isolated
    in it by :func:`languages.isolate` (between FSI and PDI) put in a ``<bdi>`` instead,
    which HTML lays out as a unit in its own direction (valid in EPUB 3's XHTML; a
    reading system without HTML5 shows the name as the text around it). Whether it
    has any (then ``el`` is to be typeset as a tree, not as a text)."""
    text = clean(text)
    if languages.FSI not in text:
        el.text = text
        return False
    parts = _ISOLATES.split(text)
    el.text = parts[0] or None
    for name, after in zip(parts[1::2], parts[2::2], strict=True):
        bdi = element("bdi", name, parent=el)
        bdi.tail = after or None
    return len(parts) > 1


def set_lang(el: etree._Element, tag: str, context_lang: str | None = None) -> None:
    """``lang`` and ``xml:lang`` (they must agree), and ``dir`` where the direction changes."""
    el.set("lang", tag)
    el.set(XML_LANG, tag)
    direction = _direction(tag)
    if context_lang is None:
        if direction == "rtl":
            el.set("dir", direction)
    elif direction != _direction(context_lang):
        el.set("dir", direction)


_DIRECTIONS: dict[str, str] = {}


def _direction(tag: str) -> str:
    """``languages.direction(tag)``, remembered: set_lang runs for every segment that fell
    back to the source language, and a tag out of ``languages.PLAIN`` is looked up in
    langcodes' tables."""
    found = _DIRECTIONS.get(tag)
    if found is None:
        if len(_DIRECTIONS) >= 4096:
            _DIRECTIONS.clear()
        found = _DIRECTIONS[tag] = languages.direction(tag)
    return found


def text_lang(el: etree._Element) -> str:
    """The language ``el``'s visible text is marked with when it is not the page's ("" if
    it is the page's, or mixed): ``el``'s own ``lang``, else the one ``lang`` of every
    child holding text (a heading whose segments all fell back to the source language);
    note references do not count."""
    own = el.get("lang")
    if own:
        return own
    langs = {""} if (el.text or "").strip() else set()
    for child in el:
        if child.get("role") != "doc-noteref" and visible_text(child):
            langs.add(child.get("lang") or "")
        if (child.tail or "").strip():
            langs.add("")
    return langs.pop() if len(langs) == 1 else ""


def visible_text(el: etree._Element) -> str:
    """Text content without note references, whitespace collapsed (for TOC and metadata)."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if node.get("role") != "doc-noteref":
            parts.append(node.text or "")
            for child in node:
                walk(child)
        parts.append(node.tail or "")

    walk(el)
    parts[-1] = ""  # the element's own tail
    return _SPACES.sub(" ", "".join(parts)).strip(" ")     # keeps no-break spaces


# ---------------------------------------------------------------- pages

def page(title: str, lang: str, css_href: str | None = None,
         body_type: str = "", make: Callable[..., etree._Element] = element,
         head_first: tuple[dict[str, str], ...] = ()
         ) -> tuple[etree._Element, etree._Element]:
    """A new XHTML page: (root, body). ``make``: :func:`bare` for a page in no namespace
    (an HTML page made as such, see writers.html.essay_html), whose ``<head>`` starts
    with a ``<meta>`` of each of ``head_first``'s attributes."""
    root = make("html")
    set_lang(root, lang)
    head = make("head", parent=root)
    for attrs in head_first:
        meta = make("meta", parent=head)
        for key, value in attrs.items():
            meta.set(key, value)
    make("title", title, parent=head)
    if css_href:
        make("link", parent=head, rel="stylesheet", type="text/css", href=css_href)
    body = make("body", parent=root, epub_type=body_type)
    return root, body


def indent(el: etree._Element, level: int = 0, keep: etree._Element | None = None,
           again: etree._Element | None = None, made: Layout | None = None) -> None:
    """Indent block structure only; never adds whitespace inside running text.

    An element is indented when it has element children only, all of block tags, and no
    text but whitespace before or between them (then its children are looked at, one
    level deeper). Each element's indentation depends on it alone: they are visited with
    a stack, in any order.

    ``keep``: an element under ``el`` whose layout (see :class:`Layout`) is kept, for the
    next call given it as ``again``; ``again``: an element under ``el`` whose structure
    and text are what they were when its layout was kept (its whitespace, attributes and
    place may have changed): its layout is put again at its depth now, without looking at
    it (an essay's section, indented for its EPUB chapter, then for its HTML page one
    level deeper). An ``again`` whose layout is not the kept one is walked.

    ``made``: the layout of ``keep``, already known (a copy of an essay's skeleton, see
    writers/essay.py: the same blocks as the skeleton, whose layout was found once): put
    at its depth and kept, without walking ``keep``."""
    layout = _KEPT_LAYOUT[0] if again is not None or keep is not None else None
    if layout is not None:
        _KEPT_LAYOUT[0] = None                   # put once
        if layout.root is not again:
            layout = None
    if made is not None and made.root is keep:
        layout, keep = made, None                # (put, then kept, below)
        _KEPT_LAYOUT[0] = made
    _indent(el, level, keep, layout, None)


def _indent(el: etree._Element, level: int, keep: etree._Element | None,
            layout: Layout | None, found: list | None) -> None:
    """:func:`indent`; each element indented listed in ``found`` if given."""
    stack = [(el, level)]
    pop, push = stack.pop, stack.append
    blocks = _BLOCK_QNAMES
    while stack:
        el, level = pop()
        if el is keep:
            kept: list = []
            _KEPT_LAYOUT[0] = Layout(el, level, kept)
            _indent(el, level, None, None, kept)
            continue
        if layout is not None and el is layout.root:
            layout.put(level)
            continue
        if not len(el) or (el.text or "").strip():
            continue
        # looked at one by one, not listed first: most elements with children are
        # paragraphs, whose first child (a segment's span) already says no; those looked
        # at are kept, not asked of the tree again
        children: list[etree._Element] = []
        for child in el:
            tag = child.tag
            if tag not in blocks and (not isinstance(tag, str)
                                      or tag[tag.find("}") + 1:] not in BLOCK_TAGS) \
                    or (child.tail or "").strip():
                break
            children.append(child)
        else:
            pad = _pad(level + 1)
            el.text = pad
            for child in children:
                child.tail = pad
                if len(child):               # (a leaf has nothing to indent)
                    push((child, level + 1))
            children[-1].tail = _pad(level)
            if found is not None:
                found.append((el, level, children))


def layout_of(el: etree._Element) -> Layout:
    """The layout :func:`indent` gives ``el`` (indented, as at level 0)."""
    found: list = []
    _indent(el, 0, None, None, found)
    return Layout(el, 0, found)


class Layout:
    """Where :func:`indent` put whitespace in the subtree of ``root``, at ``level``: each
    element it indented, with its level and its children. Put again at another level, the
    subtree gets the whitespace :func:`indent` would give it there (the same elements
    indented, each at the same distance from ``root``), for a fifth of the time of
    walking it again (the tags and texts of its blocks are not read)."""
    __slots__ = ("root", "level", "blocks")

    def __init__(self, root: etree._Element, level: int,
                 blocks: list[tuple[etree._Element, int, list[etree._Element]]]) -> None:
        self.root, self.level, self.blocks = root, level, blocks

    def put(self, level: int) -> None:
        shift = level - self.level
        for el, at, children in self.blocks:
            pad = _pad(at + shift + 1)
            el.text = pad
            for child in children:
                child.tail = pad
            children[-1].tail = _pad(at + shift)


# the layout kept by the last indent() given ``keep`` (None: none, or put again)
_KEPT_LAYOUT: list[Layout | None] = [None]


_PADS = ["\n" + "  " * level for level in range(32)]


def _pad(level: int) -> str:
    """A new line and the indentation of ``level`` (made once for the usual depths)."""
    return _PADS[level] if 0 <= level < len(_PADS) else "\n" + "  " * level


def serialize(root: etree._Element, keep: etree._Element | None = None,
              made: Layout | None = None) -> bytes:
    """An XHTML document, UTF-8, with the HTML5 doctype (``keep``, ``made``: see
    :func:`indent`)."""
    indent(root, keep=keep, made=made)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>") + b"\n"


# The stand-in for an essay's section in its page while the page is serialised (see
# :func:`serialize_around`), and its bytes, as an XHTML chapter and as an HTML page write it
_STAND_IN = "data-serge-essay"
_STAND_IN_BYTES = (b'<section data-serge-essay="1"/>',
                   b'<section data-serge-essay="1"></section>')
_EPUB_DECLARATION = f' xmlns:epub="{EPUB_NS}"'.encode()


def serialize_around(root: etree._Element, parent: etree._Element,
                     section: etree._Element, layout: Layout | None,
                     write: Callable[[etree._Element], bytes] = serialize,
                     html: bool = False) -> bytes | None:
    """The bytes of the page ``root`` with ``section`` as the last child of ``parent``, as
    ``write`` writes a page (indented from scratch: :func:`serialize` a chapter; with
    ``html``, writers.html's writer of an HTML page, whose ``root`` and ``section`` have no
    namespaced attribute left), without moving the section into the page: None when that
    cannot be done (the caller moves it, as before).

    ``section`` is an essay's section as writers.essay.render_essay gives it: the root of
    a tree of its own, laid out by ``layout`` (its indentation, see :class:`Layout`). Moving
    a subtree into another tree, lxml walks all of it (fixing its namespaces, and the
    document of each of its elements Python holds: the hundreds of a tree filled in again
    for each language, see writers.essay._Live); an essay's section was moved three times
    an edition (into its chapter, out, into its page), 0.3 ms of the 13 of an
    essay-language at N=200.

    So the page is serialised by lxml with a stand-in (an empty ``<section>``: a block, laid
    out as the section is) where the section goes, the section by lxml at the stand-in's
    depth, and the section's bytes put in the page's in place of the stand-in's. The only
    difference lxml makes between the section on its own and in the page is the
    declaration of the ``epub`` prefix, which the section, the root of its tree, carries
    and the page's root already has: it is left out. Anything else unexpected (the
    stand-in's bytes not found once, another declaration) gives None. Tested byte for
    byte against the section moved into the page (tests/test_render_splice.py)."""
    if layout is None or layout.root is not section or section.getparent() is not None:
        return None
    stand_in = etree.SubElement(parent, "section", {_STAND_IN: "1"})
    try:
        level = sum(1 for _ in stand_in.iterancestors())
        page = write(root)
    finally:
        parent.remove(stand_in)
    before, found, after = page.partition(_STAND_IN_BYTES[html])
    if not found or _STAND_IN_BYTES[html] in after:
        return None
    layout.put(level)
    _KEPT_LAYOUT[0] = layout                     # (as indent's ``made`` keeps it)
    own = etree.tostring(section, encoding="utf-8", with_tail=False,
                         method="html" if html else "xml")
    if not html and own.startswith(b"<section" + _EPUB_DECLARATION):
        own = b"<section" + own[len(_EPUB_DECLARATION) + 8:]
    if not own.startswith(b"<section") or b" xmlns" in own:   # (a text with it: rare)
        return None
    return b"".join((before, own, after))
