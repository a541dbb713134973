"""Rules every reader shares (importers/assembly.py): the text, Markdown and HTML readers
all hand intermediate items to one assembler, so a byline, a dateline and notes are
recognised the same way whatever the format."""
from __future__ import annotations

from pathlib import Path

import pytest

from serge_publish.errors import Report
from serge_publish.importers import import_document

BODY = "The first paragraph of the essay says something long enough to be a paragraph."


def write(tmp_path: Path, fmt: str, title: str, lines: list[str]) -> Path:
    """The same essay in one of the three formats: title, then one paragraph a line."""
    if fmt == "text":
        path, text = tmp_path / "e.txt", "\n\n".join([title, *lines])
    elif fmt == "markdown":
        path, text = tmp_path / "e.md", "\n\n".join([f"# {title}", *lines])
    else:
        path = tmp_path / "e.html"
        paragraphs = "".join(f"<p>{line}</p>" for line in lines)
        text = f"<html><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def imported(path: Path, lang: str = "en"):
    report = Report()
    return import_document(path, "e", "auto", lang, report), report


FORMATS = ["text", "markdown", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("written, iso", [("January 18, 2016", "2016-01-18"),
                                          ("18 January 2016", "2016-01-18"),
                                          ("Sept. 3, 1999", "1999-09-03"),
                                          ("2011-03-04", "2011-03-04")])
def test_one_date_rule_for_every_reader(fmt, written, iso, tmp_path):
    doc, _ = imported(write(tmp_path, fmt, "A Title", [written, BODY]))
    assert [b.kind for b in doc.front] == ["dateline"]
    assert doc.metadata.date == iso


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("not_a_date", ["Smarch 3, 2011", "February 30, 2016"])
def test_what_is_not_a_date_stays_text_in_every_reader(fmt, not_a_date, tmp_path):
    doc, _ = imported(write(tmp_path, fmt, "A Title", [not_a_date, BODY]))
    assert doc.front == () and doc.metadata.date == ""


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("line, byline", [("By Ann Lee", True), ("By then, it was over.", False),
                                          ("By the time the war ended we had left", False)])
def test_one_byline_rule_for_every_reader(fmt, line, byline, tmp_path):
    doc, _ = imported(write(tmp_path, fmt, "A Title", [line, BODY]))
    assert [b.kind for b in doc.front] == (["byline"] if byline else [])
    assert bool(doc.metadata.author) == byline


def test_text_front_in_any_order_ends_with_the_run_in_dateline(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("Title\n\u00a0A caption\n[An editorial note.]\nBy Ann Lee\n"
                    "March 3, 2011 — First in The Review, 2011 — Opening words go on.\n",
                    encoding="utf-8")
    doc, _ = imported(path)
    assert [b.kind for b in doc.front] == ["figure", "editorial", "byline", "dateline",
                                           "provenance"]
    assert (doc.metadata.date, doc.metadata.publisher) == ("2011-03-03",
                                                           "First in The Review")
    assert doc.body[0].children[0].segments[0].text == "Opening words go on."


def test_text_notes_keep_their_numbers_and_are_checked_like_other_readers(tmp_path):
    path = tmp_path / "e.txt"
    path.write_text("Title\n\nText with a note [2] and another [3].\n\n"
                    "[1]Defined, never referenced.\n[2]The second note.\n", encoding="utf-8")
    doc, report = imported(path)
    notes = doc.back[0].children
    assert [(n.id, bool(n.children)) for n in notes] == [("n1", True), ("n2", True),
                                                         ("n3", False)]
    assert [(d.code, d.where.rsplit(":", 1)[1]) for d in report.warnings] == [
        ("import.note-unreferenced", "5"), ("import.note-missing", "3")]
