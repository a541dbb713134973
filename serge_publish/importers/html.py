"""HTML importer: an article page saved from the web -> an unsegmented Document.

What is read: the ``<article>`` holding the ``<h1>`` (else the longest article, ``<main>``,
``role=main`` or the body), without nav, site headers, footers, asides, scripts, styles,
forms, iframes, svg, buttons, hidden elements and widgets whose class or id says share,
social, related, cookie, newsletter, sidebar, menu, breadcrumb, subscribe, comment form.

- the first ``<h1>`` is the title; every other heading opens a new body "div" (levels are
  not nested); in the article's header, a byline (class/rel/itemprop author or byline,
  ``<address>``), a ``<time>`` (dateline) and a subtitle (class subtitle/dek/standfirst, or an
  h2 in the title's header) are front matter; so are "By ..." and date-only paragraphs
  right after the title;
- ``<p>`` and loose text -> "p"; ``<blockquote>`` -> "quote"; each ``<li>`` -> a "p" (the
  model has no list; items of an ``<ol>`` keep their number, "1. ", as text); ``<pre>`` ->
  a "p" holding one "notranslate"; images with a figcaption or alt -> "figure" + "caption"
  (the image file is not kept; images without text are skipped with a warning);
- ``<em>``, ``<i>``, ``<strong>``, ``<b>`` -> "emph" (the model has one emphasis; a name
  marked ``class="fn"``, as comment authors are, stays plain); ``<cite>`` -> "title" (with
  its ``lang``, if another language's); ``<i lang="fr">`` and ``<span lang="fr">`` in
  another language than the import's -> "foreign" with that language;
  ``<code>``, ``<kbd>``, ``translate="no"`` -> "notranslate"; ``<a href>`` -> "link" (http,
  https, mailto and relative; other schemes dropped with a warning, in-page "#..." links
  silently: editions have other ids); ``<br>`` -> a space; whitespace collapsed;
- note references (``<sup><a href="#fn1">1</a></sup>``, ``role="doc-noteref"``) and the
  note list they point to (class or id footnote/endnote/notes, ``role="doc-endnotes"``) ->
  "noteref" and "note" blocks in back, numbered 1..N by first reference; back links and the
  list's own heading ("Notes") are dropped -- editions print their own; a reference without
  a definition gets an empty note, a definition never referenced is kept (both warned);
- reader comments (``id``/``class`` "comments" holding items with class "comment") -> a
  "comments" block of "comment" blocks in back, author line and text word for word (reply
  links and avatars dropped; replies are flattened in page order);
- ``<meta name=author>``, ``article:published_time``, ``og:site_name`` (or the ``<title>``
  part that is not the essay's title) and the canonical URL -> metadata.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from urllib.parse import unquote

import lxml.html
from lxml import etree
from lxml.html import HtmlElement

from ..errors import InputError, Report
from ..model import Block, Document, Inline, InlineItem, Location
from .assembly import (
    Definition,
    Item,
    NoteTable,
    as_blocks,
    assemble,
    leaf,
    number_first,
    safe_href,
    where,
)
from .patterns import patterns_for
from .webpage import (
    AUTHOR_NAME,
    DROP_TAGS,
    NOISE,
    NOTE_LINK,
    describe,
    drop_backlinks,
    drop_furniture,
    find_article,
    matches,
    page_metadata,
    take_comments,
    take_front,
    take_notes,
    text_of,
    tokens,
    unnest_void,
)

HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
BLOCK_TAGS = frozenset(HEADINGS) | DROP_TAGS | frozenset({
    "address", "article", "blockquote", "dd", "details", "div", "dl", "dt", "fieldset",
    "figcaption", "figure", "header", "hgroup", "hr", "li", "main", "ol", "p", "pre",
    "section", "summary", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th",
    "ul"})
EMPH_TAGS = frozenset({"em", "i", "strong", "b"})
LANG_TAG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CODE_TAGS = frozenset({"code", "kbd", "samp", "tt", "var"})


def read(text: str, path: str, lang: str, report: Report) -> Document:
    """The article in the HTML page ``text`` (read from ``path``) as an unsegmented Document."""
    page = _parse(text, path)
    comments = take_comments(page.body)
    reader = _HtmlReader(path, report, take_notes(page.body), lang)
    root = find_article(page.body)
    for el in drop_furniture(root, DROP_TAGS, NOISE):
        report.warn("import.element-dropped", f"{describe(el)} dropped as page furniture, not "
                    "part of the essay", where(path, el.sourceline))
    h1 = next(root.iter("h1"), None)
    patterns = patterns_for(lang)
    front, found = take_front(root, h1, reader.front_leaf, patterns)
    items = reader.blocks(root)
    back = reader.notes.build(reader.definitions()) + reader.comments(comments)
    return assemble(items, path=path, lang=lang, report=report, front=front, back=back,
                    metadata=page_metadata(page, h1, found, patterns))


def _parse(text: str, path: str) -> lxml.html.HtmlElement:
    if not text.strip():
        raise InputError("no text found", where=where(path, 1), hint="the file is empty")
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        page = lxml.html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse the HTML: {exc}", where=where(path, 1),
                         hint="save the page again as HTML from the browser") from exc
    if page.find("body") is None:
        raise InputError("no text found: the page has no <body>", where=where(path, 1),
                         hint="save the article page itself, not a frameset")
    unnest_void(page)
    return page


# -- the article's content ------------------------------------------------------------------

def _parts(el: HtmlElement) -> Iterator[tuple[str | HtmlElement, int | None]]:
    """The content of ``el`` in order: its text, each child element, the text after it."""
    if el.text:
        yield el.text, el.sourceline
    for child in el:
        if isinstance(child.tag, str):
            yield child, child.sourceline
        if child.tail:
            yield child.tail, child.sourceline


class _HtmlReader:
    """Turns elements into Items and inline content; numbers notes; collects figures."""

    def __init__(self, path: str, report: Report, definitions: dict[str, list[HtmlElement]],
                 lang: str = ""):
        self.path, self.report, self._definitions = path, report, definitions
        self.lang = lang
        self.notes = NoteTable(path, report)
        self.figures: list[Block] = []
        self.ref_ids: set[str] = set()   # ids of note references: back links point there

    def blocks(self, el: HtmlElement) -> list[Item]:
        items: list[Item] = []
        run: list[InlineItem] = []
        line: int | None = None
        for part, at in _parts(el):
            if isinstance(part, str) or part.tag not in BLOCK_TAGS:
                line = line or (at if not isinstance(part, str) or part.strip() else None)
                run += [part] if isinstance(part, str) else self.inline_el(part)
            else:
                items += self.leaf_items("p", run, line) + self.block(part)
                run, line = [], None
        return items + self.leaf_items("p", run, line)

    def leaf_items(self, kind: str, content: list[InlineItem], line: int | None, level: int = 0
                   ) -> list[Item]:
        """The leaf (if it has text), then the figures met inside it."""
        block = leaf(kind, content, self.path, line)
        return ([Item(block, level)] if block else []) + self.take_figures()

    def take_figures(self) -> list[Item]:
        figures, self.figures = self.figures, []
        return [Item(figure) for figure in figures]

    def front_leaf(self, kind: str, el: HtmlElement) -> Block | None:
        return leaf(kind, self.inline(el), self.path, el.sourceline)

    def block(self, el: HtmlElement) -> list[Item]:
        return _BLOCK_HANDLERS.get(el.tag, _HtmlReader.blocks)(self, el)

    def heading(self, el: HtmlElement) -> list[Item]:
        return self.leaf_items("head", self.inline(el), el.sourceline, HEADINGS[el.tag])

    def quote(self, el: HtmlElement) -> list[Item]:
        children = as_blocks(self.blocks(el))
        location = Location(self.path, el.sourceline)
        return [Item(Block("quote", children=children, location=location))] if children else []

    def ordered(self, el: HtmlElement) -> list[Item]:
        start = int(el.get("start")) if (el.get("start") or "").isdigit() else 1
        entries = [child for child in el if child.tag == "li"]
        return [item for n, li in enumerate(entries, start)
                for item in number_first(self.blocks(li), f"{n}. ")]

    def code(self, el: HtmlElement) -> list[Item]:
        return self.leaf_items("p", [Inline("notranslate", (el.text_content(),))], el.sourceline)

    def figure(self, el: HtmlElement) -> list[Item]:
        img = next(el.iter("img"), None)
        if img is None:
            return self.blocks(el)   # a figure around a quote, a table...
        caption = next(el.iter("figcaption"), None)
        self.add_figure(self.inline(caption) if caption is not None else [img.get("alt") or ""],
                        el.sourceline)
        return self.take_figures()

    def add_figure(self, content: list[InlineItem], line: int | None) -> None:
        caption = leaf("caption", content, self.path, line)
        if caption is None:
            self.report.warn("import.image-no-text", "image without alt text or caption "
                             "skipped", where(self.path, line))
        else:
            self.figures.append(Block("figure", children=(caption,), location=caption.location))

    def inline(self, el: HtmlElement) -> list[InlineItem]:
        out: list[InlineItem] = []
        for part, _ in _parts(el):
            out += [part] if isinstance(part, str) else self.inline_el(part)
        return out

    def inline_el(self, el: HtmlElement) -> list[InlineItem]:
        label, tag = self.note_target(el), el.tag
        if label is not None:
            self.ref_ids.update(d.get("id") for d in el.iter() if d.get("id"))
            return [self.notes.ref(label, el.sourceline)]
        if matches(el, AUTHOR_NAME):   # <b class="fn">, <cite class="fn">: a name, in bold
            return self.inline(el)
        other = self.other_language(el)
        if tag == "cite":
            return [Inline("title", tuple(self.inline(el)), (("lang", other),) if other else ())]
        if other and tag in ("i", "span"):
            return [Inline("foreign", tuple(self.inline(el)), (("lang", other),))]
        if tag in EMPH_TAGS:
            return [Inline("emph", tuple(self.inline(el)))]
        if tag in CODE_TAGS or el.get("translate") == "no" or "notranslate" in tokens(el):
            return [Inline("notranslate", (el.text_content(),))]
        if tag == "a":
            return self.link(el)
        if tag == "img":
            return self.image(el)
        if tag == "br":
            return [" "]
        return [" ", *self.inline(el), " "] if tag in BLOCK_TAGS else self.inline(el)

    def other_language(self, el: HtmlElement) -> str | None:
        """The element's own language tag, if it is well formed and not the import's."""
        tag = (el.get("lang") or el.get(XML_LANG) or "").strip()
        if not LANG_TAG.match(tag) or tag.lower().split("-")[0] == self.lang.lower().split("-")[0]:
            return None
        return tag

    def link(self, el: HtmlElement) -> list[InlineItem]:
        children = tuple(self.inline(el))
        href = el.get("href")
        href = safe_href(href, where(self.path, el.sourceline), self.report) if href else None
        return [Inline("link", children, (("href", href),))] if href else list(children)

    def image(self, el: HtmlElement) -> list[InlineItem]:
        if re.search(r"emoji|smiley", el.get("class") or ""):
            return [el.get("alt") or ""]
        self.add_figure([el.get("alt") or el.get("title") or ""], el.sourceline)
        return []

    def note_target(self, el: HtmlElement) -> str | None:
        """The id a note reference points to (``<sup><a href="#fn1">``, doc-noteref...)."""
        if el.tag == "sup":
            links = el.findall(".//a")
            return self._anchor(links[0], True) if len(links) == 1 and len(text_of(el)) <= 6 \
                else None
        return self._anchor(el, False) if el.tag == "a" else None

    def _anchor(self, a: HtmlElement, in_sup: bool) -> str | None:
        href = a.get("href") or ""
        label = unquote(href[1:]) if href.startswith("#") and len(href) > 1 else None
        if label is not None and (in_sup or label in self._definitions
                                  or a.get("role") == "doc-noteref"
                                  or a.find(".//sup") is not None or matches(a, NOTE_LINK)):
            return label
        return None

    def definitions(self) -> dict[str, Definition]:
        return {label: (elements[0].sourceline, partial(self.note, elements))
                for label, elements in self._definitions.items()}

    def note(self, elements: list[HtmlElement]) -> tuple[Block, ...]:
        for el in elements:
            drop_backlinks(el, self.ref_ids)
        return as_blocks([item for el in elements for item in self.blocks(el)])

    def comments(self, items: list[HtmlElement]) -> tuple[Block, ...]:
        blocks = [Block("comment", children=as_blocks(self.blocks(item)),
                        location=Location(self.path, item.sourceline)) for item in items]
        blocks = [block for block in blocks if block.children]
        if not blocks:
            return ()
        self.report.info("import.comments", f"{len(blocks)} reader comment(s) kept, not part "
                         "of the essay", str(blocks[0].location))
        return (Block("comments", children=tuple(blocks), location=blocks[0].location),)


_BLOCK_HANDLERS: dict[str, Callable[[_HtmlReader, HtmlElement], list[Item]]] = {
    **{tag: _HtmlReader.heading for tag in HEADINGS},
    "blockquote": _HtmlReader.quote,
    "ol": _HtmlReader.ordered,
    "pre": _HtmlReader.code,
    "figure": _HtmlReader.figure,
    "hr": lambda reader, el: [],
}
