"""The package documents of an EPUB, built as lxml trees: the OPF (``content.opf``), the
navigation document (``nav.xhtml``) and the NCX (``toc.ncx``), and ``container.xml``.

They are laid out as EbookLib 0.20 laid them out, re-zipped by the old ``epubzip.rezip``
(``xml:lang`` on ``<package>``, the generator named, landmarks hidden, English words of
the navigation document marked, the NCX's true depth), so every edition keeps its bytes:
the metadata grouped by name in the order the names first come, the indentation of
lxml's ``pretty_print``, an empty text an empty element (``<a/>``, as the old re-parse
wrote it). The OPF's ``<metadata>`` declares the ``opf`` prefix and its
``<meta>`` children are written without a prefix, in the package's default namespace:
they are made as elements without a namespace there (an element made in the OPF
namespace would take the ``opf`` prefix declared on its parent).
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass

from lxml import etree

from .. import languages
from .epubzip import Deflated
from .xhtml import clean, set_lang

OPF_NS = "http://www.idpf.org/2007/opf"
DC_NS = "http://purl.org/dc/elements/1.1/"
NCX_NS = "http://www.daisy.org/z3986/2005/ncx/"
OPS_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"
CONTAINER_NS = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = f"{{{OPS_NS}}}type"
FOLDER = "EPUB"
IDENTIFIER_ID = "id"

Attrs = dict[str, str]


class Metadata:
    """The OPF's metadata in the order it is written: by namespace (the generator's,
    Dublin Core, then the ``<meta>`` refinements), within one by name in the order each
    name first came, then in the order added."""

    def __init__(self, identifier: str, generator: str) -> None:
        self.groups: dict[str | None, dict[str, list[tuple[str, Attrs | None]]]] = {}
        self.add(OPF_NS, "generator", "", {"name": "generator", "content": generator})
        self.add(DC_NS, "identifier", identifier, {"id": IDENTIFIER_ID})

    def add(self, namespace: str | None, name: str, value: str,
            attrs: Attrs | None = None) -> None:
        self.groups.setdefault(namespace, {}).setdefault(name, []).append((value, attrs))

    def dc(self, name: str, value: str, attrs: Attrs | None = None) -> None:
        self.add(DC_NS, name, value, attrs)

    def meta(self, value: str, attrs: Attrs) -> None:
        self.add(None, "meta", value, attrs)


@dataclass(frozen=True)
class Item:
    """A file of the package: its manifest entry and its bytes."""
    id: str
    href: str
    media_type: str
    content: bytes | Deflated          # (a chapter: maybe its stream, see epubzip)
    properties: str = ""


@dataclass(frozen=True)
class Link:
    """An entry of the table of contents, and the entries under it."""
    href: str
    title: str
    children: tuple[Link, ...] = ()
    uid: str = ""               # a leaf's NCX id
    lang: str = ""              # the title's language when not the book's (a fallback)


class _Frames:
    """Package documents' trees by their shape (all they are made of but the texts,
    language and file names a book gives them), made once and copied for each book
    (lxml copies a tree in C, for a fraction of the time of making it element by
    element). The essays of a language share their shapes, and the languages of an essay
    theirs but for the languages of their texts: what differs is the number of
    authors, of translators, of subjects. At most ``limit`` shapes, the oldest dropped."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._frames: dict[tuple, etree._Element] = {}

    def copy(self, key: tuple, make: Callable[[], etree._Element]) -> etree._Element:
        """A copy of the tree of shape ``key``, made by ``make`` when new."""
        frame = self._frames.get(key)
        if frame is None:
            frame = make()
            while len(self._frames) >= self.limit:
                del self._frames[next(iter(self._frames))]
            self._frames[key] = frame
        return copy(frame)               # (lxml: all of it)

    def clear(self) -> None:
        self._frames.clear()


_FRAMES = _Frames(256)


def container_xml() -> bytes:
    root = etree.Element(f"{{{CONTAINER_NS}}}container", nsmap={None: CONTAINER_NS},  # type: ignore[dict-item]  # lxml-stubs: None key
                         version="1.0")
    files = etree.SubElement(root, f"{{{CONTAINER_NS}}}rootfiles")
    etree.SubElement(files, f"{{{CONTAINER_NS}}}rootfile", {
        "media-type": "application/oebps-package+xml", "full-path": f"{FOLDER}/content.opf"})
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + \
        etree.tostring(root, encoding="unicode", pretty_print=True).encode("utf-8")


