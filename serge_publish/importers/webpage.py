"""What in an article page saved from the web is the essay, and what is page furniture.

Used by ``html.py``: find the article, drop furniture, take out the note list, the reader
comments and the front matter (subtitle, byline, dateline) before the article is read, and
read the page's metadata. Patterns are tables at the top; elements are never serialised.
"""
from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from urllib.parse import unquote

from lxml.html import HtmlElement

from ..model import Block, Metadata
from .assembly import iso_date, names_of
from .patterns import Patterns

DROP_TAGS = frozenset({"nav", "footer", "aside", "script", "style", "noscript", "form",
                       "iframe", "svg", "button", "template", "input", "select", "textarea",
                       "object", "embed", "canvas", "audio", "video", "dialog"})
COMMENT_DROP_TAGS = frozenset({"script", "style", "noscript", "form", "iframe", "svg",
                               "button", "img"})
NOISE = re.compile(r"share|sharing|social|related|cookie|newsletter|sidebar|menu|breadcrumb|"
                   r"subscribe|^comments?([-_]|$)|(^|[-_])respond($|[-_])", re.I)
COMMENT_NOISE = re.compile(r"reply|edit-link|comment-edit", re.I)
SITE_HEADER = re.compile(r"site|masthead|banner", re.I)
NOTES_CLASS = re.compile(r"footnote|endnote|(^|[-_])notes($|[-_])", re.I)
NOTE_LINK = re.compile(r"footnote|fnref|noteref", re.I)
BACKLINK = re.compile(r"back|reverse", re.I)
ARROWS = frozenset({"↩", "↩︎", "↑", "^", "⤴", "↵", "[return]"})
COMMENTS = re.compile(r"^(comments|comment-?list|comments-(area|section|wrap|wrapper|list))$",
                      re.I)
COMMENT_ITEM = re.compile(r"^comment-?\d+$", re.I)
BYLINE = re.compile(r"byline|(^|[-_])author($|[-_])", re.I)
AUTHOR_NAME = re.compile(r"(^|[-_])author($|[-_])|^fn$", re.I)
SUBTITLE = re.compile(r"subtitle|subhead|(^|[-_])(dek|deck|standfirst|strapline)($|[-_])", re.I)
INLINE_TAGS = frozenset({"a", "span", "b", "strong", "em", "i", "small", "font", "time"})
# HTML5 empty elements that libxml2's (HTML 4) parser takes for containers of what follows
VOID_TAGS = ("embed", "source", "track", "wbr", "keygen")


# -- finding things in the page -------------------------------------------------------------

def tokens(el: HtmlElement) -> list[str]:
    return (el.get("class") or "").split() + ([el.get("id")] if el.get("id") else [])


def matches(el: HtmlElement, pattern: re.Pattern[str]) -> bool:
    return isinstance(el.tag, str) and any(pattern.search(t) for t in tokens(el))


def text_of(el: HtmlElement) -> str:
    return " ".join(el.text_content().split())


def outermost(found: list[HtmlElement]) -> list[HtmlElement]:
    chosen = set(found)
    return [el for el in found if not any(a in chosen for a in el.iterancestors())]


def find_article(body: HtmlElement) -> HtmlElement:
    articles = outermost(list(body.iter("article")))
    with_title = [a for a in articles if a.find(".//h1") is not None]
    if with_title or articles:
        return (with_title or sorted(articles, key=lambda a: -len(a.text_content())))[0]
    for path in (".//main", ".//*[@role='main']"):
        if body.find(path) is not None:
            return body.find(path)
    return body


def unnest_void(page: HtmlElement) -> None:
    """Move the text and elements libxml2 put inside an empty element (``<embed>`` holds
    the rest of its paragraph) back after it, where the page has them."""
    for el in list(page.iter(*VOID_TAGS)):
        if el.text is None and not len(el):
            continue
        parent, kids, tail = el.getparent(), list(el), el.tail
        el.text, el.tail = None, el.text
        for offset, kid in enumerate(kids, 1):
            parent.insert(parent.index(el) + offset, kid)
        if tail:
            last = kids[-1] if kids else el
            last.tail = (last.tail or "") + tail


def drop_furniture(root: HtmlElement, tags: frozenset[str], noise: re.Pattern[str],
                   page: bool = True) -> list[HtmlElement]:
    """Drop furniture inside ``root`` (never what holds the title or most of the text);
    the elements dropped (the outermost ones), in page order.

    ``page``: also drop site headers (not inside a comment, whose header is its author)."""
    title, size = next(root.iter("h1"), None), len(root.text_content())
    dropped: list[HtmlElement] = []
    for el in list(root.iterdescendants()):
        if not isinstance(el.tag, str) or any(a in dropped for a in el.iterancestors()):
            continue
        furniture = _is_furniture(el, noise) or (page and _is_site_header(el))
        if el.tag in tags or (furniture and not _holds_essay(el, title, size)):
            dropped.append(el)
            el.drop_tree()
    return dropped


