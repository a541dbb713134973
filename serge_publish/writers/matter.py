"""Front and back matter around the essays: title page, cover page, colophon.

All words come from the furniture table of the edition's language; facts (names, dates,
identifiers) from the edition. The colophon says where the essay first appeared (and, for
the source-language edition, its provenance), who translated it, and its rights.
"""
from __future__ import annotations

import copy
from functools import lru_cache, partial

from lxml import etree

from .. import languages
from .edition import Edition
from .furniture import FALLBACK, Furniture, format_date, furniture_for
from .typography import set_text, superscript_ordinals, typeset_tree
from .xhtml import XML_LANG, clean, element, page, set_isolated_text, set_lang, x


def mark_furniture(el: etree._Element, furniture: Furniture, lang: str) -> None:
    """Mark furniture shown in English because the edition's language has no table
    (``lang``, ``xml:lang``, and ``dir`` when the edition is written right to left)."""
    if furniture.fallback:
        set_lang(el, furniture.lang, lang)


def name_and_date(name: str, date: str, lang: str) -> str:
    """A name and a date joined as ``lang`` punctuates them (furniture ``name_date``:
    "Links, 18 January 2016", "Links、2016年1月18日", "Links، 18 يناير 2016"); either
    alone as it is. The pseudo-language joins them as English does (its table's
    brackets are for words). A name written in the other direction than ``lang`` is
    isolated (:func:`languages.isolate`): "Links، 18 يناير 2016" is not read
    "Links، 18" then "يناير 2016"."""
    name = languages.isolate(name, lang)
    if not (name and date):
        return name or date
    table = furniture_for(FALLBACK if lang == languages.PSEUDO else lang)
    return table.format("name_date", name=name, date=date)


def original_publication(edition: Edition) -> str:
    meta = edition.document.metadata
    date = format_date(meta.date, edition.lang) if meta.date else ""
    return name_and_date(meta.publisher, date, edition.lang)


# A text and its language (a rights statement, or a part of one)
Part = tuple[str, str]

# A colophon row: its label, its value (a text, or the parts of a text in more than one
# language: see :func:`rights_value`), and the language of a text value when not the
# edition's
Row = tuple[str, "str | tuple[Part, ...]", "str | None"]


def rights_parts(edition: Edition) -> tuple[Part, ...]:
    """The essay's rights, then the project's, each with its language: the edition's
    where the project catalogue translates it, else the source's (the essay's when the
    catalogue was not given it: the source's own statement). The same words once."""
    essay = (edition.facts.rights or edition.document.metadata.rights).strip()
    if edition.is_source:
        essay_lang = project_lang = edition.lang
    else:
        essay_lang = (edition.facts.rights_lang or edition.lang) if edition.facts.rights \
            else edition.source_lang
        project_lang = edition.publisher.rights_lang or edition.lang
    parts: dict[str, str] = {}
    for text, lang in ((essay, essay_lang), (edition.publisher.rights.strip(), project_lang)):
        if text:
            parts.setdefault(text, lang)
    return tuple(parts.items())


def join_parts(parts: tuple[Part, ...] | list[Part], lang: str) -> str:
    """The texts of ``parts`` in a text of ``lang``, one after another: a space after
    each, but after a part in a language written without spaces in an edition written
    without them (see essay.gap_after: no space after a Japanese sentence)."""
    separator = " " if languages.spaced(lang) else ""
    out, before = "", ""
    for text, part_lang in parts:
        out += (languages.gap_after(separator, before) if out else "") + text
        before = part_lang
    return out


def rights_value(edition: Edition, lang: str) -> tuple[str | tuple[Part, ...], str | None]:
    """The edition's rights (see :func:`rights_parts`) in a colophon of ``lang``: their
    text and the language of all of it when not ``lang``; or, in more than one language,
    their parts (each marked with its language in the ``<dd>``, see
    :func:`_parts_frame`) and None."""
    parts = rights_parts(edition)
    langs = {part_lang for _, part_lang in parts}
    if len(langs) > 1:
        return parts, None
    value_lang = langs.pop() if langs else None
    return join_parts(parts, lang), value_lang if value_lang != lang else None


