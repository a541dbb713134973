"""`serge-publish preview` and `serge-publish bilingual` on the two-essays test root: the
preview marks every fallback (reason, id, catalogue line) exactly as the build applies
the catalogue; the bilingual page and EPUB pair every paragraph; both are reproducible.
(EPUBCheck and the Nu checker: test_build_shipped.py.)"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import build, files_of, norm, run, segment_texts
from serge_publish.catalog import read_catalog, write_catalog

ESSAY = "alpha"
XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LEAVES = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption")


@pytest.fixture
def project(make_root) -> Path:
    """two-essays with alpha in French: s13 invalid (its note reference dropped), s11
    fuzzy, s8, s9 and s2 untranslated, every other segment translated."""
    project = make_root("two-essays")
    path = project / "locale" / "fr" / "LC_MESSAGES" / f"{ESSAY}.po"
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt in ("s2", "s8", "s9"):
            entry.msgstr = ""
        elif entry.msgctxt == "s13":
            entry.msgstr = "Il est né en 1891."
        else:
            entry.msgstr = f"FR {entry.msgid}"
        if entry.msgctxt == "s11":
            entry.flags.append("fuzzy")
    write_catalog(path, po)
    return project


def cli(project: Path, *args: str) -> tuple[int, str, str]:
    return run("--project", str(project), *args)


def html(path: Path) -> etree._Element:
    return etree.parse(str(path), etree.HTMLParser()).getroot()


def segment_spans(root: etree._Element) -> list[etree._Element]:
    return root.xpath("//main//span[@data-id]")


# ---------------------------------------------------------------- preview

def test_preview_marks_each_fallback_with_its_reason_id_and_po_line(project):
    code, out, err = cli(project, "preview", "--lang", "fr", ESSAY)
    assert code == 0, err
    assert "wrote build/preview/fr/alpha.html" in out
    page_path = project / "build" / "preview" / "fr" / f"{ESSAY}.html"
    po_path = project / "locale" / "fr" / "LC_MESSAGES" / f"{ESSAY}.po"
    po_lines = po_path.read_text("utf-8").splitlines()
    states = {}
    for span in segment_spans(html(page_path)):
        sid, state = span.get("data-id"), span.get("data-state")
        assert span.get("id") == sid and sid in span.get("title")
        states[sid] = state
        where = re.search(r"(locale/fr/LC_MESSAGES/alpha\.po):(\d+)", span.get("title"))
        line = int(where.group(2))
        assert f'msgctxt "{sid}"' in po_lines[line - 2: line], (sid, line)
        label = span.getnext()
        if state == "translated":
            assert "fallback" not in (span.get("class") or "") and span.get("lang") is None
            assert label is None or "why" not in (label.get("class") or "")
            continue
        assert span.get("class") == f"fallback {state}" and span.get("lang") == "en"
        assert label.get("class") == f"why {state}" and label.get("data-id") == sid
        assert label.text.startswith(f"[{sid} {state}") and where.group(0) in label.text
        assert (page_path.parent / label.get("href")).resolve() == po_path.resolve()
    assert {s: states[s] for s in ("s2", "s8", "s9", "s11", "s13")} == {
        "s2": "untranslated", "s8": "untranslated", "s9": "untranslated", "s11": "fuzzy",
        "s13": "invalid"}
    assert set(states.values()) == {"translated", "untranslated", "fuzzy", "invalid"}
    invalid = html(page_path).xpath("//a[@data-id='s13']")[0].text
    assert "invalid: missing tag <n1/>" in invalid


def test_preview_use_fuzzy_shows_the_fuzzy_translation_as_build_use_fuzzy(project):
    assert cli(project, "preview", "--lang", "fr", "--use-fuzzy", ESSAY)[0] == 0
    root = html(project / "build" / "preview" / "fr" / f"{ESSAY}.html")
    span = root.xpath("//span[@data-id='s11']")[0]
    assert span.get("data-state") == "translated" and span.get("lang") is None
    assert "".join(span.itertext()).startswith("FR ")
    assert root.xpath("//span[@data-id='s13']")[0].get("data-state") == "invalid"


def test_the_preview_shows_what_the_build_applies(project):
    """The fallbacks and their reasons are those of build-report.json (one application
    of the catalogue), and the counts at the top add them up."""
    assert cli(project, "preview", "--lang", "fr")[0] == 0
    build(project, "--lang", "fr", "--threshold", "0", "--format", "html")
    report = json.loads((project / "build" / "build-report.json").read_text("utf-8"))
    for essay in ("alpha", "beta"):
        root = html(project / "build" / "preview" / "fr" / f"{essay}.html")
        marked = {(s.get("data-id"), s.get("data-state")) for s in segment_spans(root)
                  if s.get("data-state") != "translated"}
        fallbacks = report["languages"]["fr"]["essays"][essay]["fallbacks"]
        assert marked == {(f["id"], f["state"]) for f in fallbacks}
        counts = {s.get("class").split()[1]: int(s.text)
                  for s in root.xpath("//ul[@class='legend']//span")}
        assert counts["translated"] == len(segment_spans(root)) - len(marked)
        for state in ("untranslated", "fuzzy", "invalid"):
            assert counts[state] == sum(1 for _, st in marked if st == state)
        translated = {s.get("id"): norm("".join(s.itertext())) for s in segment_spans(root)
                      if s.get("data-state") == "translated"}
        published = segment_texts(html(project / "build" / "fr" / f"{essay}.html"))
        assert all(published[sid] == text for sid, text in translated.items())
        assert bool(translated) == (essay == ESSAY)          # beta is not translated


def test_preview_writes_only_its_folder_and_is_reproducible(project):
    assert cli(project, "preview", "--lang", "fr")[0] == 0
    first = files_of(project / "build")
    assert sorted(first) == ["preview/fr/alpha.html", "preview/fr/beta.html",
                             "preview/fr/style.css"]
    assert cli(project, "preview", "--lang", "fr")[0] == 0
    assert files_of(project / "build") == first


@pytest.mark.parametrize("lang, message", [("en", "is the source language"),
                                           ("it", "no catalogue of it to show")])
def test_preview_refuses_what_it_cannot_show(project, lang, message):
    code, _, err = cli(project, "preview", "--lang", lang)
    assert code != 0 and message in err and "Traceback" not in err
    assert not (project / "build").exists()


# ---------------------------------------------------------------- bilingual

def source_leaves(project: Path, essay: str) -> list[etree._Element]:
    """The paragraphs, headings and captions of the source-language edition's page."""
    root = html(project / "build" / "en" / f"{essay}.html")
    found = root.xpath("//main//*[" + " or ".join(f"self::{t}" for t in LEAVES) + "]")
    return [el for el in found if not any(a.tag in LEAVES for a in el.iterancestors())]