def opf(metadata: Metadata, modified: str, lang: str, items: list[Item],
        spine: list[Item]) -> bytes:
    """``content.opf``: ``modified`` the dcterms:modified stamp; the manifest lists
    ``items`` in order, the NCX (id ``ncx``) among them.

    Its elements are those of every book of the same shape (the metadata's names and
    attributes, the manifest's ids and types, the spine): made once a shape
    (:func:`_opf_frame`), copied, and given this book's texts, language and file names."""
    rtl = languages.direction(lang) == "rtl"
    shape = tuple((namespace, name, tuple(None if extra is None else tuple(extra.items())
                                          for _, extra in values))
                  for namespace, names in metadata.groups.items()
                  for name, values in names.items())
    manifest = tuple((item.id, item.media_type, item.properties) for item in items)
    order = tuple(item.id for item in spine)
    root = _FRAMES.copy(("opf", rtl, shape, manifest, order),
                        lambda: _opf_frame(rtl, shape, manifest, order))
    root.set(XML_LANG, lang)
    meta = iter(root[0])
    next(meta).text = modified
    for names in metadata.groups.values():
        for values in names.values():
            for value, _ in values:
                el = next(meta)
                if value:
                    try:
                        el.text = value
                    except ValueError:  # a character XML forbids (a catalogue's): dropped
                        el.text = clean(value) or None
    for el, item in zip(root[1], items, strict=True):
        el.set("href", item.href)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def _opf_frame(rtl: bool, shape: tuple, manifest: tuple, spine: tuple) -> etree._Element:
    """The OPF of a shape (see :func:`opf`) without its language, texts and file names:
    the ``<meta>`` of the dcterms:modified stamp and each metadata element, empty; each
    manifest item with an empty ``href``."""
    attrs = {"unique-identifier": IDENTIFIER_ID, "version": "3.0"}
    if rtl:
        attrs["dir"] = "rtl"
    attrs["prefix"] = "rendition: http://www.idpf.org/vocab/rendition/#"
    root = etree.Element(f"{{{OPF_NS}}}package", attrs,
                         nsmap={None: OPF_NS})  # type: ignore[dict-item]  # lxml-stubs: None key
    root.set(XML_LANG, "")
    meta = etree.SubElement(root, "metadata", nsmap={"dc": DC_NS, "opf": OPF_NS})
    etree.SubElement(meta, "meta", {"property": "dcterms:modified"})
    for namespace, name, extras in shape:
        tag = "meta" if namespace in (OPF_NS, None) else f"{{{namespace}}}{name}"
        for extra in extras:
            etree.SubElement(meta, tag, None if extra is None else dict(extra))
    manifest_el = etree.SubElement(root, f"{{{OPF_NS}}}manifest")
    for uid, media_type, properties in manifest:
        entry = {"href": "", "id": uid, "media-type": media_type}
        if properties:
            entry["properties"] = properties
        etree.SubElement(manifest_el, f"{{{OPF_NS}}}item", entry)
    order = {"toc": "ncx"}
    if rtl:
        order["page-progression-direction"] = "rtl"
    spine_el = etree.SubElement(root, f"{{{OPF_NS}}}spine", order)
    for uid in spine:
        etree.SubElement(spine_el, f"{{{OPF_NS}}}itemref", {"idref": uid})
    return root


def ncx(identifier: str, title: str, toc: list[Link]) -> bytes:
    """``toc.ncx``: the table of contents for EPUB 2 reading systems; ``dtb:depth`` as
    deep as it goes."""
    root = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS},  # type: ignore[dict-item]  # lxml-stubs: None key
                         version="2005-1")
    head = etree.SubElement(root, f"{{{NCX_NS}}}head")
    for name, content in (("dtb:uid", identifier), ("dtb:depth", str(max(_depth(toc), 1))),
                          ("dtb:totalPageCount", "0"), ("dtb:maxPageNumber", "0")):
        etree.SubElement(head, f"{{{NCX_NS}}}meta", {"content": content, "name": name})
    etree.SubElement(etree.SubElement(root, f"{{{NCX_NS}}}docTitle"),
                     f"{{{NCX_NS}}}text").text = title or None
    nav_map = etree.SubElement(root, f"{{{NCX_NS}}}navMap")

    def points(parent: etree._Element, links: tuple[Link, ...] | list[Link], uid: int) -> int:
        for link in links:
            point = _new_point()    # all of it (lxml's copy): not four elements made
            parent.append(point)
            point.set("id", f"sep_{uid}" if link.children else link.uid)
            if link.title:
                point[0][0].text = link.title
            point[1].set("src", link.href)
            if link.children:
                uid = points(point, link.children, uid + 1)
        return uid

    points(nav_map, toc, 0)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          pretty_print=True).rstrip(b"\n")


def _nav_point() -> etree._Element:
    """An NCX's ``<navPoint>`` with its label and content, their values empty: copied for
    each entry of the table of contents."""
    root = etree.Element(f"{{{NCX_NS}}}ncx", nsmap={None: NCX_NS})  # type: ignore[dict-item]  # lxml-stubs: None key
    point = etree.SubElement(root, f"{{{NCX_NS}}}navPoint", {"id": ""})
    etree.SubElement(etree.SubElement(point, f"{{{NCX_NS}}}navLabel"), f"{{{NCX_NS}}}text")
    etree.SubElement(point, f"{{{NCX_NS}}}content", {"src": ""})
    return point