def rights_statements(editions: tuple[Edition, ...], lang: str) -> tuple[Part, ...]:
    """The rights of ``editions`` (one, or an anthology's) in a book of ``lang``, as the
    OPF states them: one ``dc:rights`` a language, in the order the languages come,
    each the parts of ``editions`` in that language (an edition's joined, then the
    editions' in turn, the same words once). A rights text all in one language is one
    statement, as it always was."""
    by_lang: dict[str, dict[str, None]] = {}
    for edition in editions:
        own: dict[str, list[Part]] = {}
        for part in rights_parts(edition):
            own.setdefault(part[1], []).append(part)
        for part_lang, parts in own.items():
            by_lang.setdefault(part_lang, {})[join_parts(parts, lang)] = None
    return tuple((join_parts([(text, part_lang) for text in texts], lang), part_lang)
                 for part_lang, texts in by_lang.items())


def _parts_shape(parts: tuple[Part, ...], lang: str) -> tuple[str | None, ...]:
    """The language of each of ``parts`` in a colophon of ``lang``: None, ``lang``'s."""
    return tuple(part_lang if part_lang != lang else None for _, part_lang in parts)


def _parts_frame(dd: etree._Element, langs: tuple[str | None, ...], lang: str) -> None:
    """A ``<dd>`` of a text in more than one language (:func:`rights_value`), without
    its texts: a ``<span>`` a part, one not in ``lang`` marked with its language as a
    fallback segment is (lang, xml:lang, and dir where the direction changes); after
    each but the last, the space :func:`join_parts` puts there."""
    separator = " " if languages.spaced(lang) else ""
    for i, part_lang in enumerate(langs):
        span = element("span", parent=dd)
        if part_lang:
            set_lang(span, part_lang, lang)
        if i:
            dd[i - 1].tail = languages.gap_after(separator, langs[i - 1] or lang) or None


def _fill_parts(dd: etree._Element, parts: str | tuple[Part, ...],
                langs: str | None | tuple[str | None, ...], lang: str) -> None:
    """The ``<span>`` of each of ``parts`` (see :func:`_parts_frame`) given its text,
    typeset in its language (``langs``: their shape's)."""
    assert isinstance(parts, tuple) and isinstance(langs, tuple)
    for span, (text, _), part_lang in zip(dd, parts, langs, strict=True):
        span.text = clean(text)
        _typeset_in(span, part_lang or lang)


def status_statement(status: str, furniture: Furniture) -> str:
    """How the translation was made, as a translated sentence ("" when not said)."""
    return furniture[f"status_{status}"] if status else ""


def permission_text(edition: Edition) -> str:
    facts = edition.facts
    date = format_date(facts.permission_date, edition.lang) if facts.permission_date else ""
    return name_and_date(facts.permission_from, date, edition.lang)


def colophon_rows(edition: Edition, furniture: Furniture
                  ) -> list[Row]:
    """(label, value, language of the value if not the edition's) for one edition.
    Credits are names; how the translation was made is a translated statement. Free text
    of the source not translated by the project catalogue keeps its language."""
    meta = edition.document.metadata
    credits = edition.credits
    rows: list[Row] = [
        (furniture["original_publication"], original_publication(edition), None),
        (furniture["original_url"], edition.facts.url, None)]
    if edition.is_source:
        rows.append((furniture["provenance"], meta.provenance, None))
    else:
        rows.append((furniture["original_language"],
                     languages.display_name(edition.source_lang, edition.lang), None))
        # as the language lists them, each isolated in it if written the other way
        names = partial(languages.join_names, lang=edition.lang, within=edition.lang)
        rows.append((furniture["translation"], names(edition.translators), None))
        rows.append((furniture["revision"], names(credits.revisers), None))
        rows.append((furniture["editing"], names(credits.editors), None))
        rows.append((furniture["translation_status"],
                     status_statement(credits.status, furniture), None))
    rows += [(furniture["permission"], permission_text(edition), None),
             (furniture["publisher"], edition.publisher.publisher, None),
             (furniture["rights"], *rights_value(edition, edition.lang)),
             (furniture["identifier"], edition.identifier, None)]
    return [row for row in rows if row[1]]


