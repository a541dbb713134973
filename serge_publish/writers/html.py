"""HTML editions: one standalone HTML5 page per essay and language, an index page per
language, and a top index of languages.

Pages are the XHTML trees of ``writers/essay.py`` and ``writers/xhtml.py`` turned into
HTML5 (no namespaces, no ``epub:type``, no ``xml:lang``: the essay's own elements are in
none already, only the page around them is renamed), serialised by libxml2's HTML
serialiser. Every essay page
links to the same essay in the other languages: ``<link rel="alternate" hreflang>`` in
the head and a visible language switcher.
"""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from lxml import etree

from .. import languages
from .edition import Edition
from .essay import EssayPage, render_essay, rendered_title, title_language
from .furniture import Furniture, furniture_for
from .matter import colophon, mark_furniture
from .typography import typeset_tree
from .xhtml import (
    EPUB_TYPE,
    XML_LANG,
    bare,
    clean,
    element,
    indent,
    page,
    serialize_around,
    set_isolated_text,
)

EPUB_MEDIA_TYPE = "application/epub+zip"

# A language's name in itself, as every page's language switcher shows it (babel's data
# looked up once per language and process, not once per link of every page)


@dataclass(frozen=True)
class EssayLink:
    """One essay as listed on an index page."""
    essay: str
    title: str
    title_lang: str | None       # set when the title is shown in another language
    author: tuple[str, ...]      # the people, joined for display in the page's language
    has_epub: bool


@dataclass(frozen=True)
class Site:
    """What a page links: the languages that publish it (decided by the build's plan, never
    by looking at earlier outputs), and the project's name."""
    project: str
    source_lang: str
    languages: tuple[str, ...]   # languages that publish this page (the current one included)
    has_epub: bool = False
    has_anthology: bool = False
    project_lang: str = ""       # the language of ``project`` (translated, or the source's)
    description: str = ""        # the project's description, in the page's language
    description_lang: str = ""   # its language when it is not the page's


def essay_html(edition: Edition, site: Site) -> tuple[bytes, list]:
    """The HTML page of one edition, and the diagnostics of rendering it: the bytes
    ``serialize_html(essay_page(edition, site)[0], own=True)`` gives, the page made in no
    namespace at once (as the essay's section is), so that only its colophon (made for
    the EPUB too, in XHTML's namespace) is renamed (see :func:`_essay_page`'s ``html``).
    Nothing of the essay's tree is kept once the page is serialised: it is given back to
    writers.essay, which fills it in again for the next language of the essay (see
    render_essay's ``given_back``)."""
    root, diagnostics, essay = _essay_page(edition, site, html=True)
    section, main = essay.section, root[1][1]    # (body: header, main, footer)
    # the page serialised around the section, not with it moved in (see
    # xhtml.serialize_around): what _serialize drops, dropped from each
    etree.strip_attributes(root, *_NAMESPACED)
    etree.strip_attributes(section, *_NAMESPACED)
    etree.cleanup_namespaces(root)
    etree.cleanup_namespaces(section)
    data = serialize_around(root, main, section, essay.layout, _written, html=True)
    if data is None:
        main.append(section)
        data = _serialize(root, section)
    return data, diagnostics


def essay_page(edition: Edition, site: Site) -> tuple[etree._Element, list]:
    """The XHTML tree of :func:`essay_html` (the site of a release decorates it)."""
    root, diagnostics, _ = _essay_page(edition, site)
    return root, diagnostics


