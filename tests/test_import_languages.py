"""The words an importer looks for come from data/import_patterns.json, chosen by the
import's --lang: month names, the byline word and conjunction, the labels of note lists."""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from lxml import etree

from serge_publish.cli import main
from serge_publish.errors import Report
from serge_publish.importers import import_document
from serge_publish.importers.patterns import languages, patterns_for
from serge_publish.sourcexml import TEI_NS

NS = {"t": TEI_NS}
FRENCH = ("Un titre\n"
          "Par Jean Dupont et Marie Curie\n"
          "18 janvier 2016 — Paru dans La Revue, 2016 — Les premiers mots [1] continuent ici.\n"
          "\nNotes\n1. La seule note.\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    return root


def import_cli(project: Path, text: str, lang: str) -> etree._Element:
    essay = project / "essai.txt"
    essay.write_text(text, encoding="utf-8")
    assert main(["import", str(essay), "--lang", lang]) == 0
    return etree.parse(str(project / "source" / "essai.xml")).getroot()


def test_french_dateline_byline_and_notes_with_lang_fr(project):
    root = import_cli(project, FRENCH, "fr")
    assert root.find(".//t:sourceDesc/t:bibl/t:date", NS).get("when") == "2016-01-18"
    publisher = root.findtext(".//t:sourceDesc/t:bibl/t:publisher", namespaces=NS)
    assert publisher == "Paru dans La Revue"
    front = [el.tag.split("}")[1] for el in root.find(".//t:front", NS)]
    assert front == ["byline", "dateline", "div"]
    authors = root.findall(".//t:titleStmt/t:author", NS)
    assert [a.text for a in authors] == ["Jean Dupont", "Marie Curie"]
    notes = root.findall(".//t:back/t:div[@type='notes']/t:note", NS)
    assert [n.get("n") for n in notes] == ["1"] and "".join(notes[0].itertext()).strip()
    assert "Notes" not in "".join(root.find(".//t:text", NS).itertext())


def test_the_patterns_are_those_of_the_import_language(project):
    """The same French text imported as English: no French date, byline or note label."""
    root = import_cli(project, FRENCH, "en")
    assert root.find(".//t:sourceDesc/t:bibl/t:date", NS) is None
    assert root.find(".//t:front/t:dateline", NS) is None
    assert root.find(".//t:front/t:byline", NS) is None


@pytest.mark.parametrize("lang, title, byline, people, date, iso, label", [
    ("es", "Un título", "Por Ana López y Luis Gómez", ("Ana López", "Luis Gómez"),
     "18 de enero de 2016", "2016-01-18", "Notas"),
    ("de", "Ein Titel", "Von Anna Schmidt und Jan Weber", ("Anna Schmidt", "Jan Weber"),
     "3. März 2001", "2001-03-03", "Anmerkungen"),
    ("en-GB", "A Title", "By Ann Lee, Bo Ray & Cy Twombly", ("Ann Lee", "Bo Ray", "Cy Twombly"),
     "3rd March 2001", "2001-03-03", "Endnotes"),
])
def test_each_language_reads_its_own_front_and_notes(lang, title, byline, people, date, iso,
                                                     label, tmp_path):
    path = tmp_path / "e.txt"
    path.write_text(f"{title}\n{byline}\n{date}\n\nEin Absatz, un párrafo, a paragraph [1].\n"
                    f"\n{label} 1. Eine Anmerkung.\n", encoding="utf-8")
    doc = import_document(path, "e", "text", lang, Report())
    assert [b.kind for b in doc.front] == ["byline", "dateline"]
    assert doc.metadata.date == iso
    assert doc.metadata.author == people
    note = doc.back[0].children[0]
    assert note.children[0].segments[0].text == "Eine Anmerkung."


def test_every_language_has_twelve_months_and_all_the_words():
    data = json.loads(resources.files("serge_publish").joinpath(
        "data", "import_patterns.json").read_text("utf-8"))
    assert {"en", "fr", "es", "de"} <= set(languages())
    for lang in languages():
        assert len(data[lang]["months"]) == 12, lang
        assert all(data[lang][key] for key in ("dates", "byline", "and", "notes")), lang


@pytest.mark.parametrize("lang, key", [("fr-CA", "fr"), ("pt_BR", "en"), ("ru", "en"),
                                       ("DE", "de")])
def test_a_tag_falls_back_to_its_primary_subtag_then_english(lang, key):
    assert patterns_for(lang).lang == key