def colophon(editions: tuple[Edition, ...], titles: tuple[str, ...], lang: str,
             furniture: Furniture, level: int = 2,
             book: list[Row] | None = None,
             last_use: bool = False, keep: bool = False) -> etree._Element:
    """A ``<section>`` about this edition (one block per essay in an anthology, after the
    ``book``'s own rows: its identifier and date), a tree of the caller's own. The last
    one made is kept, and a copy of it given again: an edition's EPUB and its HTML page
    have the same colophon. ``last_use``: the caller is the last to ask for it (the HTML
    page, made after the EPUB): it is given the kept tree itself, not a copy (asked for
    again, it is made again).

    ``keep``: the same colophon may be asked for later of other objects equal to these
    editions, after other colophons (the EPUB of an edition whose HTML page a plan job
    made, made by its render job of the edition's outline: see
    commands/build_render.prerender): unless it was made of these very editions before
    (their EPUB's, then asked for no more), a copy is kept by what the colophon is made
    of (its rows, titles, language, furniture...), and given, once, to the first call
    that asks for that colophon, whichever editions it is given (the colophon is not
    made twice an edition). Those never asked for again (a build without EPUBs) are
    dropped, the oldest first, past KEPT_COLOPHONS."""
    key = (lang, furniture, level, None if book is None else tuple(book), titles)
    last = _LAST_COLOPHON
    section = None
    if last and last[2] is not None and len(last[0]) == len(editions) \
            and all(a is b for a, b in zip(last[0], editions, strict=True)) and last[1] == key:
        section = last[2]
        if last_use:
            last[2] = None                       # given away
            return section
        return copy.deepcopy(section)
    rows, value = None, ()
    if _KEPT or keep:
        rows = [colophon_rows(edition, furniture) for edition in editions]
        value = _value(editions, furniture, key, rows)
        section = _KEPT.pop(value, None)
    if section is None:
        section = _colophon(editions, titles, lang, furniture, level, book, rows)
    if keep:
        _keep(value, section)
    if last_use:
        return section                           # (what is kept, kept)
    _LAST_COLOPHON[:] = [editions, key, section]
    return copy.deepcopy(section)


# [the editions (compared by identity), the other arguments, the colophon made of them
# (None: given away)]
_LAST_COLOPHON: list = []

# colophons kept by value (see colophon's ``keep``), the oldest first: each given once.
# At most KEPT_COLOPHONS (a build keeps one an edition from its HTML page, made by its
# plan job, to its EPUB, made by its render job once every plan job is done: some
# 2,000 at N=200, L=10, a few kilobytes each)
_KEPT: dict[tuple, etree._Element] = {}
KEPT_COLOPHONS = 4096


def _value(editions: tuple[Edition, ...], furniture: Furniture, key: tuple,
           rows: list[list[Row]] | None = None) -> tuple:
    """What :func:`_colophon` makes a colophon of, given ``key`` (the other arguments of
    :func:`colophon`): ``editions`` only by their rows and whether one has fallbacks."""
    if rows is None:
        rows = [colophon_rows(edition, furniture) for edition in editions]
    return (key, tuple(tuple(r) for r in rows), any(e.fallbacks for e in editions))


def _keep(value: tuple, section: etree._Element) -> None:
    """A copy of ``section`` kept under ``value`` (see :func:`colophon`'s ``keep``)."""
    _KEPT.pop(value, None)
    while len(_KEPT) >= KEPT_COLOPHONS:
        del _KEPT[next(iter(_KEPT))]
    _KEPT[value] = copy.deepcopy(section)