def test_bilingual_page_pairs_every_paragraph(project):
    code, out, err = cli(project, "bilingual", "en,fr")
    assert code == 0, err
    build(project, "--lang", "en", "--format", "html")
    for essay in ("alpha", "beta"):
        root = html(project / "build" / "bilingual" / "en-fr" / f"{essay}.html")
        pairs = root.xpath("//div[@class='pair']")
        originals = source_leaves(project, essay)
        assert len(pairs) == len(originals) > 3
        assert root.get("lang") == "fr"
        for pair, original in zip(pairs, originals, strict=True):
            source, target = pair.xpath("./div")
            assert (source.get("class"), source.get("lang")) == ("source", "en")
            assert (target.get("class"), target.get("lang")) == ("target", "fr")
            assert norm("".join(source.itertext())) == norm("".join(original.itertext()))
        ids = root.xpath("//@id")
        assert len(ids) == len(set(ids))
        for link in root.xpath("//a[starts-with(@href, '#')]"):
            assert link.get("href")[1:] in ids


def test_bilingual_target_side_is_the_translation_with_its_fallbacks(project):
    assert cli(project, "bilingual", "en,fr", ESSAY)[0] == 0
    root = html(project / "build" / "bilingual" / "en-fr" / f"{ESSAY}.html")
    target = {s.get("id"): s for s in root.xpath("//div[@class='target']//span[@id]")}
    assert "".join(target["s7-fr"].itertext()).startswith("FR ")
    assert target["s8-fr"].get("lang") == "en"            # untranslated: the original
    assert target["s13-fr"].get("lang") == "en"           # invalid: the original
    assert target["s7-fr"].get("lang") is None


def test_bilingual_epub_stacks_pairs_with_their_languages(project):
    assert cli(project, "bilingual", "en,fr", ESSAY)[0] == 0
    book = project / "build" / "bilingual" / "en-fr" / f"{ESSAY}.epub"
    with zipfile.ZipFile(book) as z:
        chapter = etree.fromstring(z.read(f"EPUB/{ESSAY}.xhtml"))
        opf = z.read("EPUB/content.opf").decode()
        colophon = z.read("EPUB/colophon.xhtml").decode()
    pairs = chapter.iter(f"{XHTML}div")
    pairs = [d for d in pairs if d.get("class") == "pair"]
    page = html(project / "build" / "bilingual" / "en-fr" / f"{ESSAY}.html")
    assert len(pairs) == len(page.xpath("//div[@class='pair']")) > 3
    for pair in pairs:
        source, target = pair
        assert source.get("lang") == source.get(XML_LANG) == "en"
        assert target.get("lang") == target.get(XML_LANG) == "fr"
    assert "<dc:language>fr</dc:language>" in opf
    identifier = re.search(r"<dc:identifier[^>]*>([^<]+)<", opf).group(1)
    assert identifier in colophon and identifier in "".join(page.xpath("//footer//dd/text()"))
    build(project, "--lang", "fr", "--threshold", "0", "--format", "epub", "--essay", ESSAY)
    with zipfile.ZipFile(project / "build" / "fr" / f"{ESSAY}.epub") as z:
        assert identifier not in z.read("EPUB/content.opf").decode()


def test_bilingual_is_reproducible_and_writes_only_its_folder(project):
    assert cli(project, "bilingual", "en,fr")[0] == 0
    first = files_of(project / "build")
    assert sorted(first) == [f"bilingual/en-fr/{name}" for name in
                             ("alpha.epub", "alpha.html", "beta.epub", "beta.html",
                              "style.css")]
    assert cli(project, "bilingual", "en,fr")[0] == 0
    assert files_of(project / "build") == first


@pytest.mark.parametrize("pair", ["fr,en", "en", "en,en", "en,fr,de"])
def test_bilingual_refuses_a_bad_pair(project, pair):
    code, _, err = cli(project, "bilingual", pair)
    assert code != 0 and "error:" in err and "Traceback" not in err
    assert not (project / "build").exists()