def describe(el: HtmlElement) -> str:
    """``<form class="newsletter-signup">`` ("Subscribe to..."): an element, for a warning."""
    attrs = "".join(f' {name}="{el.get(name)}"' for name in ("id", "class") if el.get(name))
    words = text_of(el)
    sample = f" ({words[:40] + '…' if len(words) > 40 else words!r})" if words else ""
    return f"<{el.tag}{attrs}>{sample}"


def _is_furniture(el: HtmlElement, noise: re.Pattern[str]) -> bool:
    hidden = el.get("hidden") is not None or \
        "display:none" in (el.get("style") or "").replace(" ", "")
    return hidden or matches(el, noise)


def _holds_essay(el: HtmlElement, title: HtmlElement | None, size: int) -> bool:
    holds_title = title is not None and any(a is el for a in title.iterancestors())
    return holds_title or len(el.text_content()) > size / 2


def _is_site_header(el: HtmlElement) -> bool:
    """A banner, or a header outside any article that does not hold the h1."""
    if el.tag != "header":
        return False
    if el.get("role") == "banner" or matches(el, SITE_HEADER):
        return True
    return el.find(".//h1") is None and not any(a.tag == "article" for a in el.iterancestors())


def take_comments(body: HtmlElement) -> list[HtmlElement]:
    """Reader comments, taken out of the page: one element per comment (its replies
    removed: they follow it), in page order."""
    containers = [el for el in body.iter() if matches(el, COMMENTS) and _comments_in(el)]
    items: list[HtmlElement] = []
    for container in outermost(containers):
        for item in _comments_in(container):
            item = copy.deepcopy(item)
            for reply in _comments_in(item):
                reply.getparent().remove(reply)
            drop_furniture(item, COMMENT_DROP_TAGS, COMMENT_NOISE, page=False)
            items.append(item)
        container.drop_tree()
    return items


def _comments_in(el: HtmlElement) -> list[HtmlElement]:
    return [d for d in el.iterdescendants() if isinstance(d.tag, str) and (
        "comment" in (d.get("class") or "").split() or COMMENT_ITEM.match(d.get("id") or ""))]


def take_notes(body: HtmlElement) -> dict[str, list[HtmlElement]]:
    """Note definitions by id (each a list of elements), taken out of the page."""
    containers = outermost([el for el in body.iter() if _is_notes_list(el)])
    definitions: dict[str, list[HtmlElement]] = {}
    for container in containers:
        for label, elements in _definitions(container):
            definitions.setdefault(label, elements)
        container.drop_tree()
    return definitions


def _is_notes_list(el: HtmlElement) -> bool:
    if el.tag not in ("ol", "ul", "section", "div", "aside", "footer"):
        return False
    named = el.get("role") in ("doc-endnotes", "doc-footnotes") or matches(el, NOTES_CLASS)
    return named and el.find(".//h1") is None and not _holds_references(el)


def _holds_references(el: HtmlElement) -> bool:
    """Whether ``el`` holds note references (so it is the text, not the note list)."""
    links = el.xpath(".//a[@role='doc-noteref'] | .//sup//a[starts-with(@href, '#')]")
    return any(not _is_backlink(a) for a in links)


def _is_backlink(a: HtmlElement) -> bool:
    return a.get("role") == "doc-backlink" or matches(a, BACKLINK) or text_of(a) in ARROWS


def _definitions(container: HtmlElement) -> list[tuple[str, list[HtmlElement]]]:
    items = container.xpath(".//li[not(ancestor::li)]")
    if items:
        return [(_label(li) or f"#{n}", [li]) for n, li in enumerate(items, 1)]
    found: list[tuple[str, list[HtmlElement]]] = []
    for para in container.iter("p"):
        label = _label(para)
        if label:
            found.append((label, [para]))
        elif found:
            found[-1][1].append(para)   # a note's second paragraph
    return found


def _label(el: HtmlElement) -> str | None:
    for d in el.iter():
        if isinstance(d.tag, str) and (d.get("id") or (d.tag == "a" and d.get("name"))):
            return d.get("id") or d.get("name")
    return None


def drop_backlinks(el: HtmlElement, ref_ids: set[str]) -> None:
    """Drop the "↩" links from a note back to its references (ids in ``ref_ids``)."""
    for a in list(el.iter("a")):
        href = a.get("href") or ""
        if (href.startswith("#") and unquote(href[1:]) in ref_ids) or _is_backlink(a):
            parent = a.getparent()
            (parent if parent.tag == "sup" and text_of(parent) == text_of(a) else a).drop_tree()


# -- front matter and metadata --------------------------------------------------------------

def take_front(root: HtmlElement, h1: HtmlElement | None,
               make_leaf: Callable[[str, HtmlElement], Block | None],
               patterns: Patterns) -> tuple[tuple[Block, ...], Metadata]:
    """Subtitle, byline and dateline met before the first real paragraph, as leaves taken
    out of the tree; with the author and date they give (the rest of the Metadata empty)."""
    order = {el: n for n, el in enumerate(root.iter())}
    found = _find_front(h1, order)
    whole = {kind: _expand(el, root, h1, found.values()) for kind, el in found.items()}
    blocks: list[Block] = []
    for kind, el in sorted(whole.items(), key=lambda pair: order[found[pair[0]]]):
        if any(inside(el, other) for other in whole.values() if other is not el):
            continue   # a time inside the byline: one block, the byline
        block = make_leaf(kind, el)
        blocks += [block] if block else []
    for el in whole.values():
        _remove(el, root)
    return tuple(blocks), _front_metadata(found, patterns)


