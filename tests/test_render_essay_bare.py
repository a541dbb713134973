"""The essay's elements in no namespace (issue 8): lxml makes them a third faster, the
HTML page has nothing to rename in them, and the chapter is written as it was when they
were made in the XHTML namespace (libxml2 writes no ``xmlns=""`` for them under the
page's default namespace). A section never mixes the two conventions: every element
put into it (typography's ordinals, a bilingual page's pairs) is in no namespace too."""
from __future__ import annotations

import copy
from dataclasses import replace

from lxml import etree

from build_helpers import box, edition, leaf, sample_document, seg, translate
from serge_publish.writers.bilingual import bilingual_page
from serge_publish.writers.epub import chapter
from serge_publish.writers.essay import render_essay
from serge_publish.writers.furniture import furniture_for
from serge_publish.writers.html import Site, essay_page, serialize_html
from serge_publish.writers.xhtml import XHTML_NS, page, serialize

XHTML = f"{{{XHTML_NS}}}"


def _french():
    """The sample in French: ordinals in <sup>, a figure without its image, an empty
    note (its editorial line), a segment left in English."""
    doc = translate(sample_document(), "fr", lambda s: f"{s} au XXe siècle")
    notes = doc.back[0]
    doc = replace(doc, back=(replace(notes, children=notes.children + (
        box("note", id="n3", n="3"),)),) + doc.back[1:])
    doc = replace(doc, body=doc.body + (
        box("figure", leaf("caption", seg("s19", "Une image", lang="en"))),))
    return doc


def _namespaces(el):
    return {etree.QName(e).namespace for e in el.iter() if isinstance(e.tag, str)}


def test_the_essays_elements_are_in_no_namespace():
    for doc, lang in ((sample_document(), "en"), (_french(), "fr")):
        section = render_essay(doc, lang, furniture_for(lang)).section
        assert _namespaces(section) == {None}
        tags = {e.tag for e in section.iter()}
        assert {"section", "header", "h1", "p", "span", "a", "ol", "li"} <= tags
        if lang == "fr":
            assert "sup" in tags


def test_a_bilingual_pages_pairs_are_in_no_namespace():
    source = edition(sample_document())
    target = edition(translate(sample_document(), "fr", str.upper), "fr")
    section = bilingual_page(source, target).section
    assert _namespaces(section) == {None}
    assert any(e.get("class") == "pair" for e in section.iter("div"))


def _as_xhtml(section):
    """A copy of ``section`` made the way it was before: every element in XHTML."""
    section = copy.deepcopy(section)
    for el in section.iter():
        el.tag = XHTML + el.tag
    return section


def test_the_chapter_is_what_the_namespaced_tree_made():
    for doc, lang in ((sample_document(), "en"), (_french(), "fr")):
        essay = render_essay(doc, lang, furniture_for(lang))
        expected_root, body = page(essay.title, lang, "style.css", body_type="bodymatter")
        body.append(_as_xhtml(essay.section))
        expected = serialize(expected_root)
        made = chapter("sample.xhtml", essay, lang).xhtml
        assert made == expected
        assert b'xmlns=""' not in made
        assert _namespaces(etree.fromstring(made)) == {XHTML_NS}
        # lent and given back: still in no namespace, as it was but for its whitespace
        assert _namespaces(essay.section) == {None}


def test_the_html_page_is_what_the_namespaced_tree_made():
    ed = edition(_french(), "fr")
    site = Site("Test", "en", ("en", "fr"), has_epub=True)
    root, _ = essay_page(ed, site)
    main = root.find(f"{XHTML}body/{XHTML}main")
    section = main.find("section")
    expected_root = copy.deepcopy(root)
    expected_root.find(f"{XHTML}body/{XHTML}main").replace(
        expected_root.find(f"{XHTML}body/{XHTML}main/section"), _as_xhtml(section))
    made = serialize_html(root, own=True)
    assert made == serialize_html(expected_root, own=True)
    assert b"xmlns" not in made and b"<sup>e</sup>" in made
