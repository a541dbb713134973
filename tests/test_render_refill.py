"""The tree made from an essay's skeleton is filled in again, in place, for the next
language of the essay (writers/essay.py, ``_Live``; issue 8): neither copied from the
skeleton nor freed for each language. Nothing of a language filled in before is left in
it: rendered in any order of languages (with notes, inline markup, ordinals, fallbacks,
right-to-left text, a language without furniture of its own), through a build's path
(the EPUB's chapter lent the tree, the HTML page given it, which strips its namespaced
attributes and serialises the page around it, or moves it in) or as copies, each
language's chapter, page and section are those of its whole render. A tree given away
for good is never filled in again."""
from __future__ import annotations

from dataclasses import replace
from itertools import permutations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_render_skeleton import _half_fallen_back, _sample, _shout, _tricky
from test_render_typeset_stream import CONTENT

from build_helpers import edition, translate
from serge_publish.model import Document, map_segments
from serge_publish.writers import essay as essay_mod
from serge_publish.writers import matter
from serge_publish.writers.epub import chapter
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.html import Site, essay_html, essay_page, serialize_html

SITE = Site("Test", "en", ("en", "fr", "de", "ar", "xx"), has_epub=True)


@pytest.fixture(autouse=True)
def _fresh():
    """No skeleton, rendered essay or colophon kept from one test to another."""
    for kept in (essay_mod._SKELETONS, essay_mod._LAST_RENDERED, matter._KEPT,
                 matter._LAST_COLOPHON):
        kept.clear()
    yield
    for kept in (essay_mod._SKELETONS, essay_mod._LAST_RENDERED, matter._KEPT,
                 matter._LAST_COLOPHON):
        kept.clear()


def _plain() -> Document:
    """The sample document without notes or inline markup: every segment one string."""
    doc = map_segments(_sample(), lambda ref: replace(ref.segment, content=(
        "".join(c for c in ref.segment.content if isinstance(c, str)),)))
    return replace(doc, back=tuple(b for b in doc.back if b.kind != "notes"))


def _versions(make) -> dict[str, object]:
    """Documents of one shape (one skeleton: the same separator between segments), by
    language: the source, translations with ordinals and curly quotes, one with every
    other segment fallen back to English, right-to-left, one without furniture."""
    doc = make()
    return {"en": doc, "fr": translate(doc, "fr", _shout),
            "de": _half_fallen_back(translate(doc, "de", _shout), doc),
            "ar": translate(doc, "ar", lambda s: f"\u0646\u0635 {s}"),
            "xx": translate(doc, "xx", str.swapcase)}


def _built(doc, lang: str) -> tuple[bytes, bytes]:
    """A build's outputs of ``doc`` in ``lang``: its chapter (lent the kept tree), then its
    HTML page (given it back)."""
    furniture = furniture_for(lang)
    done = chapter("c.xhtml", render_essay(doc, lang, furniture, lend=True), lang)
    page, _ = essay_html(edition(doc, lang), SITE)
    return done.xhtml, page


def _section(doc, lang: str) -> bytes:
    """The section a copy of the kept tree is (as preview, bilingual, anthologies get)."""
    page = render_essay(doc, lang, furniture_for(lang))
    assert page.section is not essay_mod._LAST_RENDERED[3].section
    return etree.tostring(page.section, encoding="utf-8")


def _whole(monkeypatch, render, doc, lang: str):
    """``render(doc, lang)`` with the essay rendered whole (no skeleton)."""
    with monkeypatch.context() as m:
        m.setattr(essay_mod, "_skeleton", lambda *args, **kwargs: None)
        essay_mod._LAST_RENDERED.clear()
        done = render(doc, lang)
        essay_mod._LAST_RENDERED.clear()
    return done


def _lives() -> list:
    return [s.live for s in essay_mod._SKELETONS if s.live is not None]


@pytest.mark.parametrize("make", [_plain, _sample, _tricky])
@pytest.mark.parametrize("order", [("en", "fr", "en"), ("fr", "de", "fr"),
                                   ("de", "ar", "xx", "de"), ("xx", "en", "ar", "fr", "xx")])
def test_a_build_s_outputs_refilled_in_any_order_are_the_whole_render_s(make, order,
                                                                         monkeypatch):
    versions = _versions(make)
    expected = {lang: _whole(monkeypatch, _built, versions[lang], lang) for lang in order}
    essay_mod._SKELETONS.clear()
    sections = set()
    for lang in order:
        assert _built(versions[lang], lang) == expected[lang], lang
        (live,) = _lives()
        sections.add(id(live.section))
    assert len(sections) == 1                    # one tree, filled in again each time
    if make is _plain:
        assert b"epub:type=\"noteref\"" not in expected[order[0]][0]


