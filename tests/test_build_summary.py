"""What `serge-publish build` says about each edition, on the test root two-essays
(tests/roots): the summary table and build-report.json numbers, fallbacks with --use-fuzzy,
rounding, the translators named in the editions, a catalogue's wrong charset."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import NS, build, edit_catalogue, epub_file, source_docs
from serge_publish.catalog import apply_catalog, read_catalog, write_catalog

ESSAYS = ["alpha", "beta"]


@pytest.fixture
def project(make_root) -> Path:
    return make_root("two-essays")


def _report(project: Path) -> dict:
    return json.loads((project / "build" / "build-report.json").read_text("utf-8"))


def _row(out: str, lang: str, essay: str) -> str:
    return next(line for line in out.splitlines() if line.split()[:2] == [lang, essay])


def _po(project: Path, lang: str, essay: str) -> Path:
    return project / "locale" / lang / "LC_MESSAGES" / f"{essay}.po"


# ---------------------------------------------------------------- no catalogue

@pytest.mark.parametrize("broken", ["missing", "unreadable"])
def test_without_a_usable_catalogue_nothing_is_translated_and_all_falls_back(project, broken):
    po = _po(project, "de", ESSAYS[0])
    po.unlink() if broken == "missing" else po.write_text('msgid "x"\nbroken\n')
    out, _ = build(project, "--lang", "de", "--format", "html", "--essay", ESSAYS[0])
    doc = source_docs(project=project)[ESSAYS[0]]
    words = apply_catalog(doc, None, "de").words_total
    assert words > 0
    row = _row(out, "de", ESSAYS[0])
    assert f"0% (0/{words} words)" in row and "all:" in row and "untranslated" in row
    assert "100%" not in row and "none" not in row
    item = _report(project)["languages"]["de"]["essays"][ESSAYS[0]]
    assert (item["words_total"], item["words_translated"], item["percent"]) == (words, 0, 0.0)
    assert item["fallbacks"] and not item["published"]


# ---------------------------------------------------------------- fuzzy

def test_fuzzy_translations_used_with_use_fuzzy_did_not_fall_back(project):
    path = edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: "FR " + e.msgid)
    po = read_catalog(path)
    po[0].flags.append("fuzzy")
    write_catalog(path, po)
    out, _ = build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html")
    assert "1 fuzzy" in _row(out, "fr", ESSAYS[0])
    out, _ = build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html",
                   "--use-fuzzy")
    assert "fuzzy" not in _row(out, "fr", ESSAYS[0]) and "none" in _row(out, "fr", ESSAYS[0])
    item = _report(project)["languages"]["fr"]["essays"][ESSAYS[0]]
    assert item["segments"]["fuzzy"] == 1 and item["fell_back"] == {} and not item["fallbacks"]


# ---------------------------------------------------------------- rounding

def _translate_until_a_fraction_of_one_half_or_more(project: Path, essay: str) -> float:
    path = _po(project, "fr", essay)
    doc = source_docs(project=project)[essay]
    po = read_catalog(path)
    for entry in po:
        entry.msgstr = entry.msgid
        percent = apply_catalog(doc, po, "fr").percent
        if 20 < percent < 95 and percent % 1 >= 0.5:
            write_catalog(path, po)
            return percent
    raise AssertionError("no prefix of the catalogue gives such a percentage")


def test_percentages_are_rounded_down(project):
    percent = _translate_until_a_fraction_of_one_half_or_more(project, ESSAYS[0])
    shown, needed = math.floor(percent), math.floor(percent) + 1
    out, _ = build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html",
                   "--threshold", str(needed))
    row = _row(out, "fr", ESSAYS[0])
    assert f"{shown}% (" in row and f"skipped: {shown}% < {needed}% needed" in row
    item = _report(project)["languages"]["fr"]["essays"][ESSAYS[0]]
    assert item["reason"] == f"{shown}% < {needed}% needed"
    assert item["percent"] <= percent and not item["published"]


# ---------------------------------------------------------------- translators

@pytest.mark.parametrize("name", ["Ana Pérez", "Dupont, Jean"])
def test_last_translator_is_one_contributor_without_its_address(project, name):
    path = edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: e.msgid)
    po = read_catalog(path)
    po.metadata["Last-Translator"] = f"{name} <ana@example.org>"
    po.metadata["Language-Team"] = "French <traduc@example.org>"
    write_catalog(path, po)
    build(project, "--lang", "fr", "--essay", ESSAYS[0])
    opf = etree.fromstring(epub_file(project / "build" / "fr" / f"{ESSAYS[0]}.epub",
                                     "EPUB/content.opf"))
    assert opf.xpath("//dc:contributor/text()", namespaces=NS) == [name]
    page = (project / "build" / "fr" / f"{ESSAYS[0]}.html").read_text("utf-8")
    tree = etree.HTML(page.encode())
    dd = tree.xpath("//dl/dt[. = 'Traduction']/following-sibling::dd[1]")[0]
    assert dd.text.replace("\u202f;", ";") == name         # French typography aside
    assert "ana@example.org" not in page and "traduc@example.org" not in page


# ---------------------------------------------------------------- charset

def test_a_utf8_catalogue_declaring_another_charset_is_reported(project):
    path = edit_catalogue(project, "fr", ESSAYS[0], lambda i, e: "Déjà " + e.msgid)
    raw = path.read_bytes()
    assert b"charset=UTF-8" in raw
    path.write_bytes(raw.replace(b"charset=UTF-8", b"charset=ISO-8859-1"))
    line = raw[:raw.index(b"charset=")].count(b"\n") + 1
    _, err = build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html")
    where = f"locale/fr/LC_MESSAGES/{ESSAYS[0]}.po:{line}"
    assert where in err and "charset=ISO-8859-1" in err and "UTF-8" in err
    path.write_bytes(raw.replace("Déjà".encode(), "Déjà".encode("latin-1"))
                     .replace(b"charset=UTF-8", b"charset=ISO-8859-1"))
    _, err = build(project, "--lang", "fr", "--essay", ESSAYS[0], "--format", "html")
    assert "charset" not in err                    # a real Latin-1 file is fine
