"""Metadata.author is a tuple of people: "Dupont, Jean" is one person, "By Ann Lee and Bob
Ray" two. Sources hold one <author> per person; editions join the names in their language."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from lxml import etree

from build_helpers import edition, sample_document, translate
from serge_publish.cli import main
from serge_publish.languages import join_names
from serge_publish.sourcexml import TEI_NS, read_source, write_source
from serge_publish.writers import epub, html

SHIPPED = Path(__file__).resolve().parents[1] / "source" / "greene-borders.xml"
NS = {"t": TEI_NS, "x": "http://www.w3.org/1999/xhtml",
      "dc": "http://purl.org/dc/elements/1.1/", "opf": "http://www.idpf.org/2007/opf"}


def with_authors(*people: str, doc=None):
    doc = doc or sample_document()
    return replace(doc, metadata=replace(doc.metadata, author=people))


def header_authors(path) -> list[str]:
    return [a.text for a in etree.parse(str(path)).findall(".//t:titleStmt/t:author", NS)]


@pytest.mark.parametrize("people", [("Dupont, Jean",), ("Ann Lee", "Bob Ray"), ()])
def test_people_round_trip_through_the_source(people, tmp_path):
    path = tmp_path / "greene-borders.xml"
    write_source(with_authors(*people, doc=read_source(SHIPPED)), path)
    assert header_authors(path) == list(people)
    assert read_source(path).metadata.author == people


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("name, text, hints, people", [
    ("e.txt", "Title\nBy Ann Lee and Bob Ray\n\nA paragraph of text.\n", "",
     ["Ann Lee", "Bob Ray"]),
    ("e.txt", "Title\n\nA paragraph of text.\n", '[metadata]\nauthor = "Dupont, Jean"\n',
     ["Dupont, Jean"]),
    ("e.md", "---\nauthor: Dupont, Jean\n---\n# Title\n\nA paragraph of text.\n", "",
     ["Dupont, Jean"]),
    ("e.md", "---\nauthor: Ann Lee and Bob Ray\n---\n# Title\n\nA paragraph.\n", "",
     ["Ann Lee", "Bob Ray"]),
    ("e.html", '<html><head><meta name="author" content="Ann Lee and Bob Ray"></head><body>'
               "<article><h1>Title</h1><p>A paragraph.</p></article></body></html>", "",
     ["Ann Lee", "Bob Ray"]),
])
def test_imports_name_each_person_once(project, name, text, hints, people):
    essay = project / name
    essay.write_text(text, encoding="utf-8")
    if hints:
        (project / f"{name}.hints.toml").write_text(hints, encoding="utf-8")
    assert main(["import", str(essay), "--id", "e"]) == 0
    assert header_authors(project / "source" / "e.xml") == people


def _epub(ed) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(epub.essay_epub(ed, b"")[0]))


def test_each_person_is_a_creator_with_an_id_and_names_join_in_the_editions_language():
    doc = with_authors("Ann Lee", "Bob Ray")
    for ed, joined in ((edition(doc), "Ann Lee and Bob Ray"),
                       (edition(translate(doc, "fr", str.upper), "fr"), "Ann Lee et Bob Ray")):
        z = _epub(ed)
        opf = etree.fromstring(z.read("EPUB/content.opf"))
        assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Ann Lee", "Bob Ray"]
        ids = opf.xpath("//dc:creator/@id", namespaces=NS)
        assert len(set(ids)) == 2
        title_page = etree.fromstring(z.read("EPUB/titlepage.xhtml"))
        assert title_page.xpath("string(//x:p[@class='author'])", namespaces=NS) == joined
        assert joined in " ".join(etree.fromstring(z.read("EPUB/cover.svg")).itertext())


def test_one_author_is_shown_as_before():
    z = _epub(edition(with_authors("Dupont, Jean")))
    opf = etree.fromstring(z.read("EPUB/content.opf"))
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Dupont, Jean"]
    title_page = etree.fromstring(z.read("EPUB/titlepage.xhtml"))
    assert title_page.xpath("string(//x:p[@class='author'])", namespaces=NS) == "Dupont, Jean"


def test_index_page_joins_the_people():
    link = html.EssayLink("e", "Title", None, ("Ana López", "Luis Gómez"), False)
    page = html.index_html("es", (link,), html.Site("Essays", "en", ("es",)))
    assert "Ana López y Luis Gómez" in page.decode("utf-8")


@pytest.mark.parametrize("names, lang, shown", [
    ((), "en", ""), (("Dupont, Jean",), "fr", "Dupont, Jean"),
    (("A", "B", "C"), "de", "A, B und C"), (("A", "B"), "qps", "A, B")])
def test_join_names(names, lang, shown):
    assert join_names(names, lang) == shown
