"""The bilingual edition: an essay in its source language and in a translation, paragraph
by paragraph, as an HTML page (two columns on wide screens, stacked on phones) and an
EPUB (stacked pairs).

Both editions are rendered as the build renders them (``writers/essay.py``); their
documents have the same blocks (the catalogue changes segments, never structure), so
their leaves (paragraphs, headings, captions) are paired in document order. The page
keeps the source's structure (sections, notes list, quotes) and puts each pair where the
source's leaf was::

    <div class="pair"><div class="source" lang="en">…</div>
                      <div class="target" lang="fr">…</div></div>

Ids inside the translation's leaves get the target language as a suffix (``s12-fr``),
and links to them follow, so that each id is used once; note references of both sides
lead to the one note.
"""
from __future__ import annotations

import copy
import uuid

from lxml import etree

from ..errors import BuildError, Diagnostic
from .edition import Edition
from .epub import BookSpec, build_epub, chapter, chapter_file, first_sentence, source_of
from .essay import EssayPage, render_essay
from .furniture import furniture_for
from .html import serialize_html
from .matter import colophon, rights_statements
from .xhtml import bare, element, page, set_lang, x

# (the essay's elements are in no namespace: writers/essay.py)
LEAF_TAGS = frozenset(("p", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption"))


def bilingual_page(source: Edition, target: Edition) -> EssayPage:
    """The essay as one ``<section>`` of pairs (source, target), with the target's table
    of contents (its fragments are the same in both)."""
    src = render_essay(source.document, source.lang, furniture_for(source.lang))
    tgt = render_essay(target.document, target.lang, furniture_for(target.lang))
    left, right = leaves(src.section), leaves(tgt.section)
    if len(left) != len(right):
        raise BuildError(f"{target.essay}: the {target.lang} edition has {len(right)} "
                         f"paragraphs and the {source.lang} one {len(left)}",
                         where=target.essay,
                         hint="rebuild the catalogue (serge-publish update) and report this")
    for a, b in zip(left, right, strict=True):
        _pair(a, _renamed(b, target.lang), source.lang, target.lang)
    return EssayPage(src.section, tgt.title, tgt.toc, src.diagnostics + tgt.diagnostics)


def leaves(section: etree._Element) -> list[etree._Element]:
    """The paragraphs, headings and captions of a rendered essay, in document order."""
    return [el for el in section.iter(*LEAF_TAGS)
            if not any(a.tag in LEAF_TAGS for a in el.iterancestors())]


def _pair(left: etree._Element, right: etree._Element, source: str, target: str) -> None:
    """Put the pair where ``left`` is; a caption stays a caption holding the pair."""
    caption = left.tag == "figcaption"
    pair = bare("div", class_="pair")            # in the essay's section: no namespace
    outer = bare("figcaption") if caption else pair
    if caption:
        outer.append(pair)
    left.addprevious(outer)
    outer.tail, left.tail = left.tail, None
    outer.getparent().remove(left)  # type: ignore[union-attr]  # added just before
    for side, el, lang in (("source", left, source), ("target", right, target)):
        box = bare("div", parent=pair, class_=side)
        set_lang(box, lang, target)
        if caption:                  # the caption's content, without a second figcaption
            box.text = el.text
            box.extend(list(el))
        else:
            el.tail = None
            box.append(el)


def _renamed(leaf: etree._Element, lang: str) -> etree._Element:
    """A copy of ``leaf`` whose ids end in ``-lang``, and its links to them."""
    leaf = copy.deepcopy(leaf)
    renamed = {}
    for el in leaf.iter():
        if el.get("id"):
            renamed[el.get("id")] = f"{el.get('id')}-{lang}"
            el.set("id", renamed[el.get("id")])
    for el in leaf.iter("a"):
        href = el.get("href") or ""
        if href.startswith("#") and href[1:] in renamed:
            el.set("href", f"#{renamed[href[1:]]}")
    return leaf


def bilingual_html(source: Edition, target: Edition, css_href: str
                   ) -> tuple[bytes, list[Diagnostic]]:
    """The bilingual page: two columns on wide screens (see bilingual.css)."""
    essay = bilingual_page(source, target)
    root, body = page(essay.title, target.lang, css_href)
    body.set("class", "bilingual")
    element("main", parent=body).append(essay.section)
    element("footer", parent=body).append(_colophon(source, target, essay.title))
    return serialize_html(root), list(essay.diagnostics)


def bilingual_epub(source: Edition, target: Edition, css: bytes
                   ) -> tuple[bytes, list[Diagnostic]]:
    """The bilingual EPUB: a book in the target language whose every paragraph follows
    its original."""
    furniture = furniture_for(target.lang)
    essay = bilingual_page(source, target)
    spec = BookSpec(
        title=essay.title, lang=target.lang, title_lang=None,
        identifier=bilingual_identifier(source, target),
        date=max(source.date, target.date), authors=target.document.metadata.author,
        translators=target.translators, publisher=target.publisher.publisher,
        rights=rights_statements((target,), target.lang), source_lang=target.source_lang,
        provenance=(),
        description=target.facts.description or first_sentence(target),
        sources=(source_of(target),),
        chapters=(chapter(chapter_file(target.essay), essay, target.lang),),
        colophon=_colophon(source, target, essay.title),
        furniture=furniture)
    return build_epub(spec, css), list(essay.diagnostics)


def bilingual_identifier(source: Edition, target: Edition) -> str:
    """Stable, and another than the translation's own edition's."""
    base = uuid.UUID(target.identifier.removeprefix("urn:uuid:"))
    return f"urn:uuid:{uuid.uuid5(base, f'bilingual/{source.lang}')}"


def _colophon(source: Edition, target: Edition, title: str) -> etree._Element:
    """The translation's colophon, naming the bilingual edition's identifier."""
    section = colophon((target,), (title,), target.lang, furniture_for(target.lang))
    for dd in section.iter(x("dd")):
        if dd.text == target.identifier:
            dd.text = bilingual_identifier(source, target)
    return section
