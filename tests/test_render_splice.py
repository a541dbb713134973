"""An essay's chapter and HTML page are serialised around its section, not with the
section moved into them (xhtml.serialize_around; issue 8): lxml walks every node of a
subtree it moves, and the section was moved three times an edition. The bytes are those
of the section moved into the page, whatever the essay (notes, inline markup, ordinals,
fallbacks, right-to-left text, a language without furniture or without spaces between
segments), and the section is never moved; where the splice cannot be made (no layout, a
text naming ``xmlns``) the section is moved, as before."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_render_refill import (
    SITE,
    VERSION,
    _built,
    _fresh,  # noqa: F401  (autouse: nothing kept between tests)
    _plain,
    _versions,
)
from test_render_skeleton import _sample, _tricky

from build_helpers import box, edition, leaf, seg, translate
from serge_publish.model import map_segments
from serge_publish.writers import epub as epub_mod
from serge_publish.writers import essay as essay_mod
from serge_publish.writers import html as html_mod
from serge_publish.writers import xhtml
from serge_publish.writers.epub import chapter
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.html import essay_html


class _Spliced:
    """serialize_around, counted: how many pages it made, how many it gave up on."""

    def __init__(self) -> None:
        self.made = self.refused = 0

    def __call__(self, *args, **kwargs):
        done = xhtml.serialize_around(*args, **kwargs)
        if done is None:
            self.refused += 1
        else:
            self.made += 1
        return done


def _moved(monkeypatch, doc, lang: str) -> tuple[bytes, bytes]:
    """:func:`_built` with the section moved into its chapter and page (no splice)."""
    with monkeypatch.context() as m:
        for module in (epub_mod, html_mod):
            m.setattr(module, "serialize_around", lambda *args, **kwargs: None)
        return _built(doc, lang)


def _spliced(monkeypatch, doc, lang: str) -> tuple[tuple[bytes, bytes], _Spliced]:
    counted = _Spliced()
    with monkeypatch.context() as m:
        for module in (epub_mod, html_mod):
            m.setattr(module, "serialize_around", counted)
        return _built(doc, lang), counted


@pytest.mark.parametrize("make", [_plain, _sample, _tricky])
def test_chapters_and_pages_serialised_around_the_section_are_those_with_it_moved_in(
        make, monkeypatch):
    versions = _versions(make)
    versions["ja"] = translate(make(), "ja", lambda s: f"「{s}」。")
    order = ("en", "fr", "ja", "de", "ar", "xx", "en")
    expected = {}
    for lang in order:                     # (each language twice: a tree filled in again)
        expected[lang] = _moved(monkeypatch, versions[lang], lang)
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    for lang in order:
        done, counted = _spliced(monkeypatch, versions[lang], lang)
        assert done == expected[lang], lang
        assert (counted.made, counted.refused) == (2, 0), lang    # the chapter, the page


def test_the_section_is_not_moved_into_its_chapter_nor_its_page(monkeypatch):
    doc = _sample()
    furniture = furniture_for("en")
    lent = render_essay(doc, "en", furniture, lend=True)
    done = chapter("c.xhtml", lent, "en")
    assert lent.section.getparent() is None
    assert b'<section epub:type="chapter"' in done.xhtml          # (no declaration)
    assert done.xhtml.count(b"xmlns:epub=") == 1                  # the root's
    page, _ = essay_html(edition(doc, "en"), SITE)
    assert lent.section.getparent() is None                       # (the same tree)
    assert b"xmlns" not in page and b"epub:type" not in page


def test_a_text_naming_xmlns_is_moved_in_as_before(monkeypatch):
    """The splice gives up on a section whose bytes hold `` xmlns`` anywhere (a
    declaration lxml would have dropped in the page: never, but not looked for apart
    from a text that names it); the page is then made as before."""
    doc = map_segments(_sample(), lambda ref: replace(ref.segment, content=(
        'An attribute xmlns:epub="x" in a text.',)) if ref.segment.id == "s3"
        else ref.segment)
    expected = _moved(monkeypatch, doc, "en")
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    done, counted = _spliced(monkeypatch, doc, "en")
    assert done == expected
    assert (counted.made, counted.refused) == (0, 2)


def test_a_tree_without_a_layout_is_moved_in(monkeypatch):
    """A section rendered whole (no skeleton: no layout known) is moved in, as before."""
    doc = _tricky()
    with monkeypatch.context() as m:
        m.setattr(essay_mod, "_skeleton", lambda *args, **kwargs: None)
        done, counted = _spliced(monkeypatch, doc, "fr")
    assert counted.made == 0 and counted.refused == 2
    essay_mod._LAST_RENDERED.clear()
    assert done == _moved(monkeypatch, doc, "fr")


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(versions=st.lists(VERSION, min_size=1, max_size=4))
def test_generated_essays_serialised_around_their_section_are_as_moved_in(versions,
                                                                           monkeypatch):
    """Documents of one shape (two segments of a paragraph, in the title, a heading's
    division and a note: inline markup, note calls, fallbacks generated), each in a
    language, one after the other."""
    base = _sample()
    steps = []
    for segments, lang, _ in versions:
        para = leaf("p", *(seg(f"s{200 + i}", *content, lang=seg_lang)
                           for i, (content, seg_lang) in enumerate(segments)))
        steps.append((replace(
            base, lang=lang, title=leaf("title", *para.segments),
            body=(box("div", leaf("head", seg("s90", "Head")), para, id="d9"),) + base.body,
            back=base.back + (box("notes", box("note", para, id="n3", n="3")),)), lang))
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    expected = [_moved(monkeypatch, doc, lang) for doc, lang in steps]
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    for (doc, lang), want in zip(steps, expected, strict=True):
        done, counted = _spliced(monkeypatch, doc, lang)
        assert done == want
        assert counted.made + counted.refused == 2