def _colophon(editions: tuple[Edition, ...], titles: tuple[str, ...], lang: str,
              furniture: Furniture, level: int,
              book: list[Row] | None,
              rows: list[list[Row]] | None = None) -> etree._Element:
    """The colophon, typeset as it is made (see :func:`_typeset`); ``rows``: each
    edition's :func:`colophon_rows`, if known.

    Made of frames (see :class:`_Frames`): all but its values (the words of its labels,
    heading and notice, typeset, its elements and their languages) made once a shape
    and copied, then given the values of these editions. One essay's, the whole section
    of its shape; an anthology's, its heading, then for each essay its title and a copy
    of the list of its shape (the essays of a language share a few shapes)."""
    if rows is None:
        rows = [colophon_rows(edition, furniture) for edition in editions]
    frames = _frames(lang, furniture, level)
    fallback = any(e.fallbacks for e in editions)
    book_shape = _shape(book, lang) if book else None
    if len(editions) == 1 and len(titles) == 1:
        shape = _shape(rows[0], lang)
        section = frames.section(book_shape, shape, fallback)
        lists = iter(section)
        next(lists)                                     # <h2>
        if book and book_shape:
            _fill_rows(next(lists), book, book_shape, lang)
        _fill_rows(next(lists), rows[0], shape, lang)
        return section
    section = frames.head()
    if book and book_shape:
        section.append(frames.rows(book_shape, book))
    heading = x(f"h{level + 1}")            # each essay's title (more than one essay)
    for title, edition_rows in zip(titles, rows, strict=True):
        el = etree.SubElement(section, heading)
        if title:
            el.text = clean(title)
            _typeset_in(el, lang)
        section.append(frames.rows(_shape(edition_rows, lang), edition_rows))
    if fallback:
        section.append(frames.notice())
    return section


# A row's shape: its label, whether its value is a link, the language of its value
# when not the colophon's (None), or of each of its parts (see :func:`rights_value`)
_Shape = tuple[tuple[str, bool, "str | None | tuple[str | None, ...]"], ...]


def _shape(rows: list[Row], lang: str) -> _Shape:
    """What a list of ``rows`` is made of but its values (see :data:`_Shape`)."""
    return tuple((label, _is_url(value),
                  _parts_shape(value, lang) if isinstance(value, tuple) else
                  value_lang if value_lang and value_lang != lang else None)
                 for label, value, value_lang in rows)


def _fill_rows(dl: etree._Element, rows: list[Row], shape: _Shape,
               lang: str) -> None:
    """A copy of the ``<dl>`` of ``shape`` (:func:`_rows_frame`) given the values of
    ``rows``, typeset, as they were given when the list was made element by element
    (a ``<dd>`` its value, or a link's ``<a>`` its value and ``href``)."""
    values = dl[1::2]                                   # type: ignore[index]  # lxml-stubs
    for dd, (_, value, _), (_, url, value_lang) in zip(values, rows, shape, strict=True):
        if isinstance(value, tuple) or isinstance(value_lang, tuple):
            _fill_parts(dd, value, value_lang, lang)
            continue
        if url:
            dd = dd[0]                                  # <a>
            dd.set("href", value)
        if value:
            _set_value(dd, value, value_lang or lang)


def _set_value(el: etree._Element, text: str, lang: str) -> None:
    """``el`` given ``text`` (not empty), its isolated names in ``<bdi>``s
    (:func:`xhtml.set_isolated_text`), typeset in ``lang``: as a text, or, holding
    names, as :func:`typography.typeset_tree` sets a tree."""
    if set_isolated_text(el, text):
        typeset_tree(el, lang)
    else:
        _typeset_in(el, lang)


class _Frames:
    """The frames of the colophons of one language, furniture and level (the heading's):
    trees made once and copied (lxml copies a tree in C, for a fraction of the time of
    making it element by element), each without its values (see :func:`_colophon`). At
    most KEPT_SHAPES shapes each (then they are made again)."""

    def __init__(self, lang: str, furniture: Furniture, level: int) -> None:
        self.lang, self.furniture, self.level = lang, furniture, level
        self._head = _heading(lang, furniture, level)
        self._notice = _notice(lang, furniture)
        self._rows: dict[_Shape, etree._Element] = {}
        self._sections: dict[tuple, etree._Element] = {}

    def head(self) -> etree._Element:
        """The section and its heading."""
        return copy.copy(self._head)

    def notice(self) -> etree._Element:
        """The notice of segments shown in the source language."""
        return copy.copy(self._notice)

    def rows(self, shape: _Shape, rows: list[Row]) -> etree._Element:
        """The ``<dl>`` of ``rows`` (of ``shape``), filled."""
        frame = self._rows.get(shape)
        if frame is None:
            if len(self._rows) >= KEPT_SHAPES:
                self._rows.clear()
            frame = self._rows[shape] = _rows_frame(shape, self.lang, self.furniture)
        dl = copy.copy(frame)
        _fill_rows(dl, rows, shape, self.lang)
        return dl

    def section(self, book: _Shape | None, shape: _Shape, fallback: bool) -> etree._Element:
        """One essay's section, not filled: a copy of the one of its shape."""
        key = (book, shape, fallback)
        frame = self._sections.get(key)
        if frame is None:
            if len(self._sections) >= KEPT_SHAPES:
                self._sections.clear()
            frame = copy.copy(self._head)
            if book is not None:
                frame.append(_rows_frame(book, self.lang, self.furniture))
            frame.append(_rows_frame(shape, self.lang, self.furniture))
            if fallback:
                frame.append(copy.copy(self._notice))
            self._sections[key] = frame
        return copy.copy(frame)