def _essay_page(edition: Edition, site: Site, html: bool = False
                ) -> tuple[etree._Element, list, EssayPage]:
    """:func:`essay_page`, and the essay as render_essay gave it, its section in the page
    (but with ``html``: not put in its ``<main>``, see :func:`essay_html`). Its
    colophon, when it is made here (no EPUB made of this edition before), is kept for the
    EPUB a render job makes after it of the edition's outline (see matter.colophon's
    ``keep``, and build_render.prerender).

    ``html``: the page as :func:`_strip_namespaces` and :func:`serialize_html` would turn
    it, but for its namespaced attributes (``xml:lang``, ``epub:type``: lxml drops them in
    one walk of its own, see :func:`_serialize`) and its namespace declarations: its
    elements made in no namespace (xhtml.bare), its ``<head>`` starting with the two
    ``<meta>`` serialize_html inserts, its colophon renamed (it is the EPUB's too, made in
    XHTML's namespace)."""
    lang = edition.lang
    furniture = furniture_for(lang)
    essay = render_essay(edition.document, lang, furniture, last_use=True, given_back=html)
    make = bare if html else element
    if html:
        root, body = _frame(edition.essay, essay.title, site, furniture, lang)
        main, footer = body[1], body[2]
    else:
        root, body = _page_frame(edition.essay, essay.title, site, furniture, lang, make)
        main, footer = make("main", parent=body), make("footer", parent=body)
    if not html:
        main.append(essay.section)
    made = colophon((edition,), (essay.title,), lang, furniture, last_use=True, keep=True)
    footer.append(_strip_namespaces(made) if html else made)     # (it has no tail)
    if not edition.is_source and (edition.facts.url or edition.source_lang in site.languages):
        _original_link(footer, edition, furniture, make)
    return root, list(essay.diagnostics), essay


def _page_frame(essay: str, title: str, site: Site, furniture: Furniture, lang: str,
                make: Callable[..., etree._Element], head_first: tuple = ()
                ) -> tuple[etree._Element, etree._Element]:
    """An essay's page up to its header: (root, body)."""
    root, body = page(title, lang, "../style.css", make=make, head_first=head_first)
    _alternates(root, site, f"{essay}.html", make)
    header = make("header", parent=body, class_="site")
    _switcher(header, site, f"{essay}.html", furniture, lang, again=True, make=make)
    links: list[tuple[str, str, str | None]] = [("index.html", furniture["essays"], None)]
    if site.has_epub:
        links.append((f"{essay}.epub", furniture["epub_edition"], EPUB_MEDIA_TYPE))
    _link_line(header, links, furniture, lang, make)
    return root, body


def _frame(essay: str, title: str, site: Site, furniture: Furniture, lang: str
           ) -> tuple[etree._Element, etree._Element]:
    """:func:`_page_frame` in no namespace (with the ``<head>``'s first ``<meta>``, and
    an empty ``<main>`` and ``<footer>``), copied from the one made for the same language
    and languages linked, then given its own title and addresses (a tenth of the time of
    making it: its language switcher, its typeset links; the pages of a language are
    many, at most a few languages' kept). What differs between the pages of those is
    only that: see :class:`_Frame`."""
    key = (lang, furniture, site.languages, site.has_epub)
    kept = _FRAMES.get(key)
    if kept is None:
        if len(_FRAMES) >= KEPT_FRAMES:
            _FRAMES.clear()
        root, body = _page_frame(essay, title, site, furniture, lang, bare, _HEAD_FIRST)
        bare("main", parent=body)
        bare("footer", parent=body)
        kept = _FRAMES[key] = _Frame(root, site.languages, site.has_epub)
    return kept.copy(essay, title)


class _Frame:
    """An essay page's frame (see :func:`_frame`) and where, in the order its elements
    are walked, its title and its essay's addresses are: each link to the essay in
    another language (``<link rel="alternate">``, then the switcher's, both in the order
    of the languages), and to its EPUB."""
    __slots__ = ("root", "title", "alternates", "switcher", "epub")

    def __init__(self, root: etree._Element, langs: tuple[str, ...], epub: bool) -> None:
        nodes = list(root.iter())
        head, header = root[0], root[1][0]
        place = {id(el): i for i, el in enumerate(nodes)}
        self.root = root
        self.title = place[id(head[len(_HEAD_FIRST)])]
        links = list(head)[len(_HEAD_FIRST) + 2:]      # (after the title, the stylesheet)
        self.alternates = [place[id(el)] for el in links]
        items = header[0][0] if len(langs) > 1 else ()      # nav > ul > li
        self.switcher = [place[id(li[0])] for li in items]
        self.epub = place[id(header[-1][2])] if epub else -1
        assert len(links) == len(langs) and len(self.switcher) in (0, len(langs))

    def copy(self, essay: str, title: str) -> tuple[etree._Element, etree._Element]:
        """The frame of ``essay``'s page titled ``title``: (root, body)."""
        root = copy.deepcopy(self.root)
        nodes = list(root.iter())
        nodes[self.title].text = clean(title) if title else None   # (as xhtml.element)
        langs = [el.get("hreflang") for el in (nodes[i] for i in self.alternates)]
        for places in (self.alternates, self.switcher):
            for i, tag in zip(places, langs, strict=False):
                nodes[i].set("href", f"../{tag}/{essay}.html")
        if self.epub >= 0:
            nodes[self.epub].set("href", f"{essay}.epub")
        return root, root[1]


