"""Titles of works and foreign words: from hints (every format), HTML <cite> and lang,
through the source format (TEI <title xml:lang>, <foreign xml:lang>) and back."""
from __future__ import annotations

from pathlib import Path

import pytest

from serge_publish.commands.import_ import import_command
from serge_publish.errors import Report, SourceError
from serge_publish.importers import import_document
from serge_publish.model import Content, Inline, iter_segments, map_segments
from serge_publish.project import Config, init_project
from serge_publish.sourcexml import read_source, render_source

ROOT = Path(__file__).resolve().parents[1]

TEXT = """On Serge

Serge wrote Memoirs of a Revolutionary in Mexico. He wrote The Case of Comrade Tulayev, \
not the Case.

Later, Les Hommes perdus was lost; Memoirs of a Revolutionary is his best book.
"""


def titles_of(doc) -> list[tuple[str, str | None]]:
    found: list[tuple[str, str | None]] = []

    def walk(content: Content) -> None:
        for item in content:
            if isinstance(item, Inline):
                if item.kind == "title":
                    found.append(("".join(c for c in item.children if isinstance(c, str)),
                                  item.attr("lang")))
                walk(item.children)
    for ref in iter_segments(doc):
        walk(ref.segment.content)
    return found


def imported(tmp_path: Path, name: str, text: str, hints: str, report: Report | None = None):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / f"{name}.hints.toml").write_text(hints, encoding="utf-8")
    return import_document(path, "essay", "auto", "en", report or Report())


def test_hinted_titles_are_marked_everywhere_longest_first(tmp_path):
    report = Report()
    doc = imported(tmp_path, "e.txt", TEXT,
                   'titles = ["Memoirs of a Revolutionary", "The Case of Comrade Tulayev", '
                   '"Tulayev", "Les Hommes perdus@fr", "Not There"]\n', report)
    assert titles_of(doc) == [("Memoirs of a Revolutionary", None),
                              ("The Case of Comrade Tulayev", None),
                              ("Les Hommes perdus", "fr"),
                              ("Memoirs of a Revolutionary", None)]
    missing = [d for d in report.warnings if d.code == "import.title-not-found"]
    assert [m.message.split("'")[1] for m in missing] == ["Not There", "Tulayev"]
    assert missing[0].where.endswith("e.txt.hints.toml")


def test_titles_change_no_text_and_no_segmentation(tmp_path):
    (tmp_path / "plain").mkdir()
    plain = imported(tmp_path / "plain", "e.txt", TEXT, "")
    marked = imported(tmp_path, "e.txt", TEXT, 'titles = ["Memoirs of a Revolutionary"]\n')
    assert titles_of(marked) and not titles_of(plain)
    assert [(r.segment.id, r.segment.text) for r in iter_segments(plain)] == \
        [(r.segment.id, r.segment.text) for r in iter_segments(marked)]


def test_markdown_emphasis_becomes_a_title_only_when_hinted(tmp_path):
    doc = imported(tmp_path, "e.md", "# On Serge\n\nHe wrote *Conquered City* in *exile*; "
                   "Conquered City again.\n", 'titles = ["Conquered City"]\n')
    content = next(r.segment.content for r in iter_segments(doc) if "wrote" in r.segment.text)
    kinds = [(item.kind, item.children) for item in content if isinstance(item, Inline)]
    assert kinds == [("title", ("Conquered City",)), ("emph", ("exile",)),
                     ("title", ("Conquered City",))]


def test_html_cite_is_a_title_and_lang_marks_foreign_words(tmp_path):
    doc = imported(tmp_path, "e.html",
                   '<h1>T</h1><p>He read <cite>Memoirs</cite>, <cite lang="fr">Carnets</cite>, '
                   '<i lang="fr">les Hommes</i>, <i lang="en">same</i> and <i>so</i>.</p>', "")
    content = next(r.segment.content for r in iter_segments(doc) if "read" in r.segment.text)
    assert [(i.kind, i.attrs) for i in content if isinstance(i, Inline)] == [
        ("title", ()), ("title", (("lang", "fr"),)), ("foreign", (("lang", "fr"),)),
        ("emph", ()), ("emph", ())]


def test_a_hints_file_that_is_not_toml_is_refused_for_markdown_too(tmp_path):
    from serge_publish.errors import InputError
    with pytest.raises(InputError) as info:
        imported(tmp_path, "e.md", "# T\n\nText.\n", "titles = [\n")
    assert "hints" in info.value.message


# ---------------------------------------------------------------- the source format

def _with_foreign(doc):
    def add(ref):
        seg = ref.segment
        content = (seg.text + " ", Inline("foreign", ("à la lettre",), (("lang", "fr"),)),
                   " ", Inline("title", ("Carnets",), (("lang", "fr"),)))
        return seg.__class__(seg.id, content, seg.location, seg.lang)
    return map_segments(doc, lambda ref: add(ref) if ref.segment.id == "s2" else ref.segment)


def test_titles_and_foreign_words_round_trip_through_the_schema(tmp_path):
    doc = _with_foreign(imported(tmp_path, "e.txt", TEXT, 'titles = ["Les Hommes perdus@fr"]\n'))
    data = render_source(doc, tmp_path / "essay.xml")
    assert b'<foreign xml:lang="fr">\xc3\xa0 la lettre</foreign>' in data
    assert b'<title xml:lang="fr">Carnets</title>' in data
    (tmp_path / "essay.xml").write_bytes(data)
    again = read_source(tmp_path / "essay.xml")
    assert [r.segment.content for r in iter_segments(again)] == \
        [r.segment.content for r in iter_segments(doc)]


def test_a_foreign_span_without_a_language_is_refused(tmp_path):
    doc = map_segments(imported(tmp_path, "e.txt", TEXT, ""), lambda ref: ref.segment.__class__(
        ref.segment.id, ref.segment.content + (Inline("foreign", ("x",)),)))
    with pytest.raises(SourceError):
        render_source(doc, tmp_path / "essay.xml")


def test_reimport_with_titles_keeps_every_id(tmp_path):
    project = init_project(tmp_path / "p", Config())
    original = tmp_path / "essay.txt"
    original.write_text(TEXT, encoding="utf-8")
    first = import_command(project, original, "essay", "auto", None, False, None)
    (tmp_path / "essay.txt.hints.toml").write_text('titles = ["Memoirs of a Revolutionary"]\n',
                                                   encoding="utf-8")
    second = import_command(project, original, "essay", "auto", None, True, None)
    ids = [(r.segment.id, r.segment.text) for r in iter_segments(first.document)]
    assert ids == [(r.segment.id, r.segment.text) for r in iter_segments(second.document)]
    assert second.kept_ids == len(ids) and len(titles_of(second.document)) == 2


def test_the_shipped_essays_mark_serges_books_as_titles():
    greene = titles_of(read_source(ROOT / "source" / "greene-borders.xml"))
    weissman = titles_of(read_source(ROOT / "source" / "weissman-defeated-past.xml"))
    for book in ("Memoirs of a Revolutionary", "Birth of Our Power", "The Long Dusk",
                 "Midnight in the Century", "Conquered City", "Men in Prison"):
        assert (book, None) in greene
    assert ("Les Hommes perdus", "fr") in weissman and ("Carnets", "fr") in weissman