KEPT_SHAPES = 256


@lru_cache(maxsize=64)
def _frames(lang: str, furniture: Furniture, level: int) -> _Frames:
    """The frames of a language, furniture and level (the last few asked for kept)."""
    return _Frames(lang, furniture, level)


def _heading(lang: str, furniture: Furniture, level: int) -> etree._Element:
    section = element("section", epub_type="colophon", role="doc-colophon", class_="colophon",
                      id="colophon")
    heading = element(f"h{level}", furniture["colophon"], parent=section)
    mark_furniture(heading, furniture, lang)
    _typeset(heading, lang)
    return section


def _notice(lang: str, furniture: Furniture) -> etree._Element:
    notice = element("p", furniture["fallback_notice"], class_="fallback-notice")
    mark_furniture(notice, furniture, lang)
    _typeset(notice, lang)
    return notice


def _rows_frame(shape: _Shape, lang: str, furniture: Furniture) -> etree._Element:
    """The ``<dl>`` of rows of ``shape`` without their values: each label typeset, each
    value's ``<dd>`` (and ``<a>``, a link's) empty, in its language."""
    dl = element("dl")
    for label, url, value_lang in shape:
        dt = element("dt", label, parent=dl)
        mark_furniture(dt, furniture, lang)
        _typeset(dt, lang)
        dd = element("dd", parent=dl)
        if isinstance(value_lang, tuple):
            _parts_frame(dd, value_lang, lang)
        elif value_lang:
            set_lang(dd, value_lang, lang)
        if url:
            element("a", parent=dd)
    return dl


def _typeset(el: etree._Element, lang: str) -> None:
    """``el``'s text typeset as :func:`typography.typeset_tree` sets it where, as in the
    pages made here, it is the first text of a block (a block's own, or that of a link
    alone in a block without text before it: nothing before it to look at) and the
    only one (no tail, nothing after it in the block): by the rules of its language
    (``el``'s own, else ``lang``). Typeset as it is made, the page is not walked again
    (that walk, and its search for note calls, took most of a colophon's time)."""
    _typeset_in(el, el.get("lang") or el.get(XML_LANG) or lang)


def _typeset_in(el: etree._Element, lang: str) -> None:
    """:func:`_typeset` in ``lang``, whatever ``el`` says."""
    text = el.text
    if not text:
        return
    typeset, ordinals = set_text(text, lang, "")
    if typeset != text:
        el.text = typeset
    if ordinals:
        superscript_ordinals(el, "text")


def _is_url(value: str | tuple[Part, ...]) -> bool:
    return isinstance(value, str) and value.startswith(("http://", "https://")) \
        and " " not in value


def half_title_page(title: str, lang: str, furniture: Furniture,
                    title_lang: str | None = None) -> etree._Element:
    """The half-title: the book's title alone."""
    root, body = page(furniture["half_title"], lang, "style.css", body_type="frontmatter")
    mark_furniture(root[0][0], furniture, lang)
    section = element("section", parent=body, epub_type="halftitlepage", class_="halftitle",
                      id="halftitle", aria_label="" if furniture.fallback
                      else furniture["half_title"])
    heading = element("p", title, parent=section, class_="title")
    if title_lang:
        set_lang(heading, title_lang, lang)
    typeset_tree(section, lang)
    return root