# the frames kept (see _frame): by language, furniture, languages linked and EPUB
_FRAMES: dict[tuple, _Frame] = {}
KEPT_FRAMES = 64

# the <meta> elements serialize_html puts first in a page's <head>
_HEAD_FIRST = ({"charset": "utf-8"},
               {"name": "viewport", "content": "width=device-width, initial-scale=1"})


def index_html(lang: str, essays: tuple[EssayLink, ...], site: Site) -> bytes:
    """The page of one language: its essays, their EPUBs, the anthology."""
    furniture = furniture_for(lang)
    title, title_lang = _index_title(site, furniture)
    root, body = page(title, lang, "../style.css")
    if title_lang and title_lang != lang:
        root[0][0].set("lang", title_lang)
    _alternates(root, site, "index.html")
    header = element("header", parent=body, class_="site")
    _switcher(header, site, "index.html", furniture, lang)
    _link_line(header, [("../index.html", furniture["home"], None)], furniture, lang)
    main = element("main", parent=body, class_="index")
    project = element("h1", site.project, parent=main)
    name_lang = site.project_lang or site.source_lang
    if lang != name_lang:
        project.set("lang", name_lang)          # the project's name is not translated
    if site.description:
        p = element("p", site.description, parent=main, class_="description")
        if site.description_lang and site.description_lang != lang:
            p.set("lang", site.description_lang)
    heading = element("h2", furniture["essays"], parent=main)
    mark_furniture(heading, furniture, lang)
    ul = element("ul", parent=main, class_="essays")
    for item in essays:
        _essay_item(ul, item, furniture, lang)
    if site.has_anthology:
        p = element("p", parent=main, class_="anthology")
        link = element("a", furniture["anthology"], parent=p, href="anthology.epub",
                       type=EPUB_MEDIA_TYPE)
        mark_furniture(link, furniture, lang)
    typeset_tree(main, lang)
    return serialize_html(root, own=True)


def languages_html(project: str, source_lang: str, langs: tuple[str, ...]) -> bytes:
    """The top page: every language that has editions, each named in itself."""
    furniture = furniture_for(source_lang)
    root, body = page(project, source_lang, "style.css")
    main = element("main", parent=body, class_="languages-index")
    element("h1", project, parent=main)
    heading = element("h2", furniture["languages"], parent=main)
    mark_furniture(heading, furniture, source_lang)
    ul = element("ul", parent=main, class_="languages")
    for tag in langs:
        li = element("li", parent=ul)
        a = element("a", languages.display_name(tag), parent=li, href=f"{tag}/index.html",
                    hreflang=tag)
        if tag != languages.PSEUDO and tag != source_lang:
            a.set("lang", tag)
    return serialize_html(root, own=True)


# ---------------------------------------------------------------- parts

def _index_title(site: Site, furniture: Furniture) -> tuple[str, str | None]:
    """The <title> of an index page, and its language when it is not the page's: the
    project's name (in the source language) and "Essays"; without a furniture table,
    "Essays" is English, so the title is the name alone unless the source is English."""
    if not furniture.fallback:
        return f"{site.project} — {furniture['essays']}", None
    if languages.primary(site.source_lang) == furniture.lang:
        return f"{site.project} — {furniture['essays']}", furniture.lang
    return site.project, site.source_lang


