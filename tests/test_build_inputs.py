"""Small parts of the build, one by one: SOURCE_DATE_EPOCH and zip dates, translators'
names, a catalogue's declared charset, percentages, cover lines, EPUB chapter files."""
from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from build_helpers import DATE, edition, sample_document
from serge_publish.catalog import read_catalog
from serge_publish.catalog.header import translator_names
from serge_publish.commands.build_plan import percent_text
from serge_publish.config import config_from_dict
from serge_publish.dates import source_date_epoch
from serge_publish.errors import CatalogError, ProjectError
from serge_publish.writers import epub
from serge_publish.writers.cover import wrap
from serge_publish.writers.edition import Anthology, split_names
from serge_publish.writers.epubzip import zip_stamp

UTC = dt.UTC


# ---------------------------------------------------------------- dates

@pytest.mark.parametrize("value", ["99999999999999", "abc", "-5", "1.5", "1e9", "١٢٣"])
def test_an_unusable_source_date_epoch_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ProjectError) as failure:
        source_date_epoch()
    assert "seconds since 1970" in failure.value.hint
    assert failure.value.where == "SOURCE_DATE_EPOCH (environment variable)"


@pytest.mark.parametrize("value, expected", [
    ("", None), ("  ", None), (" 0 ", dt.datetime(1970, 1, 1, tzinfo=UTC)),
    ("7258118400", dt.datetime(2200, 1, 1, tzinfo=UTC)),
    ("253402300799", dt.datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
])
def test_a_usable_source_date_epoch(monkeypatch, value, expected):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch() == expected


def test_zip_timestamps_are_clamped_to_what_a_zip_can_hold():
    assert zip_stamp(dt.datetime(2200, 1, 1, tzinfo=UTC)) == (2107, 12, 31, 23, 59, 58)
    assert zip_stamp(dt.datetime(1970, 1, 1, tzinfo=UTC)) == (1980, 1, 1, 0, 0, 0)
    assert zip_stamp(DATE) == (2016, 1, 18, 0, 0, 0)
    late = replace(edition(), date=dt.datetime(2200, 1, 1, tzinfo=UTC))
    data, _ = epub.essay_epub(late, b"")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(2107, 12, 31, 23, 59, 58)}
        assert b"2200-01-01T00:00:00Z" in z.read("EPUB/content.opf")


# ---------------------------------------------------------------- translators

@pytest.mark.parametrize("metadata, names", [
    ({"Last-Translator": "Draft translation by the serge-publish team (machine-assisted; "
                         "needs review by a human translator)", "Language-Team": "French"},
     ("Draft translation by the serge-publish team (machine-assisted; needs review by a "
      "human translator)",)),
    ({"Last-Translator": "Dupont, Jeanne <jeanne@example.org>"}, ("Dupont, Jeanne",)),
    ({"Last-Translator": "Dupont, Jean <j@x>", "Language-Team": "French <fr@li.org>"},
     ("Dupont, Jean",)),
    ({"Last-Translator": "jeanne@example.org"}, ()),
    ({"Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
      "Language-Team": "LANGUAGE <LL@li.org>"}, ()),
    ({"Last-Translator": "Ana (ana@example.org)",
      "Language-Team": "Ana; Luc (Lyon; Paris), Zoé <team@example.org>"},
     ("Ana", "Luc (Lyon; Paris)", "Zoé")),
])
def test_catalogue_translators(metadata, names):
    assert translator_names(metadata, "fr") == names


def test_configured_translators_are_split_and_must_be_names():
    config = config_from_dict({"translators": {"fr": "Jeanne Dupont; Paul",
                                               "de": "Hans", "pt_BR": ["Ana, Lima"]}})
    assert config.translators_of("fr") == ("Jeanne Dupont", "Paul")
    assert config.translators_of("pt-BR") == ("Ana, Lima",)      # a list is taken as it is
    with pytest.raises(ProjectError, match="does not look like a person's name"):
        config_from_dict({"translators": {"fr": "Jeanne Dupont (revision; 2024), Paul"}})


@pytest.mark.parametrize("text, names", [
    ("A, B; C", ("A", "B", "C")),
    ("A (b; c, d), E", ("A (b; c, d)", "E")),
    ("A (b (c; d); e)", ("A (b (c; d); e)",)),
    ("A (unclosed; b", ("A (unclosed; b",)),
    (" ; ,", ()),
])
def test_split_names(text, names):
    assert split_names(text) == names


# ---------------------------------------------------------------- charset

