"""An essay rendered from the skeleton of its shape (writers/essay.py, ``_Skeleton``:
made once from one language's document, copied and filled in for each language) is the
tree the whole render makes, byte for byte: its section, title, ToC and diagnostics, in
French (typography), right-to-left and no-space languages, with fallbacks, a language
without furniture of its own, notes with inline content, empty notes (issue 8)."""
from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from test_render_typeset_stream import CONTENT, TRICKY, TRICKY_NOTES

from build_helpers import (
    ESSAYS,
    ROOT,
    box,
    leaf,
    noteref,
    sample_document,
    seg,
    source_docs,
    translate,
)
from serge_publish.catalog import apply_catalog, read_catalog
from serge_publish.model import Document, Inline, map_segments
from serge_publish.writers import essay as essay_mod
from serge_publish.writers.essay import _EssayRenderer, render_essay
from serge_publish.writers.furniture import Furniture, furniture_for
from serge_publish.writers.xhtml import visible_text

LANGS = ("en", "fr", "de", "ar", "fa", "zh", "xx")       # fa, xx: no furniture table


def _outcome(section: etree._Element, title: str, toc, diagnostics) -> tuple:
    return etree.tostring(section, encoding="utf-8"), title, toc, diagnostics


def _whole(doc: Document, lang: str, furniture: Furniture | None = None) -> tuple:
    renderer = _EssayRenderer(doc, lang, furniture or furniture_for(lang))
    section, heading = renderer.render()
    return _outcome(section, visible_text(heading), tuple(p.resolve() for p in renderer.toc),
                    tuple(renderer.diagnostics))


@pytest.fixture
def filled(monkeypatch):
    """The skeletons filled in (each call of ``_Skeleton.fill`` that gave a tree)."""
    calls: list[tuple[str, str]] = []
    fill = essay_mod._Skeleton.fill

    def counted(self, doc, lang, furniture, leaves):
        done = fill(self, doc, lang, furniture, leaves)
        if done is not None:
            calls.append((doc.id, lang))
        return done

    monkeypatch.setattr(essay_mod._Skeleton, "fill", counted)
    essay_mod._SKELETONS.clear()
    yield calls
    essay_mod._SKELETONS.clear()


def _rendered(doc: Document, lang: str, furniture: Furniture | None = None) -> tuple:
    essay_mod._LAST_RENDERED.clear()
    page = render_essay(doc, lang, furniture or furniture_for(lang))
    essay_mod._LAST_RENDERED.clear()
    return _outcome(page.section, page.title, page.toc, page.diagnostics)


def _same_from(first: tuple[Document, str], doc: Document, lang: str) -> None:
    """``doc`` in ``lang``, rendered from the skeleton made for ``first`` (a document
    of the same shape in a language of the same separator), is its whole render."""
    essay_mod._SKELETONS.clear()
    assert _rendered(*first) == _whole(*first)
    assert _rendered(doc, lang) == _whole(doc, lang)


def _translated(essay: str, lang: str) -> Document:
    doc = source_docs()[essay]
    po = ROOT / "locale" / lang / "LC_MESSAGES" / f"{essay}.po"
    return apply_catalog(doc, read_catalog(po), lang).document


@pytest.mark.parametrize("essay", ESSAYS)
@pytest.mark.parametrize("lang", ["fr", "es", "de"])
def test_the_shipped_translations_are_the_whole_render(essay, lang, filled):
    source = source_docs()[essay]
    doc = _translated(essay, lang)
    _same_from((source, "en"), doc, lang)
    _same_from((doc, lang), source, "en")
    _same_from((doc, lang), replace(source, lang=lang), lang)    # every segment a fallback
    assert len(filled) == (0 if _figure_without_picture(_blocks(source)) else 6)


def _figure_without_picture(blocks) -> bool:
    """(Its line is made of its caption by an editor's line, which a skeleton does not
    make: the essay is rendered whole.)"""
    return any(b.kind == "figure" and not b.attr("image") or
               _figure_without_picture(b.children) for b in blocks)


def _blocks(doc: Document) -> tuple:
    return tuple(block for _, blocks in doc.sections for block in blocks)


def test_a_shipped_essay_has_a_skeleton():
    assert not all(_figure_without_picture(_blocks(d)) for d in source_docs().values())


def _sample() -> Document:
    """The sample document, its figure with its picture (a figure without one is made
    of its caption by an editor's line, which a skeleton does not make)."""
    doc = sample_document()
    figure = box("figure", *doc.body[0].children, image="serge.jpg")
    return replace(doc, body=(figure,) + doc.body[1:])


def _tricky() -> Document:
    base = _sample()
    return replace(base, body=(box("div", leaf("head", seg("s90", "Head")),
                                   *(b for b in TRICKY if b.kind != "figure"), id="d9"),)
                   + base.body, back=base.back + TRICKY_NOTES)


