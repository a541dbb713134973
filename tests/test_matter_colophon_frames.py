"""The colophon made of frames (issue 8): its heading, the lists of its rows and its
notice made once a language and shape (matter._Frames) and copied, then given an
edition's values. Compared, byte for byte, with the colophon made element by element as
it was made before (kept below as the reference), over editions whose rows change their
shape and values from one call to the next (the frames are reused, and must come back
unchanged): right-to-left languages, CJK, languages without a furniture table, the
source edition, translators or none, credits, fallbacks, links, values in another
language, ordinals, characters XML forbids, anthologies with their own rows."""
from __future__ import annotations

import dataclasses
from itertools import cycle, islice

import pytest
from lxml import etree

from build_helpers import DATE, PUBLISHER, edition, sample_document
from serge_publish.languages import FSI, PDI, spaced
from serge_publish.writers import epub, matter
from serge_publish.writers.edition import Anthology, Credits, Edition, EssayFacts
from serge_publish.writers.furniture import Furniture, furniture_for
from serge_publish.writers.typography import typeset_tree
from serge_publish.writers.xhtml import clean, element, serialize, set_lang

# fa and fi: languages without a furniture table (English furniture, in a right-to-left
# edition for fa)
LANGS = ["en", "fr", "ar", "fa", "ja", "zh-Hant", "fi", "qps", "xx", "ru"]


def reference_colophon(editions: tuple[Edition, ...], titles: tuple[str, ...], lang: str,
                       furniture: Furniture, level: int,
                       book: list[tuple[str, str, str | None]] | None) -> etree._Element:
    """matter._colophon as it was, element by element."""
    section = element("section", epub_type="colophon", role="doc-colophon", class_="colophon",
                      id="colophon")
    heading = element(f"h{level}", furniture["colophon"], parent=section)
    matter.mark_furniture(heading, furniture, lang)
    matter._typeset(heading, lang)
    if book:
        reference_rows(section, book, lang, furniture)
    for edition_, title in zip(editions, titles, strict=True):
        if len(editions) > 1:
            matter._typeset(element(f"h{level + 1}", title, parent=section), lang)
        reference_rows(section, matter.colophon_rows(edition_, furniture), lang, furniture)
    if any(e.fallbacks for e in editions):
        notice = element("p", furniture["fallback_notice"], parent=section,
                         class_="fallback-notice")
        matter.mark_furniture(notice, furniture, lang)
        matter._typeset(notice, lang)
    return section


def reference_rows(parent: etree._Element, rows: list[matter.Row],
                   lang: str, furniture: Furniture) -> None:
    """matter._rows as it was; a value in more than one language (the rights: the
    essay's and the project's statements, one translated, one not), a span a part."""
    dl = element("dl", parent=parent)
    for label, value, value_lang in rows:
        dt = element("dt", label, parent=dl)
        matter.mark_furniture(dt, furniture, lang)
        matter._typeset(dt, lang)
        if isinstance(value, tuple):
            dd = element("dd", parent=dl)
            for i, (text, part_lang) in enumerate(value):
                if i:                           # the space after a part, in its language
                    before = value[i - 1][1]
                    dd[-1].tail = " " if spaced(lang) or spaced(before) else None
                span = element("span", text, parent=dd)
                if part_lang != lang:
                    set_lang(span, part_lang, lang)
                matter._typeset(span, lang)
            continue
        url = matter._is_url(value)
        dd = element("dd", "" if url or FSI in value else value, parent=dl)
        if value_lang and value_lang != lang:
            set_lang(dd, value_lang, lang)
        if url:
            matter._typeset(element("a", value, parent=dd, href=value), value_lang or lang)
        elif FSI in value:
            reference_isolated(dd, value)
            typeset_tree(dd, value_lang or lang)
        else:
            matter._typeset(dd, lang)


def reference_isolated(el: etree._Element, value: str) -> None:
    """A value's names isolated between FSI and PDI, each put in a <bdi>, the text
    around them left as it is."""
    parts = value.split(FSI)
    el.text = clean(parts[0]) or None
    for part in parts[1:]:
        name, _, after = part.partition(PDI)
        element("bdi", name, parent=el).tail = clean(after) or None


