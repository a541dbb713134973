"""Front and back matter around the essays: title page, cover page, colophon.

All words come from the furniture table of the edition's language; facts (names, dates,
identifiers) from the edition. The colophon says where the essay first appeared (and, for
the source-language edition, its provenance), who translated it, and its rights.
"""
from __future__ import annotations

from lxml import etree

from .. import languages
from .edition import Edition
from .furniture import Furniture, format_date
from .typography import typeset_tree
from .xhtml import element, page, set_lang


def mark_furniture(el: etree._Element, furniture: Furniture, lang: str) -> None:
    """Mark furniture shown in English because the edition's language has no table
    (``lang``, ``xml:lang``, and ``dir`` when the edition is written right to left)."""
    if furniture.fallback:
        set_lang(el, furniture.lang, lang)


def original_publication(edition: Edition) -> str:
    meta = edition.document.metadata
    date = format_date(meta.date, edition.lang) if meta.date else ""
    return ", ".join(filter(None, (meta.publisher, date)))


def rights_text(edition: Edition) -> str:
    parts = [edition.document.metadata.rights, edition.publisher.rights]
    return " ".join(dict.fromkeys(p.strip() for p in parts if p.strip()))


def colophon_rows(edition: Edition, furniture: Furniture
                  ) -> list[tuple[str, str, str | None]]:
    """(label, value, language of the value if not the edition's) for one edition.
    Rights and provenance are free text of the source: they keep its language."""
    meta = edition.document.metadata
    source = None if edition.is_source else edition.source_lang
    rows: list[tuple[str, str, str | None]] = [
        (furniture["original_publication"], original_publication(edition), None)]
    if edition.is_source:
        rows.append((furniture["provenance"], meta.provenance, None))
    else:
        rows.append((furniture["original_language"],
                     languages.display_name(edition.source_lang, edition.lang), None))
        rows.append((furniture["translation"], ", ".join(edition.translators), None))
    rows += [(furniture["publisher"], edition.publisher.publisher, None),
             (furniture["rights"], rights_text(edition), source),
             (furniture["identifier"], edition.identifier, None)]
    return [row for row in rows if row[1]]


def colophon(editions: tuple[Edition, ...], titles: tuple[str, ...], lang: str,
             furniture: Furniture, level: int = 2) -> etree._Element:
    """A ``<section>`` about this edition (one block per essay in an anthology)."""
    section = element("section", epub_type="colophon", role="doc-colophon", class_="colophon",
                      id="colophon")
    heading = element(f"h{level}", furniture["colophon"], parent=section)
    mark_furniture(heading, furniture, lang)
    for edition, title in zip(editions, titles, strict=True):
        if len(editions) > 1:
            element(f"h{level + 1}", title, parent=section)
        _rows(section, colophon_rows(edition, furniture), lang, furniture)
    if any(e.fallbacks for e in editions):
        notice = element("p", furniture["fallback_notice"], parent=section,
                         class_="fallback-notice")
        mark_furniture(notice, furniture, lang)
    typeset_tree(section, lang)
    return section


def _rows(parent: etree._Element, rows: list[tuple[str, str, str | None]], lang: str,
          furniture: Furniture) -> None:
    dl = element("dl", parent=parent)
    for label, value, value_lang in rows:
        mark_furniture(element("dt", label, parent=dl), furniture, lang)
        dd = element("dd", value, parent=dl)
        if value_lang and value_lang != lang:
            set_lang(dd, value_lang, lang)


def title_page(title: str, authors: tuple[str, ...], translators: tuple[str, ...],
               publisher: str, lang: str, furniture: Furniture,
               title_lang: str | None = None) -> etree._Element:
    root, body = page(title, lang, "style.css", body_type="frontmatter")
    label = "" if furniture.fallback else furniture["title_page"]   # no English label
    section = element("section", parent=body, epub_type="titlepage", class_="titlepage",
                      id="titlepage", aria_label=label)
    heading = element("h1", title, parent=section, class_="title")
    if title_lang:
        set_lang(heading, title_lang, lang)
    if authors:
        element("p", languages.join_names(authors, lang), parent=section, class_="author")
    if translators:
        line = element("p", furniture.format("translated_by", names=", ".join(translators)),
                       parent=section, class_="translators")
        mark_furniture(line, furniture, lang)
    if publisher:
        element("p", publisher, parent=section, class_="publisher")
    typeset_tree(section, lang)
    return root


def cover_page(title: str, lang: str, furniture: Furniture,
               image: str = "cover.svg") -> etree._Element:
    """The cover image; without a furniture table its alternative text is the title alone
    (an ``alt`` cannot mix an English "Cover:" with a title in another language)."""
    root, body = page(furniture["cover"], lang, "style.css", body_type="cover")
    mark_furniture(root[0][0], furniture, lang)          # <title>
    section = element("section", parent=body, epub_type="cover", class_="cover", id="cover")
    alt = title if furniture.fallback else furniture.format("cover_alt", title=title)
    element("img", parent=section, src=image, alt=alt)
    return root