def _alternates(root: etree._Element, site: Site, file_name: str,
                make: Callable[..., etree._Element] = element) -> None:
    head = root[0]
    for tag in site.languages:
        make("link", parent=head, rel="alternate", hreflang=tag, href=f"../{tag}/{file_name}")


def _switcher(parent: etree._Element, site: Site, file_name: str, furniture: Furniture,
              lang: str, again: bool = False,
              make: Callable[..., etree._Element] = element) -> None:
    """The language switcher; ``again``: its list is copied from the last one made
    ``again`` when that was of the same languages and file (see :data:`_LAST_LIST`)."""
    if len(site.languages) < 2:
        return
    nav = make("nav", parent=parent, class_="language-switcher",
               aria_label=furniture["languages"])
    mark_furniture(nav, furniture, lang)           # its label; each link has its own lang
    key = (site.languages, file_name, make)
    if not again or _LAST_LIST[0] != key:
        ul = make("ul", parent=None if again else nav)
        for tag in site.languages:
            li = make("li", parent=ul)
            a = make("a", languages.display_name(tag), parent=li,
                     href=f"../{tag}/{file_name}", hreflang=tag)
            if tag != languages.PSEUDO:
                a.set("lang", tag)
        if again:
            _LAST_LIST[:] = [key, ul]
    if again:
        ul = copy.deepcopy(_LAST_LIST[1])
        nav.append(ul)
    for i, tag in enumerate(site.languages):
        if tag == lang:
            ul[i][0].set("aria-current", "page")


# [(the languages, the file name, the element maker), the list of links of a language
# switcher without its current language]: the pages of an essay in each of its
# languages, made one after the other (by the plan job of the essay), copy it (a fifth
# of the time of making it again)
_LAST_LIST: list = [None, None]


def _link_line(parent: etree._Element, links: list[tuple[str, str, str | None]],
               furniture: Furniture, lang: str,
               make: Callable[..., etree._Element] = element) -> None:
    p = make("p", parent=parent, class_="site-links")
    for i, (href, text, media_type) in enumerate(links):
        if i:
            make("span", " · ", parent=p, aria_hidden="true")
        mark_furniture(make("a", text, parent=p, href=href, type=media_type or ""),
                       furniture, lang)
    typeset_tree(p, lang)


def _essay_item(ul: etree._Element, item: EssayLink, furniture: Furniture,
                lang: str) -> None:
    li = element("li", parent=ul)
    a = element("a", item.title, parent=li, href=f"{item.essay}.html", class_="title")
    if item.title_lang:
        a.set("lang", item.title_lang)
    if item.author:
        set_isolated_text(element("span", parent=li, class_="author"),
                          languages.join_names(item.author, lang, within=lang))
    if item.has_epub:
        mark_furniture(element("a", furniture["epub_edition"], parent=li,
                               href=f"{item.essay}.epub", type=EPUB_MEDIA_TYPE, class_="epub"),
                       furniture, lang)


def _original_link(parent: etree._Element, edition: Edition, furniture: Furniture,
                   make: Callable[..., etree._Element] = element) -> None:
    """The original edition: the original publication where its address is known, else
    this site's page in the source language."""
    p = make("p", parent=parent, class_="original")
    href = edition.facts.url or f"../{edition.source_lang}/{edition.essay}.html"
    a = make("a", furniture["original_edition"], parent=p, href=href,
             hreflang=edition.source_lang)
    mark_furniture(a, furniture, edition.lang)


def essay_title(edition: Edition) -> tuple[str, str | None]:
    """The typeset title of an edition, and its language when it fell back."""
    title = rendered_title(edition.document, edition.lang, furniture_for(edition.lang))
    return title, title_language(edition.document, edition.lang)


# ---------------------------------------------------------------- serialisation

def to_html(el: etree._Element) -> etree._Element:
    """A copy of an XHTML tree as plain HTML elements (EPUB-only markup dropped)."""
    return _strip_namespaces(copy.deepcopy(el))