def editions_of(lang: str, count: int = 12) -> list[Edition]:
    """Editions of ``lang`` whose colophons differ in shape and values."""
    made = []
    people = [(), ("Jeanne \"JD\" Dupont",), ("مترجم", "訳者"), ("Ann\x01 Lee",),
              ("Ann Lee", "مترجم", "Li Wei 2nd")]
    for i in range(count):
        doc = sample_document(f"essay-{i}")
        meta = dataclasses.replace(
            doc.metadata, publisher=["", "Revue \"Clarté\" - 1er numéro", "مجلة"][i % 3],
            date=["", "2016", "2016-01", "2016-01-18", "someday"][i % 5],
            provenance=["", "Repris... d'un 'blog'"][i % 2],
            rights=["", "© the author.", "Droits : réservés!"][i % 3])
        doc = dataclasses.replace(doc, metadata=meta)
        facts = EssayFacts(
            url=["", "https://example.org/e?x=1", "http://x.org/a b", "not a url"][i % 4],
            rights=["", "CC-BY 4.0 -- libre", "Le XXe siècle..."][i % 3],
            rights_lang=["", "en", lang, "ar"][i % 4],
            permission_from=["", "L'auteur", "", "مؤلف"][i % 4],
            permission_date=["", "2017-03"][i // 2 % 2])
        credits = Credits(revisers=(("Paul",), ())[i % 2],
                          editors=((), ("E. D.", "F. G."))[i // 3 % 2],
                          status=["", "reviewed", "draft"][i % 3])
        source = i % 5 == 4
        made.append(dataclasses.replace(
            edition(doc, "en" if source else lang,
                    translators=() if source else people[i % 5],
                    fallbacks=i % 3, credits=credits, facts=facts),
            # the project's rights translated, or not (in English, or in Arabic)
            publisher=dataclasses.replace(PUBLISHER,
                                          rights_lang=["", "en", "", "ar"][i // 4 % 4])))
    return made


def outcome(make, *args) -> bytes | type[Exception]:
    """The colophon's bytes in a page, or the error raised (alike by both ways)."""
    try:
        return etree.tostring(make(*args), encoding="utf-8")
    except ValueError as error:
        return type(error)


BOOKS = [None, [],
         [("Date", "1er janvier 2016", None), ("Lien", "https://x.org/a", "en"),
          ("Droits", "CC -- BY", "en"), ("Vide", "", None)],
         [("Identifier", "urn:uuid:1234-5678", None), ("الحقوق", "حقوق", "ar")]]
TITLES = ["Le \"titre\" - 1er", "", "العنوان", "长标题" * 5, "A\x0btitle", "IIIe Internationale"]


@pytest.mark.parametrize("lang", LANGS)
def test_one_essays_colophon_is_the_reference_colophon(lang):
    furniture = furniture_for(lang)
    for i, (one, book) in enumerate(zip(editions_of(lang, 24), cycle(BOOKS))):
        for level in (2, 3):
            args = ((one,), (TITLES[i % len(TITLES)],), one.lang, furniture, level, book)
            assert outcome(matter._colophon, *args) == outcome(reference_colophon, *args), \
                (i, level)


@pytest.mark.parametrize("lang", LANGS)
def test_an_anthologys_colophon_is_the_reference_colophon(lang):
    furniture = furniture_for(lang)
    editions = tuple(e for e in editions_of(lang, 30) if e.lang == lang)
    anthology = Anthology(editions, lang, "en", PUBLISHER, DATE)
    titles = tuple(islice(cycle(TITLES), len(editions)))
    for book in [*BOOKS, epub._anthology_rows(anthology, furniture)]:
        args = (editions, titles, lang, furniture, 2, book)
        assert outcome(matter._colophon, *args) == outcome(reference_colophon, *args)
        two = (editions[:2], titles[:2], lang, furniture, 3, book)
        assert outcome(matter._colophon, *two) == outcome(reference_colophon, *two)
        none = ((), (), lang, furniture, 2, book)
        assert outcome(matter._colophon, *none) == outcome(reference_colophon, *none)


def test_a_mismatch_of_editions_and_titles_is_refused_alike():
    furniture = furniture_for("fr")
    editions = tuple(editions_of("fr", 3))
    for titles in [(), ("a",), ("a", "b")]:
        args = (editions, titles, "fr", furniture, 2, None)
        assert outcome(matter._colophon, *args) is ValueError
        assert outcome(reference_colophon, *args) is ValueError


def test_the_colophon_as_given_is_the_reference_colophon_in_its_page():
    """Through matter.colophon (an HTML page's call keeping it, the EPUB's taking it),
    each colophon in its page the same bytes as the reference's."""
    for lang in LANGS:
        furniture = furniture_for(lang)
        for i, one in enumerate(editions_of(lang)):
            title = TITLES[i % len(TITLES)]
            reference = reference_colophon((one,), (title,), one.lang, furniture, 2, None)
            expected = serialize(_page(reference))
            html = matter.colophon((one,), (title,), one.lang, furniture, last_use=True,
                                   keep=True)
            assert serialize(_page(html)) == expected
            twin = dataclasses.replace(one)
            assert serialize(_page(matter.colophon((twin,), (title,), one.lang,
                                                   furniture))) == expected


def _page(section: etree._Element) -> etree._Element:
    root = element("html")
    element("body", parent=root).append(section)
    return root


def test_a_frame_comes_back_unchanged_from_its_copies():
    """Copies filled (typeset, with superscript ordinals, links) leave the frames as
    they were: the first colophon made again is the same."""
    furniture = furniture_for("fr")
    one = editions_of("fr", 2)[1]
    first = etree.tostring(matter._colophon((one,), ("Le 1er",), "fr", furniture, 2, None))
    for other in editions_of("fr", 20):
        matter._colophon((other,), ("Le 2e",), "fr", furniture, 2, BOOKS[2])
        matter._colophon((other, one), ("Le 2e", "3e"), "fr", furniture, 2, BOOKS[2])
    assert etree.tostring(matter._colophon((one,), ("Le 1er",), "fr", furniture, 2,
                                           None)) == first


def test_the_frames_are_bounded(monkeypatch):
    monkeypatch.setattr(matter, "KEPT_SHAPES", 3)
    furniture = furniture_for("de")
    frames = matter._frames("de", furniture, 2)
    for n in range(10):
        rows = [(f"Label {n}", "value", None)]
        frames.rows(matter._shape(rows, "de"), rows)
        frames.section(None, matter._shape(rows, "de"), bool(n % 2))
    assert len(frames._rows) <= 3 and len(frames._sections) <= 3


@pytest.mark.parametrize("lang, joined", [("en", "Jeanne Dupont, Paul Martin, and Li Wei"),
                                          ("fr", "Jeanne Dupont, Paul Martin et Li Wei"),
                                          ("ja", "Jeanne Dupont、Paul Martin、Li Wei")])
def test_credits_list_names_as_their_language_does(lang, joined):
    """Translators, revisers and editors are listed in the colophon, the anthology's
    colophon and the title page ("Translated by ...") as the edition's language lists
    names (CLDR, as the site's index pages and the book's authors are), not with commas
    whatever the language."""
    from serge_publish import languages
    names = ("Jeanne Dupont", "Paul Martin", "Li Wei")
    assert languages.join_names(names, lang) == joined
    furniture = furniture_for(lang)
    made = dataclasses.replace(edition(lang=lang), source_lang="de", translators=names,
                               credits=Credits(revisers=names, editors=names,
                                               status="reviewed"))
    rows = dict((label, value) for label, value, _ in matter.colophon_rows(made, furniture))
    for key in ("translation", "revision", "editing"):
        assert rows[furniture[key]] == joined, key
    book = Anthology(editions=(made,), lang=lang, source_lang="de", publisher=PUBLISHER,
                     date=DATE)
    assert dict((label, value) for label, value, _ in epub._anthology_rows(
        book, furniture))[furniture["translation"]] == joined
    page = serialize(matter.title_page("T", ("A. Author",), names, "P", lang, furniture))
    assert furniture.format("translated_by", names=joined).encode() in page


@pytest.mark.parametrize("lang", ["tr", "ko", "ja", "fa"])
def test_translated_by_joins_names_in_the_language_of_its_sentence(lang):
    """"Translated by {names}" on the title page and on the site's index pages is the
    furniture's sentence, or the site's: where it falls back to English (marked so), the
    names are joined as English joins them ("A and B", not "A ve B" in a line marked
    English); where it does not, as the edition's language does."""
    from serge_publish import languages
    from serge_publish.writers.site import _byline
    from serge_publish.writers.site_model import EssayEntry, words
    names = ("Jeanne Dupont", "Paul Martin")
    furniture = furniture_for(lang)
    sentence = furniture.lang if furniture.fallback else lang
    page = matter.title_page("T", (), names, "", lang, furniture)
    (line,) = page.iter("{*}p")
    assert line.text == furniture.format(
        "translated_by", names=languages.join_names(names, sentence))
    assert (line.get("lang") or lang) == sentence
    entry = EssayEntry("e", lang, "T", None, (), names, "", "", None, "", 0.0, "", "")
    li = element("li")
    _byline(li, entry, lang)
    (span,) = li
    site_sentence = words(lang)[1] or lang
    assert span.text == words(lang)[0]["translated_by"].format(
        names=languages.join_names(names, site_sentence))
    assert (span.get("lang") or lang) == site_sentence