def _find_front(h1: HtmlElement | None, order: dict[HtmlElement, int]) -> dict[str, HtmlElement]:
    limit = next((n for el, n in order.items()
                  if el.tag == "p" and len(text_of(el).split()) >= 12), len(order))
    header = None if h1 is None else \
        next((a for a in h1.iterancestors() if a.tag in ("header", "hgroup")), None)
    tests: dict[str, Callable[[HtmlElement], bool]] = {
        "subtitle": lambda el: _is_subtitle(el, header), "byline": _is_byline,
        "dateline": lambda el: el.tag == "time"}
    found: dict[str, HtmlElement] = {}
    for kind, test in tests.items():
        el = next((el for el, n in order.items() if 0 < n < limit and isinstance(el.tag, str)
                   and test(el) and not _touches(el, h1)), None)
        if el is not None:
            found[kind] = el
    return found


def _touches(el: HtmlElement, h1: HtmlElement | None) -> bool:
    """Whether ``el`` is, holds or is inside the title."""
    return h1 is not None and (el is h1 or inside(h1, el) or inside(el, h1))


def _is_subtitle(el: HtmlElement, header: HtmlElement | None) -> bool:
    """Marked as a subtitle, or an h2 in the title's header (a p in its hgroup)."""
    second = el.tag == "h2" or (el.tag == "p" and getattr(header, "tag", "") == "hgroup")
    return (second and inside(el, header)) or matches(el, SUBTITLE)


def _is_byline(el: HtmlElement) -> bool:
    return el.tag == "address" or el.get("rel") == "author" or \
        el.get("itemprop") == "author" or matches(el, BYLINE)


def inside(el: HtmlElement, ancestor: HtmlElement | None) -> bool:
    return any(a is ancestor for a in el.iterancestors())


def _expand(el: HtmlElement, root: HtmlElement, h1: HtmlElement | None, found: Iterable[HtmlElement]
            ) -> HtmlElement:
    """The element to take: ``el`` with its inline wrappers, or its short block parent."""
    while el.getparent() is not root and el.getparent().tag in INLINE_TAGS:
        el = el.getparent()
    parent = el.getparent()
    others = [o for o in found if not (o is el or inside(o, el))]
    if parent is root or parent.tag not in ("p", "div") or len(text_of(parent).split()) > 15 \
            or (h1 is not None and inside(h1, parent)) or any(inside(o, parent) for o in others):
        return el
    return parent


def _remove(el: HtmlElement, root: HtmlElement) -> None:
    """Drop ``el``, and its parent if nothing but separators ("|") is left in it."""
    parent = el.getparent()
    el.drop_tree()
    if parent is not None and parent is not root and not re.search(r"\w", parent.text_content()) \
            and parent.find(".//img") is None:
        parent.drop_tree()


def _front_metadata(found: dict[str, HtmlElement], patterns: Patterns) -> Metadata:
    author: tuple[str, ...] = ()
    date = ""
    if "byline" in found:
        names = [d for d in found["byline"].iter() if isinstance(d.tag, str) and (
            d.get("rel") == "author" or d.get("itemprop") == "author"
            or matches(d, AUTHOR_NAME))]
        name = text_of(names[-1]) if names else text_of(found["byline"])
        author = names_of(name, patterns)
    if "dateline" in found:
        time = found["dateline"]
        date = iso_date(time.get("datetime") or "", patterns) or \
            iso_date(text_of(time), patterns)
    return Metadata(author=author, date=date)


def page_metadata(page: HtmlElement, h1: HtmlElement | None, found: Metadata, patterns: Patterns
                  ) -> Metadata:
    meta = {(m.get("name") or m.get("property") or "").lower(): (m.get("content") or "").strip()
            for m in page.iter("meta")}
    title = text_of(h1) if h1 is not None else ""
    canonical = page.xpath("string(//link[@rel='canonical']/@href)") or meta.get("og:url", "")
    return Metadata(author=found.author or names_of(meta.get("author", ""), patterns),
                    date=found.date or iso_date(meta.get("article:published_time", ""),
                                                patterns),
                    publisher=meta.get("og:site_name") or _site_name(page, title),
                    provenance=canonical)


def _site_name(page: HtmlElement, title: str) -> str:
    """The part of "Essay title | Site name" that is not the essay's title."""
    head_title = " ".join((page.findtext(".//head/title") or "").split())
    for sep in (" | ", " – ", " — ", " - ", " :: ", " · "):
        parts = [part.strip() for part in head_title.split(sep)]
        if len(parts) == 2 and title.casefold() in (parts[0].casefold(), parts[1].casefold()):
            return parts[1] if parts[0].casefold() == title.casefold() else parts[0]
    return ""