def _strip_namespaces(root: etree._Element, essay: etree._Element | None = None
                      ) -> etree._Element:
    """``root``, in place, as plain HTML: every element by its local name, without
    namespaced attributes (``epub:type``, ``xml:lang``), comments and processing
    instructions (with their tails), namespace declarations, or a tail of its own.

    The attributes the writers set (``_NAMESPACED``) are dropped by lxml in one walk of
    its own; any other is found by its name, as the elements' tags are renamed (each
    local name worked out once). ``essay``: a section of ``root`` made by
    writers.essay.render_essay, whose elements are in no namespace, with no namespaced
    attribute but those lxml drops, and no comment or processing instruction (see
    tests/test_render_page_reuse.py): it is not walked (two thirds of the elements of an
    essay's page), only the page around it."""
    root.tail = None
    etree.strip_attributes(root, *_NAMESPACED)
    local = _LOCAL_NAMES
    dropped: list[etree._Element] = []
    if essay is None:
        elements: Iterable[etree._Element] = root.iter()
    else:
        elements = _around(root, essay)
    for el in elements:
        tag = el.tag
        if not isinstance(tag, str):
            dropped.append(el)
            continue
        if tag[0] == "{":
            name = local.get(tag)
            if name is None:
                name = local[tag] = tag[tag.index("}") + 1:]
            el.tag = name
        for key in el.keys():                # (most elements: none, or a few plain ones)
            if key[0] == "{":
                del el.attrib[key]
    for node in dropped:
        parent = node.getparent()
        if parent is not None:
            node.tail = None
            parent.remove(node)
    etree.cleanup_namespaces(root)
    return root


def _around(root: etree._Element, skipped: etree._Element) -> Iterator[etree._Element]:
    """Every node of ``root`` (elements, comments, processing instructions) but those of
    the subtree ``skipped``, in no particular order."""
    stack = [root]
    pop, extend = stack.pop, stack.extend
    while stack:
        el = pop()
        if el is not skipped:
            yield el
            if len(el):
                extend(el)


_NAMESPACED = (EPUB_TYPE, XML_LANG)
_LOCAL_NAMES: dict[str, str] = {}        # "{namespace}tag" -> "tag"


def serialize_html(root: etree._Element, own: bool = False,
                   essay: etree._Element | None = None) -> bytes:
    """The HTML5 page of the XHTML tree ``root``; ``own``: the tree is the caller's to
    give away (it is turned into HTML in place instead of copied). ``essay`` (with
    ``own``): the essay's section in it, as writers.essay.render_essay gave it (lent to
    the EPUB's chapter before, or not): neither walked for namespaces (see
    :func:`_strip_namespaces`) nor for its indentation when the chapter's is known (see
    xhtml.indent's ``again``)."""
    if not own:
        essay = None
    html = _strip_namespaces(root, essay) if own else to_html(root)
    head = html.find("head")
    if head is None:
        raise ValueError("an XHTML page without <head>")
    head.insert(0, etree.Element("meta", charset="utf-8"))
    head.insert(1, etree.Element("meta", name="viewport",
                                 content="width=device-width, initial-scale=1"))
    return _written(html, essay)


def _serialize(html: etree._Element, essay: etree._Element) -> bytes:
    """The page ``html`` made in no namespace (see :func:`_essay_page`'s ``html``), its
    namespaced attributes (``xml:lang``, ``epub:type``) and namespace declarations
    dropped by lxml, in walks of its own, then written as :func:`serialize_html` writes a
    page (``essay``: its section)."""
    etree.strip_attributes(html, *_NAMESPACED)
    etree.cleanup_namespaces(html)
    return _written(html, essay)


def _written(html: etree._Element, essay: etree._Element | None = None) -> bytes:
    """The HTML page ``html`` (plain HTML, its ``<head>`` complete) indented and
    serialised (``essay``: see :func:`serialize_html`)."""
    indent(html, again=essay)
    # lxml's serialiser itself, not lxml.html.tostring (the same call, then a search of
    # the whole page for a <meta http-equiv="Content-Type"> to remove: lxml writes none of
    # its own here, and these pages have none, their head being made above); lxml.html is
    # then not imported by a build either
    return etree.tostring(html, doctype="<!DOCTYPE html>", encoding="utf-8",
                          method="html") + b"\n"
