"""What the editions hold, on projects built by ``build_scenarios`` (en, qps, a
half-translated fr and right-to-left ar and fa editions of one essay, fa without a
furniture table): pseudo-translation reaches every output, fallbacks are marked and
counted, right-to-left editions; and the identity round trip (msgstr = msgid gives the
source text).

Each test runs on the test root two-essays (fast) and on the shipped project (slow: its
every edition is built; the same build is checked by EPUBCheck and the Nu checker in
test_build_shipped.py).
"""
from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import (
    NS,
    build,
    build_scenarios,
    edit_catalogue,
    epub_file,
    norm,
    segment_texts,
    source_docs,
)
from serge_publish.catalog import apply_catalog, read_catalog
from serge_publish.model import iter_segments


@pytest.fixture(scope="module", params=[
    "two-essays", pytest.param("shipped", marks=pytest.mark.slow)])
def built(request, prepared_root, tmp_path_factory) -> Path:
    if request.param == "shipped":
        return request.getfixturevalue("shipped_scenarios")
    project = tmp_path_factory.mktemp("scenarios") / "project"
    shutil.copytree(prepared_root(request.param), project)
    return build_scenarios(project)


@pytest.fixture(params=["two-essays", pytest.param("shipped", marks=pytest.mark.slow)])
def prepared(request, prepared_root) -> Path:
    """Extracted, updated and pseudo-translated, not built. Read only."""
    if request.param == "shipped":
        return request.getfixturevalue("shipped_template")
    return prepared_root(request.param)


def _first(project: Path) -> str:
    """The essay build_scenarios translates into fr, ar and fa."""
    return sorted(p.stem for p in (project / "source").glob("*.xml"))[0]


# ---------------------------------------------------------------- pseudo-translation

def test_pseudo_translation_reaches_every_output(built):
    for essay, doc in source_docs(project=built).items():
        po = read_catalog(built / "locale" / "qps" / "LC_MESSAGES" / f"{essay}.po")
        result = apply_catalog(doc, po, "qps")
        assert all(s.state == "translated" for s in result.statuses)
        expected = {r.segment.id: norm(r.segment.text) for r in iter_segments(result.document)}
        title = expected[doc.title.segments[0].id]
        page = etree.parse(str(built / "build" / "qps" / f"{essay}.html"), etree.HTMLParser())
        assert segment_texts(page.getroot()) == expected
        for book in (f"{essay}.epub", "anthology.epub"):
            xhtml = etree.fromstring(epub_file(built / "build" / "qps" / book,
                                               f"EPUB/{essay}.xhtml"))
            assert segment_texts(xhtml) == expected, book
        book = built / "build" / "qps" / f"{essay}.epub"
        opf = etree.fromstring(epub_file(book, "EPUB/content.opf"))
        assert opf.xpath("//dc:title/text()", namespaces=NS) == [title]
        ncx = etree.fromstring(epub_file(book, "EPUB/toc.ncx"))
        assert ncx.xpath("//ncx:docTitle/ncx:text/text()", namespaces=NS) == [title]
        nav = " ".join(etree.fromstring(epub_file(book, "EPUB/nav.xhtml")).itertext())
        heads = [expected[r.segment.id] for r in iter_segments(doc) if r.block.kind == "head"]
        assert heads and all(h in nav for h in heads)
        cover = " ".join(etree.fromstring(epub_file(book, "EPUB/cover.svg")).itertext())
        assert title.split()[0] in cover
        index = (built / "build" / "qps" / "index.html").read_text("utf-8")
        assert title in index


def test_no_source_sentence_is_left_in_pseudo_outputs(built):
    outputs = []
    for path in sorted((built / "build" / "qps").iterdir()):
        if path.suffix == ".epub":
            with zipfile.ZipFile(path) as z:
                outputs += [z.read(n).decode("utf-8") for n in z.namelist()
                            if n.endswith((".xhtml", ".opf", ".ncx", ".svg"))]
        else:
            outputs.append(path.read_text("utf-8"))
    text = "\n".join(outputs)
    left = [(essay, ref.segment.id, ref.segment.text)
            for essay, doc in source_docs(project=built).items() for ref in iter_segments(doc)
            if len(re.findall(r"[A-Za-z]{2,}", ref.segment.text)) >= 3
            and ref.segment.text in text]
    assert left == []


