"""The HTML page of an essay made as HTML at once (issue 8): essay_html builds the page in
no namespace and renames only its colophon, where the straightforward way builds the
XHTML page (essay_page) and turns all of it into HTML (serialize_html). The bytes are
the same, whatever the page: a language written right to left, one without a furniture
table, the pseudo-translation, one language alone (no switcher), no EPUB, a link to the
original publication, fallbacks, pages of several essays and languages one after the
other (what is made once and copied is made for each), the index pages among them."""
from __future__ import annotations

import dataclasses

import pytest

from build_helpers import edition, sample_document, translate
from serge_publish import languages
from serge_publish.writers import html, matter
from serge_publish.writers.edition import EssayFacts
from serge_publish.writers.html import (
    EssayLink,
    Site,
    essay_html,
    essay_page,
    index_html,
    languages_html,
    serialize_html,
)


@pytest.fixture(autouse=True)
def _nothing_kept():
    """No colophon nor switcher kept from one test to another."""
    matter._KEPT.clear()
    matter._LAST_COLOPHON.clear()
    html._LAST_LIST[:] = [None, None]
    yield
    matter._KEPT.clear()
    matter._LAST_COLOPHON.clear()
    html._LAST_LIST[:] = [None, None]


def _straight(ed, site) -> bytes:
    """The page the straightforward way: the XHTML tree, copied and all of it renamed."""
    root, _ = essay_page(ed, site)
    return serialize_html(root)


def _essay(essay: str, lang: str, **kw):
    doc = sample_document(essay)
    if lang != "en":
        doc = translate(doc, lang, lambda s: f"{s} [{lang}]")
    return edition(doc, lang, **kw)


LANGS = ("en", "fr", "ar", "fi", "fa", languages.PSEUDO)   # fi, fa: no furniture table
CASES = [
    ("en", Site("Essais", "en", ("en", "fr", "ar"), has_epub=True)),
    ("fr", Site("Essais", "en", ("en", "fr", "ar"), has_epub=True)),
    ("ar", Site("Essais", "en", ("en", "fr", "ar"), has_epub=True, project_lang="en")),
    ("fa", Site("Essais", "en", ("en", "fa"), has_epub=False)),
    ("fi", Site("Essais", "en", ("en", "fi", "fr"), has_epub=True)),
    (languages.PSEUDO, Site("Essais", "en", ("en", languages.PSEUDO), has_epub=True)),
    ("fr", Site("Essais", "en", ("fr",), has_epub=True)),           # no switcher
    ("en", Site("Essais", "en", ("en",), has_epub=False)),
    ("fr", Site("Essais", "en", ("en", "fr"), has_epub=True,
                description="Des essais", description_lang="en")),
]


@pytest.mark.parametrize(("lang", "site"), CASES)
@pytest.mark.parametrize("extra", [{}, {"fallbacks": 3},
                                   {"facts": EssayFacts(url="https://example.org/o")}])
def test_the_page_made_as_html_is_the_page_renamed(lang, site, extra):
    ed = _essay("sample", lang, **extra)
    made, told = essay_html(ed, site)
    assert made == _straight(ed, site)
    assert b"xmlns" not in made and b"epub:" not in made and b"xml:lang" not in made
    assert told == essay_page(ed, site)[1]


def test_pages_made_one_after_the_other_are_each_the_page_renamed():
    """Several essays in several languages, an index page between them, in the order a
    plan job makes them (an essay in each of its languages) and then out of it: each
    page is the one made alone, the straightforward way."""
    site = Site("Essais", "en", LANGS, has_epub=True)
    order = [(essay, lang) for essay in ("one", "two", "three") for lang in LANGS]
    order += [("one", "fr"), ("three", "ar"), ("two", "fr"), ("two", languages.PSEUDO)]
    made = []
    for i, (essay, lang) in enumerate(order):
        if i % 4 == 3:
            index_html(lang, (EssayLink("one", "Un", None, ("A B",), True),), site)
        made.append(essay_html(_essay(essay, lang), site)[0])
    for (essay, lang), data in zip(order, made, strict=True):
        matter._KEPT.clear()
        matter._LAST_COLOPHON.clear()
        html._LAST_LIST[:] = [None, None]
        assert data == _straight(_essay(essay, lang), site), (essay, lang)


def test_the_index_pages_are_those_made_alone():
    """The index pages are made the straightforward way still, and the essay pages made
    before them change nothing of them."""
    site = Site("Essais", "en", ("en", "fr", "ar"), has_anthology=True)
    links = (EssayLink("one", "Un", None, ("A B", "C D"), True),
             EssayLink("two", "Deux", "en", (), False))
    alone = {lang: index_html(lang, links, site) for lang in ("en", "fr", "ar", "fi")}
    top = languages_html("Essais", "en", ("en", "fr", "ar"))
    for lang in ("en", "fr", "ar", "fi"):
        essay_html(_essay("one", lang), dataclasses.replace(site, has_epub=True))
        assert index_html(lang, links, site) == alone[lang]
    assert languages_html("Essais", "en", ("en", "fr", "ar")) == top
