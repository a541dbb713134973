"""The plain-text importer on the two shipped essays: structure, fidelity, golden sources."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from lxml import etree

from serge_publish.commands.import_ import import_command
from serge_publish.errors import Report
from serge_publish.importers import import_document
from serge_publish.model import iter_blocks, iter_segments
from serge_publish.project import Config, init_project
from serge_publish.sourcexml import TEI_NS

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "source"
ESSAYS = ["greene-borders", "weissman-defeated-past"]
NS = {"t": TEI_NS}


def original(essay: str) -> Path:
    return SOURCE / "originals" / f"{essay}.txt"


def imported(essay: str):
    report = Report()
    path = original(essay)
    doc = import_document(path, essay, "text", "en", report,
                          path.with_name(path.name + ".hints.toml"))
    return doc, report


def blocks_of(doc, kind):
    return [b for _, blocks in doc.sections for b, _ in iter_blocks(blocks) if b.kind == kind]


# ---------------------------------------------------------------- fidelity

def original_words(text: str) -> list[str]:
    """The original's words after the documented normalisations (README, 'Importing')."""
    text = re.sub(r"^(Endnotes|Notes|Footnotes)\s*:?\s*(?=1\.\s)", "", text, flags=re.M)
    return re.findall(r"\w+", text)


def source_words(path: Path) -> list[str]:
    """Every word of a source file, read with plain lxml (not with our reader)."""
    root = etree.parse(str(path)).getroot()
    title = root.find(".//t:titleStmt/t:title[@type='main']", NS)
    words = re.findall(r"\w+", "".join(title.itertext()))
    for el in root.find("t:text", NS).iter():
        if el.tag == f"{{{TEI_NS}}}note" and len(el):
            words.append(el.get("n"))
        for chunk in (el.text, el.tail if el.tag != f"{{{TEI_NS}}}text" else None):
            words.extend(re.findall(r"\w+", chunk or ""))
    return words


@pytest.mark.parametrize("essay", ESSAYS)
def test_no_word_lost_or_added(essay):
    expected = original_words(original(essay).read_text(encoding="utf-8"))
    got = source_words(SOURCE / f"{essay}.xml")
    assert len(expected) > 4000
    assert got == expected


# ---------------------------------------------------------------- golden sources

@pytest.mark.parametrize("essay", ESSAYS)
def test_reimport_reproduces_the_shipped_source(essay, tmp_path):
    """The shipped sources are golden files: importing their originals (with their hints)
    into a new project gives them back byte for byte. Corrections go into the original or
    its hints file, so that the import stays reproducible."""
    project = init_project(tmp_path / "p", Config())
    result = import_command(project, original(essay), essay, "auto", "en", False, None)
    shipped = SOURCE / f"{essay}.xml"
    if os.environ.get("UPDATE_GOLDEN"):
        shipped.write_bytes(result.path.read_bytes())
    assert result.path.read_bytes() == shipped.read_bytes()
    assert (project.originals_dir / f"{essay}.txt.hints.toml").exists()


# ---------------------------------------------------------------- structure, hand-checked

def test_greene_structure():
    doc, report = imported("greene-borders")
    assert doc.title.segments[0].text == "Victor Serge: On the borders of victory and defeat"
    assert [b.kind for b in doc.front] == ["figure", "byline", "dateline", "provenance"]
    assert blocks_of(doc, "caption")[0].segments[0].text.startswith("Victor Serge (left),")
    assert doc.metadata.author == ("Doug Enaa Greene",)
    assert doc.metadata.date == "2016-01-18"
    assert doc.metadata.publisher == "Links International Journal of Socialist Renewal"
    heads = blocks_of(doc, "head")
    assert [h.segments[0].text for h in heads] == ["I. Life", "II. The Witness"]
    assert heads[1].segments[0].content[-1].attr("n") == "23"   # "II. The Witness [23]"
    quotes = blocks_of(doc, "quote")
    assert [q.location.line for q in quotes] == [8, 27, 37, 41, 49]
    notes = blocks_of(doc, "note")
    assert [n.attr("n") for n in notes] == [str(i) for i in range(1, 27)]
    assert all(n.children for n in notes)
    note3 = " ".join(s.text for s in notes[2].children[0].segments)
    assert note3 == "Ibid. 14."
    bio = blocks_of(doc, "bio")
    assert bio[0].children[0].segments[0].text.startswith("Doug Enaa Greene is an independent")
    assert not blocks_of(doc, "comments")
    first = doc.body[0].children[0].segments[0].text
    assert first.startswith("In 1941, reflecting on his own life")
    texts = [r.segment.text for r in iter_segments(doc)]
    assert any(t.endswith("cataclysm of World War II.") for t in texts)
    assert not [d for d in report.warnings if d.code == "import.run-in-heading"]


def test_weissman_structure():
    doc, report = imported("weissman-defeated-past")
    assert [b.kind for b in doc.front] == ["byline", "editorial"]
    byline = doc.front[0].segments[0]
    assert byline.text == "By Suzi Weissman" and byline.content[-1].attr("target") == "n1"
    heads = [h.segments[0].text for h in blocks_of(doc, "head")]
    assert heads == ["Our contemporary", "From anarchist to Bolshevik", "Russian Revolution",
                     "Defeat, renewal and democracy – the heart of socialism",
                     "From Serge’s ‘present’ to ours", "Democracy and socialism"]
    assert [q.location.line for q in blocks_of(doc, "quote")] == [55]
    notes = blocks_of(doc, "note")
    assert [n.attr("n") for n in notes] == [str(i) for i in range(1, 22)]
    assert [n.attr("n") for n in notes if not n.children] == ["6"]
    comments = blocks_of(doc, "comment")
    assert [len(c.children) for c in comments] == [1, 7]
    assert [b.kind for b in doc.back] == ["duplicate", "notes", "comments"]
    codes = {(d.code, d.where.rsplit(":", 1)[1]) for d in report.warnings}
    assert ("import.encoding-repaired", "13") in codes
    assert ("import.encoding-repaired", "123") in codes
    assert ("import.space-restored", "127") in codes
    assert ("import.note-missing", "49") in codes
    texts = [r.segment.text for r in iter_segments(doc)]
    assert any("Stalin’s attempt" in t for t in texts)
    assert not any("=s" in t for t in texts)
