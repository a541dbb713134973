"""Writing a source never invents content: an essay that states no rights gets no rights
statement (``<availability status="unknown"/>``); a source that has one keeps it."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from lxml import etree

from serge_publish.cli import main
from serge_publish.sourcexml import TEI_NS, read_source, write_source

SHIPPED = Path(__file__).resolve().parents[1] / "source" / "greene-borders.xml"
NS = {"t": TEI_NS}


def availability(path: Path) -> etree._Element:
    return etree.parse(str(path)).find(".//t:publicationStmt/t:availability", NS)


def test_a_source_without_rights_is_written_without_a_rights_statement(tmp_path):
    doc = read_source(SHIPPED)
    doc = replace(doc, metadata=replace(doc.metadata, rights=""))
    path = tmp_path / "greene-borders.xml"
    write_source(doc, path)
    avail = availability(path)
    assert avail.get("status") == "unknown" and len(avail) == 0 and not (avail.text or "").strip()
    assert b"rights reserved" not in path.read_bytes()
    first = path.read_bytes()
    write_source(read_source(path), path)            # read and written again: still none
    assert read_source(path).metadata.rights == "" and path.read_bytes() == first


def test_a_source_with_rights_keeps_them(tmp_path):
    doc = read_source(SHIPPED)
    assert doc.metadata.rights == "All rights reserved by the author."
    doc = replace(doc, metadata=replace(doc.metadata, rights="CC BY-SA 4.0"))
    path = tmp_path / "greene-borders.xml"
    write_source(doc, path)
    assert availability(path).findtext("t:p", namespaces=NS) == "CC BY-SA 4.0"
    assert read_source(path).metadata.rights == "CC BY-SA 4.0"


def test_an_imported_essay_that_states_no_rights_gets_none(tmp_path, monkeypatch):
    root = tmp_path / "proj"
    assert main(["init", str(root)]) == 0
    monkeypatch.chdir(root)
    essay = root / "essay.txt"
    essay.write_text("A Title\n\nBy Ann Lee\n\nA paragraph of the essay.\n", encoding="utf-8")
    assert main(["import", str(essay)]) == 0
    source = root / "source" / "essay.xml"
    assert availability(source).get("status") == "unknown"
    assert read_source(source).metadata.rights == ""