def _catalogue(tmp_path: Path, charset: str, text: str, encoding: str) -> Path:
    path = tmp_path / "x.po"
    path.write_bytes((f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset={charset}\\n"'
                      f'\n\nmsgctxt "s1"\nmsgid "a"\nmsgstr "{text}"\n').encode(encoding))
    return path


@pytest.mark.parametrize("charset, text, encoding, warned", [
    ("ISO-8859-1", "déjà", "utf-8", True),
    ("latin1", "déjà", "utf-8", True),
    ("ISO-8859-1", "déjà", "latin-1", False),      # what it declares
    ("UTF-8", "déjà", "utf-8", False),
    ("utf8", "déjà", "utf-8", False),
    ("ISO-8859-1", "deja", "utf-8", False),        # ASCII reads the same either way
])
def test_a_utf8_catalogue_declaring_another_charset(tmp_path, charset, text, encoding, warned):
    """Refused by the reader (every command), at the line of the charset declaration."""
    path = _catalogue(tmp_path, charset, text, encoding)
    if not warned:
        assert [e.msgstr for e in read_catalog(path)] == [text]
        return
    with pytest.raises(CatalogError) as caught:
        read_catalog(path)
    assert caught.value.where == f"{path}:3" and f"charset={charset}" in caught.value.message


# ---------------------------------------------------------------- percentages

@pytest.mark.parametrize("percent, like, text", [
    (79.6, 80, "79"), (79.99, 80, "79"), (80.0, 80, "80"), (100.0, 80, "100"),
    (0.4, 80, "0"), (79.66, 79.5, "79.6"), (79.6, 0.1, "79.6"), (79.69, 0.1, "79.6"),
])
def test_percentages_are_rounded_down(percent, like, text):
    assert percent_text(percent, like) == text


# ---------------------------------------------------------------- cover

def test_cover_lines_break_at_ascii_spaces_only():
    title = "Victor Serge\u202f: aux frontières de «\u202fla victoire\u202f»"
    lines = wrap(title, 20)
    assert all(not line.startswith(("\u202f", ":", "»")) for line in lines)
    assert "Serge\u202f:" in " ".join(lines) and "victoire\u202f»" in " ".join(lines)
    assert wrap("a\u00a0b c", 3) == ["a\u00a0b", "c"]
    assert wrap("a\tb\nc", 1) == ["a", "b", "c"]


# ---------------------------------------------------------------- EPUB chapter files

def test_chapter_files_never_take_a_package_files_name():
    names = {e: epub.chapter_file(e) for e in
             ("greene-borders", "colophon", "Cover", "nav", "a b", "a_b", "été", ".x")}
    assert names["greene-borders"] == "greene-borders.xhtml"
    assert len(set(names.values())) == len(names)
    reserved = {"cover.xhtml", "titlepage.xhtml", "nav.xhtml", "colophon.xhtml"}
    assert not {n.lower() for n in names.values()} & reserved
    assert all(n.isascii() and not n.startswith(".") for n in names.values())


def test_an_essay_called_colophon_keeps_its_own_file():
    ed = edition(sample_document("colophon"))
    book = Anthology((ed, edition(sample_document("two"))), "en", "en", ed.publisher, DATE)
    data, _ = epub.anthology_epub(book, b"")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        assert len(names) == len(set(names))
        assert b"About this edition" in z.read("EPUB/colophon.xhtml")
        assert "EPUB/" + epub.chapter_file("two") in names


@pytest.mark.parametrize(("translated", "untranslated", "shown"),
                         [(9996, 4, "99.9"), (1, 0, "100.0"), (0, 7, "0.0"), (2, 1, "66.6")])
def test_status_shows_the_percentage_as_the_build_does(translated, untranslated, shown):
    """Rounded down, as the build's report and preview show it (99.96 % was "100.0%" in
    status while the build said 99.9 %, below a threshold of 100)."""
    from pathlib import Path

    from serge_publish.catalog import Counts
    from serge_publish.commands.catalog import (
        EssayStatus,
        LanguageStatus,
        status_json,
        status_table,
    )
    counts = Counts(translated=1, translated_words=translated, untranslated=1,
                    untranslated_words=untranslated)
    status = [LanguageStatus("fr", (EssayStatus("alpha", Path("alpha.po"), True, counts),))]
    rows = status_table(status).splitlines()[2:]
    assert [row.split()[-1] for row in rows] == [f"{shown}%", f"{shown}%"]
    assert json.loads(status_json(status))["languages"][0]["total"]["percent"] == float(shown)
    assert percent_text(counts.percent, 0.1) == shown