def test_pseudo_furniture_is_pseudo_too(built):
    page = (built / "build" / "qps" / f"{_first(built)}.html").read_text("utf-8")
    for english in (">Notes<", ">Contents<", "About this edition", "Back to text"):
        assert english not in page


# ---------------------------------------------------------------- fallbacks and report

def test_fallback_segments_are_marked_and_counted(built):
    essay = _first(built)
    page = etree.parse(str(built / "build" / "fr" / f"{essay}.html"), etree.HTMLParser())
    marked = page.xpath("//span[starts-with(@id, 's')][@lang='en']/@id")
    report = json.loads((built / "build" / "build-report.json").read_text("utf-8"))
    item = report["languages"]["fr"]["essays"][essay]
    fell_back = {f["id"] for f in item["fallbacks"]}
    assert set(marked) == fell_back and marked
    assert item["published"] and 0 < item["percent"] < 100
    assert item["segments"]["untranslated"] == len(fell_back)
    assert item["outputs"] == [f"build/fr/{essay}.epub", f"build/fr/{essay}.html"]
    assert page.getroot().get("lang") == "fr"
    assert "\u202f" in "".join(page.getroot().itertext())   # French typography


@pytest.mark.parametrize("lang, notes", [("ar", "الهوامش"), ("fa", "Notes")])
def test_right_to_left_edition(built, lang, notes):
    """fa has no furniture table: its English furniture is marked English, left to
    right."""
    essay = _first(built)
    page = etree.parse(str(built / "build" / lang / f"{essay}.html"), etree.HTMLParser())
    root = page.getroot()
    assert (root.get("lang"), root.get("dir")) == (lang, "rtl")
    fallback = root.xpath("//span[starts-with(@id, 's')][@lang='en']")[0]
    assert fallback.get("dir") == "ltr"
    (heading,) = root.xpath("//section[@role='doc-endnotes']/h2")
    marked = (heading.get("lang"), heading.get("dir"))
    assert heading.text == notes
    assert marked == (("en", "ltr") if notes == "Notes" else (None, None))
    opf = etree.fromstring(epub_file(built / "build" / lang / f"{essay}.epub",
                                     "EPUB/content.opf"))
    assert opf.xpath("//*[local-name()='spine']/@page-progression-direction") == ["rtl"]


# ---------------------------------------------------------------- identity round trip

def test_identity_catalogue_gives_the_source_text(prepared, tmp_path):
    """msgstr = msgid everywhere: the French edition's text is the English edition's, up to
    typography (quotes, French spaces) and furniture; same structure, ids and links."""
    project = tmp_path / "p"
    shutil.copytree(prepared, project)
    essays = sorted(p.stem for p in (project / "source").glob("*.xml"))
    for essay in essays:
        edit_catalogue(project, "fr", essay, lambda i, e: e.msgid)
    build(project, "--lang", "en", "--lang", "fr", "--format", "epub")
    for essay in essays:
        source = etree.fromstring(epub_file(project / "build" / "en" / f"{essay}.epub",
                                            f"EPUB/{essay}.xhtml"))
        copy = etree.fromstring(epub_file(project / "build" / "fr" / f"{essay}.epub",
                                          f"EPUB/{essay}.xhtml"))
        assert _untypeset(segment_texts(copy)) == _untypeset(segment_texts(source))
        # nothing fell back; titles kept word for word are English (and marked so)
        assert not copy.xpath("//*[@lang='en'][local-name() != 'cite']")
        assert _structure(copy) == _structure(source)


_QUOTES = str.maketrans({**{q: '"' for q in "“”«»„‘’‚'"}, "\u2013": "-", "\u2014": "-"})


def _untypeset(texts: dict[str, str]) -> dict[str, str]:
    """Every quotation mark as one, every dash a hyphen, no space before ; : ! ? nor inside
    quotes, nor around an ellipsis (French sets them closer)."""
    def plain(text: str) -> str:
        text = re.sub(r"[\s\u202f]+(?=[;:!?%])|(?<=\u2026)\s+|\s+(?=\u2026)", "",
                      text.translate(_QUOTES))
        return norm(text.replace("\u202f", ""))
    return {k: plain(v) for k, v in texts.items()}


def _structure(tree: etree._Element) -> list:
    body = tree.xpath("//*[local-name()='body']")[0]
    return [(el.tag, el.get("id"), el.get("href")) for el in body.iter()]