def _shout(text: str) -> str:
    return text.upper().replace("'", "\u2019") + " 1er."


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("make", [_sample, _tricky])
def test_other_languages_of_one_shape_are_the_whole_render(make, lang, filled):
    doc = make()
    other = "zh" if lang == "zh" else "en"          # (no space between its segments)
    _same_from((doc, other), doc, lang)
    _same_from((doc, other), translate(doc, lang, _shout), lang)
    _same_from((doc, other), _half_fallen_back(translate(doc, lang, _shout), doc), lang)
    _same_from((doc, other), replace(doc, lang=lang), lang)
    assert len(filled) == 4 * 2


def _half_fallen_back(doc: Document, source: Document) -> Document:
    """``doc`` with every other segment left in English, as in ``source`` (a fallback)."""
    originals: list = []
    map_segments(source, lambda ref: originals.append(ref.segment) or ref.segment)
    turn = iter(range(len(originals)))

    def fall_back(ref):
        n = next(turn)
        return ref.segment if n % 2 else replace(originals[n], lang="en")

    return map_segments(doc, fall_back)


def test_the_tricky_document_has_what_it_is_for():
    """Empty notes (the editor's line and its backlink), an unknown note's call (a
    diagnostic), French ordinals."""
    doc = _tricky()
    section, _, _, diagnostics = _whole(doc, "fr")
    assert b'class="editorial-line"' in section and b"<sup>er</sup>" in section
    assert diagnostics


def test_a_figure_without_its_picture_is_rendered_whole(filled):
    doc = sample_document()
    for lang in ("en", "fr"):
        assert _rendered(doc, lang) == _whole(doc, lang)
    assert not filled
    assert [s.section for s in essay_mod._SKELETONS] == [None]   # not tried again


def test_another_shape_has_another_skeleton(filled):
    """A segment more, another id, the note calls in another order: another shape."""
    doc = _sample()
    para = doc.body[1].children[1]
    shapes = [
        doc,
        replace(doc, body=(doc.body[0], replace(doc.body[1], children=(
            doc.body[1].children[0], replace(para, segments=para.segments + (
                seg("s30", "More."),)),) + doc.body[1].children[2:]))),
        replace(doc, title=leaf("title", seg("s1", "Two ", noteref("n2", "2"),
                                             noteref("n1", "1")))),
        replace(doc, title=leaf("title", seg("s1", "Two ", noteref("n1", "1"),
                                             noteref("n2", "2")))),
        replace(doc, title=leaf("title", seg("s99", "Another id"))),
    ]
    for shape in shapes:
        assert _rendered(shape, "fr") == _whole(shape, "fr")
    assert len(filled) == len(shapes)
    assert len(essay_mod._SKELETONS) == essay_mod._SKELETONS_KEPT


def test_a_note_referred_to_twice_keeps_its_ids(filled):
    """The note references' ids are planned with the skeleton: "ref-n1", "ref-n1-2"."""
    doc = replace(_sample(), title=leaf("title", seg(
        "s1", "T", noteref("n1", "1"), Inline("emph", ("x", noteref("n1", "1"))))))
    for lang in ("en", "fr", "en"):
        assert _rendered(doc, lang) == _whole(doc, lang)
    assert b'id="ref-n1-2"' in _whole(doc, "fr")[0]
    assert len(filled) == 3


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(CONTENT, st.sampled_from([None, "en", "fr", "es", "de", "ar"])),
                min_size=1, max_size=4),
       st.sampled_from(["en", "fr", "es", "de", "ar", "xx"]))
def test_generated_paragraphs_are_the_whole_render(segments, lang):
    para = leaf("p", *(seg(f"s{200 + i}", *content, lang=seg_lang)
                       for i, (content, seg_lang) in enumerate(segments)))
    base = _sample()
    doc = replace(base, title=leaf("title", *para.segments),
                  body=(box("div", leaf("head", seg("s90", "Head")), para, id="d9"),)
                  + base.body,
                  back=base.back + (box("notes", box("note", para, id="n3", n="3")),))
    essay_mod._SKELETONS.clear()
    _same_from((doc, "en"), doc, lang)
    _same_from((doc, "en"), translate(doc, lang, _shout), lang)


@pytest.mark.parametrize("label", ["", "Retour au \"texte\""])
@pytest.mark.parametrize("fallback", [False, True])
def test_the_furniture_is_the_whole_render(label, fallback, filled):
    """Furniture its typography changes ("'", '"', " :", "1er"), with and without a
    backlink label, of the edition's language or another (a fallback: its language set
    on the headings, empty notes' lines and backlinks)."""
    words = dict(furniture_for("fr").words)
    words.update(notes="Notes : l'\"essentiel\"", empty_note="[Note \"vide\" ; 1er !]",
                 back_to_text=label, about_author="L'auteur : 1er")
    furniture = Furniture("en" if fallback else "fr", tuple(sorted(words.items())),
                          fallback=fallback)
    doc = _tricky()
    for lang in ("fr", "fr", "de"):
        assert _rendered(doc, lang, furniture) == _whole(doc, lang, furniture)
    section = _whole(doc, "fr", furniture)[0]
    assert b"[Note " in section and b'"vide"' not in section   # (typeset: by its language)
    assert len(filled) == 3


