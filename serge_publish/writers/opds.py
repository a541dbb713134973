"""OPDS catalogues of a release, for e-reader apps (KOReader, Thorium, calibre):

- OPDS 1.2 (Atom): ``opds/catalog.xml``, a navigation feed with one entry per language,
  and ``opds/<lang>.xml``, the acquisition feed of each language (its essays and the
  anthology), linked to each other as facets of the group "Language".
- OPDS 2.0 (JSON): ``opds/catalog.json`` (every publication, a navigation by language and
  the same facets) and ``opds/<lang>.json``.

Each publication has its title, authors, language, summary, cover and an open-access
acquisition link to its EPUB. Links are relative to the feed, so they resolve inside the
bundle wherever it is served. Atom is built as an lxml tree, OPDS 2.0 with ``json``.
"""
from __future__ import annotations

import json

from lxml import etree

from .. import languages
from .html import EPUB_MEDIA_TYPE
from .site_meta import relative
from .site_model import EssayEntry, LanguageEntry, SiteInfo

ATOM, DC, OPDS = "http://www.w3.org/2005/Atom", "http://purl.org/dc/terms/", \
    "http://opds-spec.org/2010/catalog"
NSMAP = {None: ATOM, "dc": DC, "opds": OPDS}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPDS2 = "application/opds+json"
OPEN_ACCESS = "http://opds-spec.org/acquisition/open-access"
IMAGE, THUMBNAIL = "http://opds-spec.org/image", "http://opds-spec.org/image/thumbnail"
FACET = "http://opds-spec.org/facet"
COVER_TYPE, COVER_SIZE = "image/svg+xml", (1200, 1800)
ROOT_XML, ROOT_JSON = "opds/catalog.xml", "opds/catalog.json"


def feeds(info: SiteInfo, feed_id) -> dict[str, bytes]:
    """Every feed of the release: site path -> bytes. ``feed_id(name)`` gives the stable
    id (a URN) of the feed ``name``."""
    files = {ROOT_XML: _atom_root(info, feed_id), ROOT_JSON: _json_feed(info, None)}
    for entry in info.languages:
        files[f"opds/{entry.lang}.xml"] = _atom_language(info, entry, feed_id)
        files[f"opds/{entry.lang}.json"] = _json_feed(info, entry)
    return files


def editions(entry: LanguageEntry) -> tuple[EssayEntry, ...]:
    return (*entry.essays, *([entry.anthology] if entry.anthology else []))


def latest(info: SiteInfo) -> str:
    """When the catalogue last changed: its newest edition (RFC 3339)."""
    return max(rfc3339(e.modified) for entry in info.languages for e in editions(entry))


def rfc3339(iso: str) -> str:
    """An ISO date or UTC date-time as Atom writes it (2024-05-01T00:00:00Z)."""
    if "T" in iso:
        return iso.replace("+00:00", "Z")
    return f"{iso}T00:00:00Z"


# ---------------------------------------------------------------- OPDS 1.2 (Atom)

def _sub(parent: etree._Element, ns: str, tag: str, text: str = "", **attrs: str
         ) -> etree._Element:
    el = etree.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text:
        el.text = text
    return el


def _link(parent: etree._Element, rel: str, href: str, type_: str, **attrs: str) -> None:
    link = _sub(parent, ATOM, "link", rel=rel, href=href, type=type_)
    for name, value in attrs.items():
        link.set(name, value)


def _feed(info: SiteInfo, path: str, title: str, feed_id: str, kind: str
          ) -> etree._Element:
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)  # type: ignore[arg-type]
    _sub(feed, ATOM, "id", feed_id)
    _sub(feed, ATOM, "title", title)
    _sub(feed, ATOM, "updated", latest(info))
    _sub(_sub(feed, ATOM, "author"), ATOM, "name", info.publisher or info.name)
    _link(feed, "self", relative(path, path), kind)
    _link(feed, "start", relative(path, ROOT_XML), NAVIGATION)
    return feed


def _atom_root(info: SiteInfo, feed_id) -> bytes:
    feed = _feed(info, ROOT_XML, info.name, feed_id("catalog"), NAVIGATION)
    _link(feed, "alternate", relative(ROOT_XML, "index.html"), "text/html")
    for entry in info.languages:
        item = _sub(feed, ATOM, "entry")
        _sub(item, ATOM, "title", languages.display_name(entry.lang)).set(XML_LANG, entry.lang)
        _sub(item, ATOM, "id", feed_id(entry.lang))
        _sub(item, ATOM, "updated", latest(info))
        _sub(item, ATOM, "content", f"{len(editions(entry))} EPUB", type="text")
        _link(item, "subsection", f"{entry.lang}.xml", ACQUISITION)
    return _serialize(feed)