_NAV_POINT = _nav_point()
# its copy, asked of lxml itself (not through the copy module: a book has dozens)
_new_point: Callable[[], etree._Element] = _NAV_POINT.__copy__  # type: ignore[attr-defined]


def _depth(links: tuple[Link, ...] | list[Link]) -> int:
    """How deep ``links`` go (0: none); an entry without children is not walked into (an
    anthology's table has thousands)."""
    return max((1 + _depth(link.children) if link.children else 1 for link in links),
               default=0)


def _href(href: str) -> str:
    """A link of the navigation document, normalised as EbookLib wrote it (its path
    relative to the document's folder, the package's: the same, tidied). A link
    without a ``/`` (every one a book made here has: its files are side by side) is
    what ``posixpath.normpath`` gives of it, but for "" (then "."), without its walk
    (an anthology's table has thousands)."""
    if "/" not in href:
        return href or "."
    return posixpath.normpath(href)


def nav(title: str, lang: str, toc: list[Link], landmarks_title: str,
        landmarks: list[tuple[str, str, str]], english: frozenset[str]) -> bytes:
    """``nav.xhtml``: the table of contents and the (hidden) landmarks, each a (type,
    href, title); the texts in ``english`` (furniture a language has no words for yet)
    marked as English."""
    x = f"{{{XHTML_NS}}}"
    root = copy(_NAV_DOCUMENT)
    root.set("lang", lang)
    root.set(XML_LANG, lang)
    if languages.direction(lang) == "rtl":      # (as every other page of the book)
        root.set("dir", "rtl")
    head, body = root
    if title:
        head[0].text = title
    contents = body[0]
    if title:
        contents[0].text = title

    def entries(parent: etree._Element, links: tuple[Link, ...] | list[Link]) -> None:
        ol = etree.SubElement(parent, f"{x}ol")
        for link in links:
            li = _new_entry()
            ol.append(li)
            a = li[0]
            a.set("href", _href(link.href))
            if link.title:
                a.text = link.title
            if link.lang and link.lang != lang:
                set_lang(a, link.lang, lang)
            if link.children:
                entries(li, link.children)

    entries(contents, toc)
    if landmarks:
        guide = etree.SubElement(body, f"{x}nav", {EPUB_TYPE: "landmarks"})
        etree.SubElement(guide, f"{x}h2").text = landmarks_title or None
        ol = etree.SubElement(guide, f"{x}ol")
        for kind, href, text in landmarks:
            etree.SubElement(etree.SubElement(ol, f"{x}li"), f"{x}a", {
                EPUB_TYPE: kind, "href": _href(href)}).text = text or None
        guide.set("hidden", "hidden")
    if english:
        rtl = languages.direction(lang) != "ltr"
        for el in root.iter(f"{x}title", f"{x}h1", f"{x}h2", f"{x}a", f"{x}span"):
            if len(el) == 0 and (el.text or "").strip() in english:
                el.set("lang", "en")
                el.set(XML_LANG, "en")
                if rtl:
                    el.set("dir", "ltr")
    return etree.tostring(root, xml_declaration=True, encoding="utf-8",
                          doctype="<!DOCTYPE html>", pretty_print=True).rstrip(b"\n")


def _nav_document() -> etree._Element:
    """The navigation document before its language, title and entries: copied for each
    book, not made element by element."""
    x = f"{{{XHTML_NS}}}"
    root = etree.Element(f"{x}html", nsmap={None: XHTML_NS, "epub": OPS_NS})  # type: ignore[dict-item]  # lxml-stubs: None key
    root.set("lang", "")
    root.set(XML_LANG, "")
    head = etree.SubElement(root, f"{x}head")
    etree.SubElement(head, f"{x}title")
    etree.SubElement(head, f"{x}link", {"href": "style.css", "rel": "stylesheet",
                                         "type": "text/css"})
    body = etree.SubElement(root, f"{x}body")
    contents = etree.SubElement(body, f"{x}nav", {EPUB_TYPE: "toc", "id": "id",
                                                   "role": "doc-toc"})
    etree.SubElement(contents, f"{x}h2")
    return root


def _nav_entry() -> etree._Element:
    """An entry of the navigation document's contents, ``<li><a href=""/></li>``."""
    entry = etree.Element(f"{{{XHTML_NS}}}li", nsmap={None: XHTML_NS})  # type: ignore[dict-item]  # lxml-stubs: None key
    etree.SubElement(entry, f"{{{XHTML_NS}}}a", {"href": ""})
    return entry


_NAV_DOCUMENT = _nav_document()
_NAV_ENTRY = _nav_entry()
_new_entry: Callable[[], etree._Element] = _NAV_ENTRY.__copy__  # type: ignore[attr-defined]