@pytest.mark.parametrize("make", [_plain, _sample, _tricky])
def test_copies_refilled_in_every_order_are_the_whole_render_s(make, monkeypatch):
    versions = _versions(make)
    langs = ("en", "fr", "de", "ar")
    expected = {lang: _whole(monkeypatch, _section, versions[lang], lang) for lang in langs}
    for order in permutations(langs):
        essay_mod._SKELETONS.clear()
        for lang in order + order[:1]:
            assert _section(versions[lang], lang) == expected[lang], (order, lang)


@pytest.mark.parametrize("make", [_plain, _sample, _tricky])
def test_copies_and_a_build_s_outputs_mixed_are_the_whole_render_s(make, monkeypatch):
    """A copy made after the HTML page stripped the tree's namespaced attributes has them
    again, in their order, with the ``epub`` prefix declared where the whole render
    declares it."""
    versions = _versions(make)
    steps = [("en", _built), ("fr", _section), ("fr", _built), ("de", _built),
             ("ar", _section), ("en", _section), ("xx", _built), ("de", _section)]
    expected = [_whole(monkeypatch, render, versions[lang], lang) for lang, render in steps]
    essay_mod._SKELETONS.clear()
    for (lang, render), want in zip(steps, expected, strict=True):
        assert render(versions[lang], lang) == want, (lang, render.__name__)
    section = _section(versions["fr"], "fr")
    assert b"ns0" not in section and b'xmlns:epub="' in section


def test_a_tree_given_away_is_never_filled_in_again():
    """The XHTML page of an edition (a site's, decorated after) is given the kept tree for
    good: the next language's is another copy of the skeleton."""
    versions = _versions(_tricky)
    root, _ = essay_page(edition(versions["en"], "en"), SITE)
    before = serialize_html(root)
    (given,) = _lives()
    assert given.taken
    for lang in ("fr", "de"):
        _built(versions[lang], lang)
    assert serialize_html(root) == before
    (live,) = _lives()
    assert live is not given and live.section is not given.section


def test_a_tree_half_filled_is_not_filled_in_again(monkeypatch):
    """A fill that gives up (another essay's note calls for the same shape) leaves no tree
    to fill again: the next is a new copy."""
    versions = _versions(_sample)
    _section(versions["en"], "en")
    (skeleton,) = essay_mod._SKELETONS
    first = skeleton.live
    assert first is not None

    def failing(self, leaves, spans, ids):
        raise essay_mod._OtherSkeleton

    with monkeypatch.context() as m:
        m.setattr(essay_mod._EssayRenderer, "fill_leaves", failing)
        with pytest.raises(essay_mod._OtherSkeleton):
            skeleton.fill(versions["fr"], "fr", furniture_for("fr"), [])
    assert skeleton.live is None
    assert _section(versions["fr"], "fr") == _whole(monkeypatch, _section, versions["fr"], "fr")


def _furniture(fallback: bool, label: str):
    """French furniture its typography changes (ordinals in ``<sup>`` in the headings
    and the empty notes' lines), of the edition's language or not (a fallback)."""
    from serge_publish.writers.furniture import Furniture
    words = dict(furniture_for("fr").words)
    words.update(notes="Notes du XXe siècle : l'\"essentiel\"",
                 empty_note="[Note \"vide\" ; 1er !]", back_to_text=label,
                 about_author="L'auteur : 1er")
    return Furniture("en" if fallback else "fr", tuple(sorted(words.items())),
                     fallback=fallback)


def test_the_furniture_refilled_in_every_order_is_the_whole_render_s(monkeypatch):
    """Headings, empty notes' lines and backlinks the furniture fills, with ordinals, a
    language of their own and a label or none, then without them."""
    doc = _tricky()
    cases = [("fr", _furniture(False, "Retour")), ("fr", _furniture(True, "")),
             ("fr", furniture_for("fr")), ("de", _furniture(True, "Retour")),
             ("de", furniture_for("de"))]

    def copied(case: int) -> bytes:
        lang, furniture = cases[case]
        page = render_essay(doc, lang, furniture)
        return etree.tostring(page.section, encoding="utf-8")

    expected = [_whole(monkeypatch, lambda _, case: copied(case), doc, n)
                for n in range(len(cases))]
    assert expected[0].count(b"<sup>") > expected[2].count(b"<sup>")     # (the furniture)
    for order in permutations(range(len(cases)), 3):
        essay_mod._SKELETONS.clear()
        for n in order + order[:1]:
            assert copied(n) == expected[n], (order, n)


