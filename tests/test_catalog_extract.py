"""Templates: one entry per segment, what it is, its tags, its context; goldens; no churn."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from catalog_helpers import leaf, make_project, msgfmt_check, needs_msgfmt, sample_document, seg
from serge_publish.catalog import extract_catalog, format_catalog, read_catalog
from serge_publish.commands.catalog import extract_command
from serge_publish.errors import CatalogError
from serge_publish.model import iter_segments
from serge_publish.project import find_project
from serge_publish.sourcexml import write_source

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "catalog"
DATE = "2016-01-18 00:00+0000"
_DATE_LINE = re.compile(r'^"POT-Creation-Date: [^"]*"$', re.MULTILINE)


def _entries():
    pot = extract_catalog(sample_document(), project_name="P", date=DATE)
    return pot, {e.msgctxt: e for e in pot}


def test_one_entry_per_segment_in_document_order_keyed_by_id():
    pot, _ = _entries()
    assert [e.msgctxt for e in pot] == [r.segment.id for r in iter_segments(sample_document())]
    assert pot.metadata["POT-Creation-Date"] == DATE
    assert pot.metadata["Project-Id-Version"] == "P"


def test_comments_say_what_the_segment_is():
    _, by_id = _entries()
    first_lines = {sid: e.comment.split("\n")[0] for sid, e in by_id.items()}
    assert first_lines == {
        "s1": "title", "s2": "byline", "s3": "heading",
        "s4": "paragraph, sentence 1 of 3", "s5": "paragraph, sentence 2 of 3",
        "s6": "paragraph, sentence 3 of 3", "s7": "block quote, sentence 1 of 2",
        "s8": "block quote, sentence 2 of 2", "s9": "paragraph, sentence 1 of 2",
        "s10": "paragraph, sentence 2 of 2", "s11": "note 1", "s12": "note 2"}


def test_comment_gives_the_legend_and_the_neighbours():
    _, by_id = _entries()
    assert by_id["s8"].msgid == "Read <x1/> &lt;again&gt;.<n1/>"
    assert by_id["s8"].comment.split("\n") == [
        "block quote, sentence 2 of 2",
        "<x1/> = “Ville conquise” (not translated, kept as is)",
        "<n1/> = reference to note 2",
        "previous: The only meaning of life lies in conscious participation.",
        "next (paragraph): The same sentence twice."]
    assert "<a2>…</a2> = link to https://example.org/2" in by_id["s6"].comment


def test_reference_points_at_the_source_file_and_line():
    _, by_id = _entries()
    assert by_id["s4"].occurrences == [("source/sample.xml", "14")]
    other = replace(sample_document(), title=leaf("title", seg("s1", "T", essay="elsewhere")))
    pot = extract_catalog(other, project_name="P", date=DATE)
    assert pot[0].occurrences == [("source/sample.xml", "")]      # no line from another file


def test_empty_segments_are_not_extracted_and_duplicate_ids_are_refused():
    doc = sample_document()
    doc = replace(doc, front=(leaf("byline", seg("s2", "By X"), seg("s13", " ")),))
    assert "s13" not in {e.msgctxt for e in extract_catalog(doc, project_name="P", date=DATE)}
    doc = replace(doc, front=(leaf("byline", seg("s3", "By X")),))
    with pytest.raises(CatalogError, match="s3"):
        extract_catalog(doc, project_name="P", date=DATE)


@needs_msgfmt
def test_template_is_not_rewritten_when_only_its_date_would_change(tmp_path, monkeypatch):
    project = make_project(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000000000")
    assert extract_command(project)[0].written
    pot = project.pot_path("sample")
    before = pot.read_bytes()
    assert b"POT-Creation-Date: 2001-09-09 01:46+0000" in before
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert not extract_command(project)[0].written
    assert pot.read_bytes() == before
    doc = replace(sample_document(), title=leaf("title", seg("s1", "A new title")))
    write_source(doc, project.source_path("sample"))
    assert extract_command(project)[0].written
    assert b"POT-Creation-Date: 2023-11-14 22:13+0000" in pot.read_bytes()
    msgfmt_check(pot)


def _shipped_templates(tmp_path: Path) -> dict[str, str]:
    if not list((ROOT / "source").glob("*.xml")):
        pytest.fail("the shipped sources source/*.xml are missing")
    shutil.copytree(ROOT / "source", tmp_path / "source")
    shutil.copy(ROOT / "serge-publish.toml", tmp_path)
    project = find_project(tmp_path)
    return {r.essay: _DATE_LINE.sub('"POT-Creation-Date: DATE\\\\n"',
                                    project.pot_path(r.essay).read_text(encoding="utf-8"))
            for r in extract_command(project) if r.essay != "_project"}


@needs_msgfmt
def test_golden_templates_of_the_shipped_essays(tmp_path):
    """UPDATE_GOLDEN=1 rewrites tests/golden/catalog/*.pot (review the diff)."""
    templates = _shipped_templates(tmp_path)
    assert len(templates) == 2
    for essay, text in templates.items():
        golden = GOLDEN / f"{essay}.pot"
        if os.environ.get("UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8")
        assert golden.read_text(encoding="utf-8") == text, f"{golden} differs"
        po = read_catalog(golden)
        assert format_catalog(po) == text           # the serializer's canonical form
        msgfmt_check(golden)


def test_a_template_gives_what_segment_entry_gives_for_each_segment():
    """extract_catalog works out each block's description and each segment's text once
    (issue 8); its entries are those of segment_entry (tests/extract_reference.py), the
    definition, segment by segment: on the sample and on the shipped essays (notes,
    quotes, front and back matter)."""
    from extract_reference import neighbours as _neighbours
    from extract_reference import segment_entry

    from serge_publish.model import published
    from serge_publish.sourcexml import read_source
    docs = [sample_document()] + [published(read_source(p), True)
                                  for p in sorted((ROOT / "source").glob("*.xml"))]
    assert len(docs) > 1
    for doc in docs:
        refs = list(iter_segments(doc))
        expected = [segment_entry(ref, f"source/{doc.id}.xml", _neighbours(refs, i))
                    for i, ref in enumerate(refs)]
        expected = [e for e in expected if e is not None]
        pot = extract_catalog(doc, project_name="P", date=DATE)
        assert [e.__dict__ for e in pot] == [e.__dict__ for e in expected], doc.id