def _atom_language(info: SiteInfo, entry: LanguageEntry, feed_id) -> bytes:
    path = f"opds/{entry.lang}.xml"
    feed = _feed(info, path, f"{info.name} ({languages.display_name(entry.lang)})",
                 feed_id(entry.lang), ACQUISITION)
    feed.set(XML_LANG, entry.lang)
    _link(feed, "up", relative(path, ROOT_XML), NAVIGATION)
    _link(feed, "alternate", relative(path, f"{entry.lang}/index.html"), "text/html")
    for other in info.languages:
        attrs = {f"{{{OPDS}}}facetGroup": "Language", "title": languages.display_name(other.lang),
                 "hreflang": other.lang}
        if other.lang == entry.lang:
            attrs[f"{{{OPDS}}}activeFacet"] = "true"
        _link(feed, FACET, f"{other.lang}.xml", ACQUISITION, **attrs)
    for edition in editions(entry):
        _atom_entry(feed, path, edition, info)
    return _serialize(feed)


def _atom_entry(feed: etree._Element, path: str, edition: EssayEntry, info: SiteInfo) -> None:
    item = _sub(feed, ATOM, "entry")
    title = _sub(item, ATOM, "title", edition.title)
    title.set(XML_LANG, edition.title_lang or edition.lang)
    _sub(item, ATOM, "id", edition.identifier)
    _sub(item, ATOM, "updated", rfc3339(edition.modified))
    for name in edition.authors:
        _sub(_sub(item, ATOM, "author"), ATOM, "name", name)
    for name in edition.translators:
        _sub(_sub(item, ATOM, "contributor"), ATOM, "name", name)
    _sub(item, DC, "language", edition.lang)
    _sub(item, DC, "publisher", info.publisher or info.name)
    if edition.date:
        _sub(item, DC, "issued", edition.date)
    _sub(item, ATOM, "summary", edition.summary, type="text").set(XML_LANG, edition.lang)
    cover = relative(path, edition.cover)
    _link(item, IMAGE, cover, COVER_TYPE)
    _link(item, THUMBNAIL, cover, COVER_TYPE)
    _link(item, OPEN_ACCESS, relative(path, edition.epub.path), EPUB_MEDIA_TYPE,
          length=str(edition.epub.size))
    _link(item, "alternate", relative(path, edition.page), "text/html")


def _serialize(feed: etree._Element) -> bytes:
    return etree.tostring(feed, xml_declaration=True, encoding="utf-8", pretty_print=True)


# ---------------------------------------------------------------- OPDS 2.0 (JSON)

def _json_feed(info: SiteInfo, entry: LanguageEntry | None) -> bytes:
    path = f"opds/{entry.lang}.json" if entry else ROOT_JSON
    title = info.name if entry is None else \
        f"{info.name} ({languages.display_name(entry.lang)})"
    links = [{"rel": "self", "href": relative(path, path), "type": OPDS2},
             {"rel": "start", "href": relative(path, ROOT_JSON), "type": OPDS2},
             {"rel": "alternate", "href": relative(path, f"{entry.lang}/index.html"
                                                    if entry else "index.html"),
              "type": "text/html"}]
    chosen = (entry,) if entry else info.languages
    data: dict = {
        "metadata": {"title": title, "modified": latest(info),
                     "numberOfItems": sum(len(editions(e)) for e in chosen)},
        "links": links,
        "facets": [{"metadata": {"title": "Language"},
                    "links": [_facet(path, other, entry) for other in info.languages]}],
        "publications": [_publication(path, edition, info) for e in chosen
                         for edition in editions(e)],
    }
    if entry is None:
        data["navigation"] = [{"href": f"{e.lang}.json", "title": languages.display_name(e.lang),
                               "type": OPDS2, "rel": "subsection"} for e in info.languages]
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def _facet(path: str, other: LanguageEntry, current: LanguageEntry | None) -> dict:
    link = {"href": relative(path, f"opds/{other.lang}.json"), "type": OPDS2,
            "title": languages.display_name(other.lang),
            "properties": {"numberOfItems": len(editions(other))}}
    if current is not None and other.lang == current.lang:
        link["rel"] = "self"
    return link


def _publication(path: str, edition: EssayEntry, info: SiteInfo) -> dict:
    metadata: dict = {
        "@type": "http://schema.org/Book", "title": edition.title,
        "identifier": edition.identifier, "language": edition.lang,
        "author": [{"name": name} for name in edition.authors],
        "publisher": {"name": info.publisher or info.name},
        "modified": rfc3339(edition.modified), "description": edition.summary,
    }
    if edition.translators:
        metadata["translator"] = [{"name": name} for name in edition.translators]
    if edition.date:
        metadata["published"] = edition.date
    width, height = COVER_SIZE
    return {
        "metadata": metadata,
        "links": [{"rel": OPEN_ACCESS, "href": relative(path, edition.epub.path),
                   "type": EPUB_MEDIA_TYPE, "properties": {"length": edition.epub.size}},
                  {"rel": "alternate", "href": relative(path, edition.page),
                   "type": "text/html"}],
        "images": [{"href": relative(path, edition.cover), "type": COVER_TYPE,
                    "width": width, "height": height}],
    }