def test_a_render_that_fails_leaves_no_half_filled_tree_kept(monkeypatch):
    """The kept tree is the one filled in again: a fill that fails half way (an error)
    leaves nothing kept, and the essay is rendered again, right."""
    versions = _versions(_tricky)
    expected = _whole(monkeypatch, _section, versions["en"], "en")
    assert _section(versions["en"], "en") == expected
    real = essay_mod._EssayRenderer.fill

    def failing(self, span, segment):
        real(self, span, segment)
        raise RuntimeError("half way")

    with monkeypatch.context() as m:
        m.setattr(essay_mod._EssayRenderer, "fill", failing)
        with pytest.raises(RuntimeError):
            render_essay(versions["fr"], "fr", furniture_for("fr"))
    assert not essay_mod._LAST_RENDERED
    assert _section(versions["en"], "en") == expected


def test_a_tree_given_or_copied_after_its_chapter_has_no_whitespace(monkeypatch):
    """The chapter lent the kept tree indents it; a copy of it made after, or the tree
    given away for good after, is without that whitespace, as the whole render is (the
    chapter and the HTML page indent it again, whatever is there)."""
    versions = _versions(_tricky)
    for lang in ("en", "fr"):
        expected = _whole(monkeypatch, _section, versions[lang], lang)
        furniture = furniture_for(lang)
        chapter("c.xhtml", render_essay(versions[lang], lang, furniture, lend=True), lang)
        assert _section(versions[lang], lang) == expected            # a copy of the kept
        chapter("c.xhtml", render_essay(versions[lang], lang, furniture, lend=True), lang)
        given = render_essay(versions[lang], lang, furniture, last_use=True)
        assert etree.tostring(given.section, encoding="utf-8") == expected


# a version: two segments (content, language), its edition's language, made by a build
# (or a copy)
VERSION = st.tuples(
    st.lists(st.tuples(CONTENT, st.sampled_from([None, "en", "ar"])), min_size=2, max_size=2),
    st.sampled_from(["en", "fr", "de", "ar", "xx", "ja", "zh"]), st.booleans())


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(versions=st.lists(VERSION, min_size=2, max_size=4))
def test_generated_versions_refilled_in_sequence_are_the_whole_render_s(versions,
                                                                         monkeypatch):
    """Documents of one shape (two segments of a paragraph, in the title, a heading's
    division and a note: inline markup, note calls, fallbacks generated), each in a
    language, rendered one after the other, through a build's path or as copies."""
    from build_helpers import box, leaf, seg
    base = _sample()
    docs = []
    for segments, lang, _ in versions:
        para = leaf("p", *(seg(f"s{200 + i}", *content, lang=seg_lang)
                           for i, (content, seg_lang) in enumerate(segments)))
        docs.append(replace(
            base, lang=lang, title=leaf("title", *para.segments),
            body=(box("div", leaf("head", seg("s90", "Head")), para, id="d9"),) + base.body,
            back=base.back + (box("notes", box("note", para, id="n3", n="3")),)))
    steps = [(doc, lang, _built if built else _section)
             for doc, (_, lang, built) in zip(docs, versions, strict=True)]
    expected = [_whole(monkeypatch, render, doc, lang) for doc, lang, render in steps]
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    for (doc, lang, render), want in zip(steps, expected, strict=True):
        assert render(doc, lang) == want


@pytest.mark.parametrize("make", [_plain, _sample, _tricky])
def test_languages_written_without_spaces_refilled_among_others_are_the_whole_render_s(
        make, monkeypatch):
    """Japanese and Chinese (no space between segments: the skeleton's spaces taken out,
    then put back for the next language written with them) rendered between languages
    written with spaces, one tree refilled in turn for all of them."""
    doc = make()
    versions = {"en": doc, "fr": translate(doc, "fr", _shout),
                "ja": translate(doc, "ja", lambda s: f"「{s}」。"),
                "zh": translate(doc, "zh", lambda s: f"“{s}”。")}
    order = ("ja", "en", "zh", "fr", "ja", "en", "zh")
    expected = {lang: _whole(monkeypatch, _built, versions[lang], lang) for lang in order}
    essay_mod._SKELETONS.clear()
    for lang in order:
        assert _built(versions[lang], lang) == expected[lang], lang
    assert len(_lives()) == 1                    # one tree for all, filled in again


