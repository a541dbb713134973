"""What a page of the site says about itself to search engines and link previews: the
``<meta name="description">``, the favicon, ``rel=canonical`` and absolute ``hreflang``
alternates with ``x-default`` (only with a ``base_url``: they must be absolute), OpenGraph,
schema.org JSON-LD; and the ``sitemap.xml`` that lists every page with its alternates.

Paths are site-relative (``fr/index.html``); :func:`relative` turns one into the ``href``
of another page, :func:`absolute` into a URL under the ``base_url``.
"""
from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field

from lxml import etree

from .. import languages
from .xhtml import element, x

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
FAVICON, SITE_CSS = "favicon.svg", "site.css"
X_DEFAULT = "x-default"
BAND, PAPER = "#7a1f1f", "#f4efe6"


@dataclass(frozen=True)
class PageMeta:
    """One page: where it is, its language, what it is about, its translations."""
    path: str                                  # site-relative, e.g. fr/serge.html
    lang: str
    title: str
    description: str
    alternates: tuple[tuple[str, str], ...] = ()   # (hreflang or x-default, site path)
    og_type: str = "website"
    jsonld: Mapping | None = None
    site_name: str = ""
    extra: Mapping[str, str] = field(default_factory=dict)   # more OpenGraph properties


def relative(from_path: str, target: str) -> str:
    """The href of site path ``target`` on the page at site path ``from_path``."""
    start = posixpath.dirname(from_path) or "."
    return posixpath.relpath(target, start)


def absolute(base_url: str, path: str) -> str:
    base = base_url if base_url.endswith("/") else base_url + "/"
    return base + ("" if path == "index.html" else path)


def add_head(root: etree._Element, meta: PageMeta, base_url: str) -> None:
    """Fill the ``<head>`` of a page tree (its ``<title>`` and stylesheet already there)."""
    head = root[0]
    for old in [link for link in head.iter(x("link")) if link.get("rel") == "alternate"]:
        head.remove(old)
    element("link", parent=head, rel="stylesheet", type="text/css",
            href=relative(meta.path, SITE_CSS))
    element("link", parent=head, rel="icon", type="image/svg+xml",
            href=relative(meta.path, FAVICON))
    element("meta", parent=head, name="description", content=meta.description)
    element("meta", parent=head, name="color-scheme", content="light dark")
    _links(head, meta, base_url)
    _opengraph(head, meta, base_url)
    if meta.jsonld:
        script = element("script", parent=head, type="application/ld+json")
        script.text = json_ld_text(meta.jsonld)


def _links(head: etree._Element, meta: PageMeta, base_url: str) -> None:
    if base_url:
        element("link", parent=head, rel="canonical", href=absolute(base_url, meta.path))
    if len(meta.alternates) < 3:          # itself and x-default: no translation to point to
        return
    for tag, path in meta.alternates:
        href = absolute(base_url, path) if base_url else relative(meta.path, path)
        element("link", parent=head, rel="alternate", hreflang=tag, href=href)


def _opengraph(head: etree._Element, meta: PageMeta, base_url: str) -> None:
    props = [("og:title", meta.title), ("og:description", meta.description),
             ("og:type", meta.og_type), ("og:locale", og_locale(meta.lang))]
    if meta.site_name:
        props.append(("og:site_name", meta.site_name))
    props += [("og:locale:alternate", og_locale(tag)) for tag, _ in meta.alternates
              if tag not in (X_DEFAULT, meta.lang)]
    if base_url:
        props.append(("og:url", absolute(base_url, meta.path)))
    props += sorted(meta.extra.items())
    for name, value in props:
        element("meta", parent=head, property=name, content=value)


def og_locale(tag: str) -> str:
    """OpenGraph writes locales as language_TERRITORY (fr, pt_BR)."""
    return languages.to_gettext(tag) if tag != languages.PSEUDO else tag


def json_ld_text(data: Mapping) -> str:
    """JSON for a ``<script>``: ``<`` escaped so that no ``</script>`` can end it early."""
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).replace("<", "\\u003c")


def person_list(names: tuple[str, ...]) -> list[dict]:
    return [{"@type": "Person", "name": name} for name in names]


def sitemap_xml(pages: tuple[PageMeta, ...], base_url: str) -> bytes:
    """Every page with its hreflang alternates (xhtml:link), in path order."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset",
                         nsmap={None: SITEMAP_NS,  # type: ignore[dict-item]  # lxml-stubs: None key
                                "xhtml": XHTML_NS})
    for meta in sorted(pages, key=lambda m: m.path):
        url = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(base_url, meta.path)
        for tag, path in meta.alternates if len(meta.alternates) > 2 else ():
            etree.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=tag,
                             href=absolute(base_url, path))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def favicon_svg(name: str) -> bytes:
    """A small square icon: the first letter of the project's name on the cover's band."""
    svg = "http://www.w3.org/2000/svg"
    root = etree.Element(f"{{{svg}}}svg", nsmap={None: svg},  # type: ignore[dict-item]  # lxml-stubs: None key
                         width="64", height="64",
                         viewBox="0 0 64 64")
    etree.SubElement(root, f"{{{svg}}}rect", width="64", height="64",
                     rx="10", fill=BAND)
    letter = etree.SubElement(root, f"{{{svg}}}text", x="32", y="45", fill=PAPER,
                              attrib={"text-anchor": "middle", "font-size": "40",
                                      "font-family": "Georgia, serif"})
    letter.text = (name.strip()[:1] or "S").upper()
    return etree.tostring(root, xml_declaration=True, encoding="utf-8") + b"\n"
