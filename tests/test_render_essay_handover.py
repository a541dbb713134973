"""The HTML page of an edition is the last to ask for its rendered essay (issue 8): it is
given the tree kept from the EPUB's rendering itself, not a copy; the title stays known
without copying or rendering; asked for again, the essay is rendered again, the same."""
from __future__ import annotations

from lxml import etree

from build_helpers import sample_document
from serge_publish.writers import essay as essay_mod
from serge_publish.writers.essay import render_essay, rendered_title
from serge_publish.writers.furniture import furniture_for


def _markup(page):
    return etree.tostring(page.section, encoding="unicode")


def test_the_last_use_gets_the_kept_tree_and_later_calls_render_again(monkeypatch):
    doc, furniture = sample_document(), furniture_for("en")
    first = render_essay(doc, "en", furniture)               # the EPUB's: a copy
    kept = essay_mod._LAST_RENDERED[3]
    assert first.section is not kept.section
    expected = _markup(first)
    last = render_essay(doc, "en", furniture, last_use=True)  # the HTML page's: the tree
    assert last.section is kept.section
    assert _markup(last) == expected
    last.section.set("class", "moved")                       # the page's to change

    rendered = []
    real = essay_mod._EssayRenderer.render
    monkeypatch.setattr(essay_mod._EssayRenderer, "render",
                        lambda self: rendered.append(1) or real(self))
    assert rendered_title(doc, "en", furniture) == first.title
    assert rendered == []                                     # known: nothing rendered
    again = render_essay(doc, "en", furniture)
    assert rendered == [1]                                    # given away: rendered again
    assert _markup(again) == expected


def test_a_first_and_last_use_is_not_copied():
    doc, furniture = sample_document(), furniture_for("en")
    reference = _markup(render_essay(doc, "fr", furniture_for("fr")))
    page = render_essay(doc, "en", furniture, last_use=True)
    assert page.section is essay_mod._LAST_RENDERED[3].section
    assert rendered_title(doc, "en", furniture) == page.title
    copy_ = render_essay(doc, "en", furniture)                # rendered afresh
    assert copy_.section is not page.section
    assert _markup(copy_) == _markup(page)
    assert _markup(render_essay(doc, "fr", furniture_for("fr"))) == reference


def _titled(*segments):
    from dataclasses import replace

    from build_helpers import leaf
    return replace(sample_document(), title=leaf("title", *segments))


def test_a_title_asked_first_is_the_rendered_essays_without_rendering_it(monkeypatch):
    """A build asks for every edition's title before it renders any essay: the title
    alone is rendered, and it is the title of the whole essay's rendering."""
    from build_helpers import noteref, seg
    from serge_publish.model import Inline
    titles = [
        (seg("s1", "The \"XXe siècle\" -- 1919-1921 ... p. 12"),),
        (seg("s1", "Le IIIe Internationale : « oui »"), seg("s40", "Deux", lang="en")),
        (seg("s1", "Victor Serge.", noteref("n1", "1"), " and more"),),
        (seg("s1", "Unknown note,", noteref("n9", "9"), " 'quoted'"),),
        (seg("s1", "Read ", Inline("title", ("l'Humanité",), (("lang", "fr"),)),
             " and ", Inline("foreign", ("Das \"Kapital\"",), (("lang", "de"),))),),
    ]
    real = essay_mod._EssayRenderer.render
    rendered: list[int] = []
    monkeypatch.setattr(essay_mod._EssayRenderer, "render",
                        lambda self: rendered.append(1) or real(self))
    for segments in titles:
        doc = _titled(*segments)
        for lang in ("en", "fr", "de", "es"):
            furniture = furniture_for(lang)
            essay_mod._LAST_RENDERED.clear()
            rendered.clear()
            title = rendered_title(doc, lang, furniture)
            assert rendered == []                       # the title alone
            essay_mod._LAST_RENDERED.clear()
            assert title == render_essay(doc, lang, furniture).title, (segments, lang)


def test_a_chapter_is_lent_the_kept_tree_and_the_page_made_after_is_the_same():
    """The EPUB's chapter is lent the kept tree (no copy): serialised, then given back as
    it was but for its whitespace, which the page's own serialisation sets again. The
    chapter and the page are those made from copies."""
    from serge_publish.writers.epub import chapter
    from serge_publish.writers.html import serialize_html
    doc, furniture = sample_document(), furniture_for("en")

    def made(lend: bool) -> tuple[bytes, bytes]:
        essay_mod._LAST_RENDERED.clear()
        lent = render_essay(doc, "en", furniture, lend=lend)
        assert (lent.section is essay_mod._LAST_RENDERED[3].section) is lend
        done = chapter("essay.xhtml", lent, "en")
        assert lent.section.getparent() is None            # given back
        page = render_essay(doc, "en", furniture, last_use=True)
        assert (page.section is lent.section) is lend
        main = etree.Element("main")
        main.append(page.section)
        return done.xhtml, serialize_html(_page(main), own=True)

    assert made(True) == made(False)


def _page(main):
    """A minimal XHTML page around ``main`` (html, head, body)."""
    from serge_publish.writers.xhtml import page
    root, body = page("T", "en")
    body.append(main)
    return root
