"""Accessibility of the editions: what Ace (DAISY) 1.4.6 once failed on (a back link told
apart by colour only, a colophon without its ARIA role), accessibility metadata that is
true of each book, and English furniture marked as English in a language without a table."""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from importlib import resources

import pytest
from lxml import etree

from build_helpers import edition, sample_document, translate
from serge_publish.writers import epub, html
from serge_publish.writers.furniture import furniture_for

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ROLES = {"chapter": "doc-chapter", "colophon": "doc-colophon", "endnotes": "doc-endnotes",
         "noteref": "doc-noteref"}


def _css_rules(css: str) -> list[tuple[str, str]]:
    """(selector, declarations) of the screen rules (the @media print block left out)."""
    start = css.index("@media print")
    depth, end = 0, start
    for end in range(css.index("{", start), len(css)):
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        if depth == 0:
            break
    screen = re.sub(r"/\*.*?\*/", "", css[:start] + css[end + 1:], flags=re.S)
    return [(s.strip(), d) for s, d in re.findall(r"([^{}]+)\{([^{}]*)\}", screen)]


def _zip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def _xhtml_files(data: bytes) -> dict[str, etree._Element]:
    z = _zip(data)
    return {n: etree.fromstring(z.read(n)) for n in z.namelist() if n.endswith(".xhtml")}


# ---------------------------------------------------------------- Ace's rules

def test_back_links_have_a_cue_besides_their_colour():
    css = resources.files("serge_publish").joinpath("data/book.css").read_text("utf-8")
    rules = [(s, d) for s, d in _css_rules(css) if "doc-backlink" in s]
    assert rules, "style.css styles the back links"
    assert any(re.search(r"text-decoration\s*:\s*underline", d) for _, d in rules)
    assert not any(re.search(r"text-decoration\s*:\s*none", d) for _, d in rules)


@pytest.mark.parametrize("lang", ["en", "fr", "ja"])
def test_every_epub_type_ace_checks_has_its_matching_role(lang):
    ed = edition(translate(sample_document(), lang, str.upper), lang, fallbacks=1)
    checked = 0
    for name, root in _xhtml_files(epub.essay_epub(ed, b"")[0]).items():
        for el in root.iter():
            for kind in (el.get(EPUB_TYPE) or "").split():
                if kind in ROLES:
                    assert el.get("role") == ROLES[kind], (name, kind)
                    checked += 1
    assert checked >= 5
    page = etree.HTML(html.essay_html(ed, html.Site("P", "en", ("en", lang)))[0])
    assert page.xpath("//section[@id='colophon']/@role") == ["doc-colophon"]


# ---------------------------------------------------------------- claims

def _opf(data: bytes) -> etree._Element:
    return etree.fromstring(_zip(data).read("EPUB/content.opf"))


def _meta(opf: etree._Element, prop: str) -> list[str]:
    return opf.xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS)


def test_accessibility_claims_are_true_of_the_book():
    with_notes = epub.essay_epub(edition(), b"")[0]
    doc = sample_document()
    without = epub.essay_epub(edition(replace(doc, back=doc.back[1:])), b"")[0]
    english = furniture_for("en")
    assert _meta(_opf(with_notes), "schema:accessibilitySummary") == \
        [english["accessibility_summary"]]
    assert _meta(_opf(without), "schema:accessibilitySummary") == \
        [english["accessibility_summary_no_notes"]]
    assert "endnote" not in english["accessibility_summary_no_notes"]
    for data in (with_notes, without):
        opf = _opf(data)
        images = opf.xpath("//opf:item[starts-with(@media-type, 'image/')]/@href",
                           namespaces=NS)
        assert sorted(images) == ["cover.png", "cover.svg"]   # "its only image is the cover"
        for root in _xhtml_files(data).values():         # "alternativeText"
            assert all(img.get("alt") for img in root.iter("{*}img"))
        assert _meta(opf, "dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
        assert "tableOfContents" in _meta(opf, "schema:accessibilityFeature")


# ---------------------------------------------------------------- English furniture

def _english_phrases() -> set[str]:
    """Every English furniture string (placeholders cut out), but the one-word labels
    that an essay in another script cannot contain by chance are enough."""
    phrases = set()
    for _, value in furniture_for("en").words:
        for part in re.split(r"\{[a-z_]+\}", value):
            if len(part.strip(" :")) >= 4:
                phrases.add(part.strip(" :"))
    return phrases


def _lang_of(el: etree._Element) -> str:
    for node in (el, *el.iterancestors()):
        tag = node.get("lang") or node.get(XML_LANG)
        if tag:
            return tag
    return ""


def _unmarked_english(root: etree._Element) -> list[str]:
    """English phrases in text or attributes whose language is not declared English."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        parent = el.getparent()
        texts = [(el.text, el), (el.tail, parent if parent is not None else el)]
        texts += [(el.get(a), el) for a in ("alt", "aria-label", "title")]
        for text, owner in texts:
            for phrase in _english_phrases():
                if text and phrase in text and not _lang_of(owner).startswith("en"):
                    found.append(f"{etree.QName(owner).localname}: {text.strip()[:60]}")
    return found


def _greek_edition():
    """An edition in a language without a furniture table (Greek), in another script than
    English's."""
    assert furniture_for("el").fallback
    return edition(translate(sample_document(), "el", lambda s: "ελληνικό κείμενο"), "el",
                   translators=("Παπαδόπουλος",), fallbacks=1)


def test_english_furniture_of_html_pages_is_marked_english():
    ed = _greek_edition()
    site = html.Site("Test essays", "en", ("en", "el"), has_epub=True, has_anthology=True)
    title, title_lang = html.essay_title(ed)
    link = html.EssayLink(ed.essay, title, title_lang, "Doug", True)
    pages = [html.essay_html(ed, site)[0], html.index_html("el", (link,), site)]
    for data in pages:
        root = etree.HTML(data)
        assert root.get("lang") == "el"
        assert _unmarked_english(root) == []
    index = etree.HTML(pages[1])
    assert index.xpath("//title/@lang") == ["en"]                  # "Test essays — Essays"
    assert index.xpath("//a[@href='anthology.epub']/@lang") == ["en"]


@pytest.mark.parametrize("lang, direction", [("el", None), ("fa", "ltr")])
def test_english_furniture_of_an_epub_is_marked_english(lang, direction):
    assert furniture_for(lang).fallback
    ed = replace(_greek_edition(), lang=lang)
    data = epub.essay_epub(ed, b"")[0]
    files = _xhtml_files(data)
    for name, root in files.items():
        assert _unmarked_english(root) == [], name
    nav = files["EPUB/nav.xhtml"]
    for el in nav.xpath("//x:title | //x:nav[@epub:type='toc']/x:h2", namespaces=NS):
        assert (el.text, el.get("lang"), el.get(XML_LANG), el.get("dir")) == \
            ("Contents", "en", "en", direction)
    cover = files["EPUB/cover.xhtml"].xpath("//x:img/@alt", namespaces=NS)
    assert cover == [html.essay_title(ed)[0]]                        # no English "Cover:"
    summary = _opf(data).xpath("//opf:meta[@property='schema:accessibilitySummary']",
                               namespaces=NS)[0]
    assert summary.get(XML_LANG) == "en"
