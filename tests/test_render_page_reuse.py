"""An edition's chapter and HTML page share work (issue 8): the page's indentation of the
essay's section is the chapter's, put again one level deeper; the section, made in no
namespace, is not walked for namespaces; the colophon the page makes is kept, by value,
for the EPUB made later of another copy of the edition; the language switcher of an
essay's pages is made once. Each gives the bytes it gave when made again."""
from __future__ import annotations

import copy
import dataclasses

import pytest
from lxml import etree

from build_helpers import edition, sample_document, translate
from serge_publish.writers import html, matter, xhtml
from serge_publish.writers.epub import chapter
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.html import Site, essay_html, essay_page, serialize_html
from serge_publish.writers.matter import colophon
from serge_publish.writers.xhtml import EPUB_TYPE, XML_LANG, indent, page

SITE = Site("Test", "en", ("en", "fr", "de"), has_epub=True)


@pytest.fixture(autouse=True)
def _nothing_kept():
    """No colophon kept by value from one test to another (other tests count those
    made)."""
    matter._KEPT.clear()
    matter._LAST_COLOPHON.clear()
    yield
    matter._KEPT.clear()
    matter._LAST_COLOPHON.clear()


def _french():
    return translate(sample_document(), "fr", lambda s: f"{s} au XXe siècle")


def test_a_kept_layout_put_again_deeper_is_the_indentation_of_the_walk():
    markup = ('<section><header><h1>t</h1></header><div><p>a <em>b</em></p><ul><li>1</li>'
              '<li><p>2</p><p>3</p></li></ul></div><div>text<p>x</p></div>'
              '<div><p>x</p>tail</div><div><p>a</p><!-- c --></div><div><span>s</span></div>'
              '<blockquote><p>q</p></blockquote></section>')
    section = etree.fromstring(markup)
    for level in (3, 1, 7, 2):
        root, body = page("T", "en")
        body.append(section)
        indent(root, keep=section)                   # at level 2, its layout kept
        body.remove(section)
        kept = xhtml._KEPT_LAYOUT[0]
        assert kept is not None and kept.root is section and kept.level == 2
        walked = copy.deepcopy(section)
        indent(walked, level)
        main = etree.Element("main")
        main.append(section)
        indent(main, level - 1, again=section)       # put again at ``level``
        assert xhtml._KEPT_LAYOUT[0] is None         # put once
        assert etree.tostring(section, with_tail=False) == \
            etree.tostring(walked, with_tail=False)
        main.remove(section)


def test_a_layout_is_put_only_on_its_own_subtree():
    one, other = etree.fromstring("<div><p>a</p><p>b</p></div>"), etree.fromstring(
        "<div><p>a</p><p>b</p><div><p>c</p></div></div>")
    indent(one, keep=one)
    indent(other, 4, again=other)                    # not the kept one: walked
    expected = etree.fromstring("<div><p>a</p><p>b</p><div><p>c</p></div></div>")
    indent(expected, 4)
    assert etree.tostring(other) == etree.tostring(expected)
    assert xhtml._KEPT_LAYOUT[0] is None


def test_the_essay_section_has_nothing_for_the_namespace_walk():
    """What :func:`html._strip_namespaces` leaves unwalked: no element in a namespace, no
    namespaced attribute but those lxml drops, no comment or processing instruction."""
    for doc, lang in ((sample_document(), "en"), (_french(), "fr")):
        section = render_essay(doc, lang, furniture_for(lang)).section
        for node in section.iter():
            assert isinstance(node.tag, str) and not node.tag.startswith("{"), node.tag
            assert all(not k.startswith("{") or k in (EPUB_TYPE, XML_LANG) for k in node.keys())
        assert any(node.get(EPUB_TYPE) for node in section.iter())


def test_the_page_of_a_lent_section_is_the_page_made_from_a_copy():
    for doc, lang in ((sample_document(), "en"), (_french(), "fr")):
        ed = edition(doc, lang)
        furniture = furniture_for(lang)
        lent = render_essay(doc, lang, furniture, lend=True)
        done = chapter("essay.xhtml", lent, lang)
        assert xhtml._KEPT_LAYOUT[0] is not None
        made, _ = essay_html(ed, SITE)
        assert xhtml._KEPT_LAYOUT[0] is None
        again = render_essay(doc, lang, furniture)        # rendered anew, walked
        root, _ = essay_page(ed, SITE)
        assert made == serialize_html(root)
        assert made == serialize_html(copy.deepcopy(root), own=True)
        assert done.xhtml == chapter("essay.xhtml", again, lang).xhtml


def test_the_page_keeps_its_colophon_for_the_epub_of_an_equal_edition(monkeypatch):
    fr = furniture_for("fr")
    one = edition(sample_document(), "fr")
    made = []
    real = matter._colophon
    monkeypatch.setattr(matter, "_colophon", lambda *a: made.append(a) or real(*a))
    matter._KEPT.clear()
    for_page = colophon((one,), ("Titre",), "fr", fr, last_use=True, keep=True)
    outline = dataclasses.replace(one, document=dataclasses.replace(one.document, body=()))
    for_epub = colophon((outline,), ("Titre",), "fr", fr)      # equal, not the same
    assert len(made) == 1 and for_epub is not for_page
    assert etree.tostring(for_epub) == etree.tostring(for_page)
    assert not matter._KEPT                                      # given once
    other = dataclasses.replace(one, translators=("Ana Other",))
    matter._LAST_COLOPHON.clear()
    colophon((one,), ("Titre",), "fr", fr, last_use=True, keep=True)
    different = colophon((other,), ("Titre",), "fr", fr)
    assert len(made) == 3 and b"Ana Other" in etree.tostring(different)


def test_kept_colophons_are_bounded(monkeypatch):
    fr = furniture_for("fr")
    monkeypatch.setattr(matter, "KEPT_COLOPHONS", 2)
    matter._KEPT.clear()
    for title in ("A", "B", "C"):
        colophon((edition(sample_document(), "fr"),), (title,), "fr", fr, last_use=True,
                 keep=True)
    assert len(matter._KEPT) == 2
    assert [key[0][4] for key in matter._KEPT] == [("B",), ("C",)]
    matter._KEPT.clear()


def test_the_switcher_of_an_essay_is_made_once_and_its_pages_are_unchanged():
    doc = sample_document()
    pages = {}
    for fresh in (False, True):
        for lang in ("en", "fr", "de"):
            if fresh:
                html._LAST_LIST[:] = [None, None]
            pages[(fresh, lang)] = essay_html(edition(doc, lang), SITE)[0]
    for lang in ("en", "fr", "de"):
        assert pages[(False, lang)] == pages[(True, lang)]
        assert pages[(False, lang)].count(b'aria-current="page"') == 1
        assert f'hreflang="{lang}" lang="{lang}" aria-current="page"'.encode() \
            in pages[(False, lang)]


def test_a_colophon_given_after_the_epub_of_the_same_edition_is_not_kept():
    fr = furniture_for("fr")
    one = edition(sample_document(), "fr")
    matter._KEPT.clear()
    colophon((one,), ("Titre",), "fr", fr)                       # the EPUB's, first
    colophon((one,), ("Titre",), "fr", fr, last_use=True, keep=True)
    assert not matter._KEPT                                      # asked for no more