def introduction_page(text: str, lang: str, furniture: Furniture) -> etree._Element:
    """The anthology's introduction: paragraphs separated by blank lines."""
    root, body = page(furniture["introduction"], lang, "style.css", body_type="frontmatter")
    mark_furniture(root[0][0], furniture, lang)
    section = element("section", parent=body, epub_type="introduction",
                      role="doc-introduction", class_="introduction", id="introduction")
    mark_furniture(element("h1", furniture["introduction"], parent=section), furniture, lang)
    for paragraph in (p.strip() for p in text.split("\n\n")):
        if paragraph:
            element("p", " ".join(paragraph.split()), parent=section)
    typeset_tree(section, lang)
    return root


def title_page(title: str, authors: tuple[str, ...], translators: tuple[str, ...],
               publisher: str, lang: str, furniture: Furniture,
               title_lang: str | None = None) -> etree._Element:
    """The title page, typeset as it is made (see :func:`_typeset`): a copy of the page
    of its language and parts (:func:`_title_frame`), given its texts."""
    author = languages.join_names(authors, lang, within=lang) if authors else ""
    root = copy.copy(_title_frame(lang, furniture, title_lang, bool(authors),
                                  bool(translators), bool(publisher)))
    if title:
        root[0][0].text = clean(title)                    # <title>
    lines = iter(root[1][0])
    _fill(next(lines), title, lang)
    if authors:
        _fill(next(lines), author, lang)
    if translators:
        # joined as the sentence around them is written (English, marked so, when the
        # language has no furniture of its own: not "Translated by A ve B")
        sentence = furniture.lang if furniture.fallback else lang
        names = languages.join_names(translators, sentence, within=sentence)
        _fill(next(lines), furniture.format("translated_by", names=names), lang)
    if publisher:
        _fill(next(lines), publisher, lang)
    return root


def _fill(el: etree._Element, text: str, lang: str) -> None:
    """``el`` given ``text`` as :func:`xhtml.element` gives it, typeset (its isolated
    names in ``<bdi>``s, see :func:`_set_value`)."""
    if text:
        _set_value(el, text, el.get("lang") or el.get(XML_LANG) or lang)


@lru_cache(maxsize=64)
def _title_frame(lang: str, furniture: Furniture, title_lang: str | None, authors: bool,
                 translators: bool, publisher: bool) -> etree._Element:
    """The title page of a language with the lines it has, without their texts (nor the
    page's title): not to be changed, but copied."""
    root, body = page("", lang, "style.css", body_type="frontmatter")
    label = "" if furniture.fallback else furniture["title_page"]   # no English label
    section = element("section", parent=body, epub_type="titlepage", class_="titlepage",
                      id="titlepage", aria_label=label)
    heading = element("h1", parent=section, class_="title")
    if title_lang:
        set_lang(heading, title_lang, lang)
    if authors:
        element("p", parent=section, class_="author")
    if translators:
        mark_furniture(element("p", parent=section, class_="translators"), furniture, lang)
    if publisher:
        element("p", parent=section, class_="publisher")
    return root


def cover_page(title: str, lang: str, furniture: Furniture,
               image: str = "cover.svg") -> etree._Element:
    """The cover image; without a furniture table its alternative text is the title alone
    (an ``alt`` cannot mix an English "Cover:" with a title in another language). A copy
    of the cover page of its language (:func:`_cover_frame`), given its ``alt``."""
    root = copy.copy(_cover_frame(lang, furniture, image))
    alt = title if furniture.fallback else furniture.format("cover_alt", title=title)
    if alt:
        root[1][0][0].set("alt", alt)
    return root


@lru_cache(maxsize=64)
def _cover_frame(lang: str, furniture: Furniture, image: str) -> etree._Element:
    """The cover page of a language without its image's ``alt``: not to be changed, but
    copied."""
    root, body = page(furniture["cover"], lang, "style.css", body_type="cover")
    mark_furniture(root[0][0], furniture, lang)          # <title>
    section = element("section", parent=body, epub_type="cover", class_="cover", id="cover")
    element("img", parent=section, src=image)
    return root