def _with_a_third_note(doc: Document) -> Document:
    notes = doc.back[0]
    three = box("note", leaf("p", seg("s95", "Three.")), id="n3", n="3")
    return replace(doc, back=(replace(notes, children=notes.children + (three,)),)
                   + doc.back[1:])


def _title_calling(doc: Document, *targets: str) -> Document:
    return replace(doc, title=leaf("title", seg(
        "s1", "Two", *(noteref(target, target[1:]) for target in targets))))


@pytest.mark.parametrize("calls", [("n2",), (), ("n1",), ("n2", "n2"), ("n3",), ("n3", "n1"),
                                   ("n9",)])
def test_other_note_calls_of_one_shape_are_the_whole_render(calls, filled):
    """The note calls are not part of an essay's shape: its skeleton's fill checks them
    (issue 8). A document of the shape of another with other calls (fewer, more to a
    note, to a note the other does not call, to no note) is the whole render, from a
    skeleton made for its calls, kept for the next."""
    base = _with_a_third_note(_sample())
    first, other = _title_calling(base, "n2"), _title_calling(base, *calls)
    essay_mod._SKELETONS.clear()
    for doc, lang in ((first, "fr"), (other, "fr"), (other, "de"), (first, "en")):
        assert _rendered(doc, lang) == _whole(doc, lang)
    assert len(filled) == 4
    assert len(essay_mod._SKELETONS) == (1 if calls == ("n2",) else 2)
    assert ("#n9" in repr(_whole(other, "fr")[3])) == (calls == ("n9",))   # (a diagnostic)


def _renamed(doc: Document, names: dict[str, str]) -> Document:
    return map_segments(doc, lambda ref: replace(ref.segment,
                                                 id=names.get(ref.segment.id, ref.segment.id)))


@pytest.mark.parametrize("names", [
    {},
    {"s9": "s99"},                               # in the middle of a paragraph
    {"s17": "s170"},                             # the last paragraph's
    {"s9": "s10", "s10": "s9"},                  # two swapped
    {"s9": "s8"},                                # two alike (the second has no id)
    {"s9": "9"},                                 # not a name (no id)
])
def test_other_segment_ids_of_one_shape_are_the_whole_render(names, filled):
    """The segments' ids are not part of an essay's shape: its skeleton's fill checks
    them (issue 8). A document of the shape of another with other ids is the whole
    render, from a skeleton made for its ids, kept for the next."""
    first = _sample()
    other = _renamed(first, names)
    essay_mod._SKELETONS.clear()
    for doc, lang in ((first, "fr"), (other, "fr"), (other, "de"), (first, "en")):
        assert _rendered(doc, lang) == _whole(doc, lang)
    assert len(filled) == 4
    assert len(essay_mod._SKELETONS) == (2 if names else 1)


def _chapters(doc: Document, lang: str, furniture: Furniture | None = None
              ) -> tuple[bytes, bytes]:
    """The chapter of ``doc`` from the tree render_essay lends (a skeleton's copy, its
    layout put), and from the whole render (its layout found by walking it)."""
    from serge_publish.writers.epub import chapter
    furniture = furniture or furniture_for(lang)
    essay_mod._LAST_RENDERED.clear()
    page = render_essay(doc, lang, furniture, lend=True)
    essay_mod._LAST_RENDERED.clear()
    assert page.layout is not None
    section, _ = _EssayRenderer(doc, lang, furniture).render()
    whole = essay_mod.EssayPage(section, page.title, page.toc, page.diagnostics)
    return chapter("c.xhtml", page, lang).xhtml, chapter("c.xhtml", whole, lang).xhtml


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("make", [_sample, _tricky])
def test_a_skeleton_s_layout_is_the_whole_render_s(make, lang, filled):
    """The layout of an essay's skeleton, found once (issue 8), put in the chapter of each
    copy filled in: the chapter's bytes are the whole render's (whose layout is found by
    walking it), headings with ordinals, empty notes, fallbacks included."""
    doc = make()
    other = "zh" if lang == "zh" else "en"
    essay_mod._SKELETONS.clear()
    for one, in_lang in ((doc, other), (translate(doc, lang, _shout), lang),
                         (_half_fallen_back(translate(doc, lang, _shout), doc), lang)):
        mine, whole = _chapters(one, in_lang)
        assert mine == whole
    assert len(filled) == 3


@pytest.mark.parametrize("essay", ESSAYS)
def test_a_shipped_skeleton_s_layout_is_the_whole_render_s(essay, filled):
    source = source_docs()[essay]
    essay_mod._SKELETONS.clear()
    for doc, lang in ((source, "en"), (_translated(essay, "fr"), "fr")):
        if _figure_without_picture(_blocks(source)):
            return                               # (rendered whole: no skeleton)
        mine, whole = _chapters(doc, lang)
        assert mine == whole


def test_only_the_kept_tree_has_a_layout():
    doc = _sample()
    essay_mod._LAST_RENDERED.clear()
    copy = render_essay(doc, "fr", furniture_for("fr"))
    kept = render_essay(doc, "fr", furniture_for("fr"), last_use=True)
    essay_mod._LAST_RENDERED.clear()
    assert copy.layout is None and kept.layout is not None
    assert kept.layout.root is kept.section