def _fallen_back(doc: Document, source: Document, english) -> Document:
    """``doc`` with the segments whose number (in document order) ``english`` is true of
    left in English, as in ``source`` (the build's fallback)."""
    originals: list = []
    map_segments(source, lambda ref: originals.append(ref.segment) or ref.segment)
    turn = iter(range(len(originals)))

    def fall_back(ref):
        n = next(turn)
        return replace(originals[n], lang="en") if english(n) else ref.segment

    return map_segments(doc, fall_back)


def test_english_fallbacks_in_a_japanese_edition_keep_their_spaces(monkeypatch):
    """Japanese sentences follow one another without a space, but a sentence the edition
    falls back to English for keeps the space after it (two English sentences are not
    glued together, "…struggle.This…"), none after a Japanese one: as the whole render
    makes it, through the tree filled in again, whose spaces are taken out again for the
    next edition without fallbacks (and put back for the next with)."""
    doc = _plain()
    ja = translate(doc, "ja", lambda s: f"「{s}」。")
    # its one paragraph of three sentences (s8, s9, s10): the first in Japanese, the
    # others in English
    fallen = _fallen_back(ja, doc, lambda n: n in (8, 9))
    zh = translate(doc, "zh", lambda s: f"“{s}”。")
    order = [("ja", fallen), ("zh", zh), ("ja", fallen), ("ja", ja), ("en", doc),
             ("ja", fallen)]
    expected = [_whole(monkeypatch, _built, d, lang) for lang, d in order]
    essay_mod._SKELETONS.clear()
    for (lang, d), want in zip(order, expected, strict=True):
        assert _built(d, lang) == want, lang
    assert len(_lives()) == 1

    def paragraph(d, lang):
        section = render_essay(d, lang, furniture_for(lang)).section
        s8 = next(span for span in section.iter("{*}span") if span.get("id") == "s8")
        return [(span.get("lang"), span.tail) for span in s8.getparent()]

    assert paragraph(fallen, "ja") == [(None, None), ("en", " "), ("en", None)]
    assert paragraph(ja, "ja") == [(None, None)] * 3
    assert paragraph(zh, "zh") == [(None, None)] * 3
    assert paragraph(fallen, "en") == [(None, " "), (None, " "), (None, None)]
    chapter_bytes, page = expected[0]
    for made in (chapter_bytes, page):     # as a reader sees it: "…」。He wrote… read. See…"
        text = made.decode()
        assert "」。</span><span id=\"s9\"" in text
        assert "still read.</span> <span id=\"s10\"" in text


# a paragraph of a language written without spaces: its segments taken from a few (the
# same segment object may come twice, as apply_catalog's fallback of an id used twice
# is), each in the edition's language or another
NO_SPACE_PARAGRAPH = st.tuples(
    st.lists(st.tuples(CONTENT, st.sampled_from([None, "en", "fr", "ja", "zh", "ar"])),
             min_size=1, max_size=3),
    st.lists(st.integers(0, 2), min_size=1, max_size=4))


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(paragraph=NO_SPACE_PARAGRAPH,
       order=st.lists(st.sampled_from(["ja", "zh", "yue", "zh-Hant", "en", "fr"]),
                      min_size=2, max_size=4))
def test_fallbacks_in_languages_without_spaces_refilled_are_the_whole_render_s(
        paragraph, order, monkeypatch):
    """A fallback's space (see essay.gap_after) in the tree filled in again is where the
    whole render puts it, whatever languages the tree was filled in with before and
    wherever the segment is in its block (by place: a segment object there twice)."""
    from build_helpers import box, leaf, seg
    pool, picks = paragraph
    made = [seg(f"s{200 + i}", *content, lang=seg_lang)
            for i, (content, seg_lang) in enumerate(pool)]
    para = leaf("p", *(made[n % len(made)] for n in picks))
    base = _sample()
    steps = []
    for n, lang in enumerate(order):
        doc = replace(base, lang=lang, title=leaf("title", *para.segments),
                      body=(box("div", leaf("head", seg("s90", "Head")), para, id="d9"),)
                      + base.body)
        steps.append((doc, lang, _built if n % 2 else _section))
    expected = [_whole(monkeypatch, render, doc, lang) for doc, lang, render in steps]
    essay_mod._SKELETONS.clear()
    essay_mod._LAST_RENDERED.clear()
    for (doc, lang, render), want in zip(steps, expected, strict=True):
        assert render(doc, lang) == want, lang
