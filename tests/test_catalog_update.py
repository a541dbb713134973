"""update / extract / status at the edges: compendium languages, write failures, CRLF files,
the configured team, partly translated plurals (against pocount)."""
from __future__ import annotations

import csv
import errno
import io
import subprocess
import tempfile

import pytest

from catalog_helpers import BIN, make_project
from serge_publish.catalog import count_catalog, read_catalog
from serge_publish.catalog.counts import ENTRY_STATES, entry_state
from serge_publish.catalog.words import count_words
from serge_publish.cli import main
from serge_publish.commands.catalog import status_command, update_command
from serge_publish.errors import InputError
from serge_publish.project import Config, Project

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def run(project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def compendium(tmp_path, language: str):
    path = tmp_path / f"compendium-{language}.po"
    path.write_text(HEADER + f'"Language: {language}\\n"\n\n'
                    'msgid "By Doug Enaa Greene"\nmsgstr "Translated byline"\n',
                    encoding="utf-8")
    return path


def byline(project, name: str):
    return next(e for e in read_catalog(project.po_path(name, "sample")) if e.msgctxt == "s2")


# ------------------------------------------------------------------ compendium language

def test_a_compendium_in_another_language_is_skipped_for_it_with_a_warning(tmp_path):
    project = make_project(tmp_path)
    results = update_command(project, ("fr", "de"), (), compendium(tmp_path, "de"))
    assert byline(project, "fr").msgstr == ""
    assert byline(project, "de").msgstr == "Translated byline"       # exact: translated
    assert not byline(project, "de").fuzzy
    fr = next(r for r in results if r.lang == "fr")
    assert [w.code for w in fr.warnings] == ["update.compendium-language"]
    assert "compendium-de.po: warning: the compendium is in de: not used for fr" in \
        str(fr.warnings[0])
    de = next(r for r in results if r.lang == "de")       # (de is not a target: said so)
    assert [w.code for w in de.warnings] == ["update.not-target"]


def test_a_compendium_serves_regions_of_its_language(tmp_path):
    project = make_project(tmp_path)
    update_command(project, ("fr-CA",), (), compendium(tmp_path, "fr"))
    assert byline(project, "fr_CA").msgstr == "Translated byline"


def test_a_compendium_in_none_of_the_languages_updated_is_refused(tmp_path, capsys):
    project = make_project(tmp_path)
    path = compendium(tmp_path, "pt_PT")
    assert run(project, "update", "--lang", "pt_BR", "--compendium", str(path)) == 2
    err = capsys.readouterr().err
    assert f"error: {path}: the compendium is in pt-PT, not in pt-BR" in err
    assert "--lang pt-PT" in err and "Traceback" not in err
    assert not project.po_path("pt_BR", "sample").exists()
    with pytest.raises(InputError, match="Language header 'French'"):
        update_command(project, ("fr",), (), compendium(tmp_path, "French"))


# ------------------------------------------------------------------ write failures

def test_a_file_where_a_folder_should_be_is_named(tmp_path, capsys):
    project = make_project(tmp_path)
    project.locale_dir.joinpath("fr").write_text("not a folder")
    assert run(project, "update", "--lang", "fr") == 4
    err = capsys.readouterr().err
    assert f"error: {project.po_path('fr', 'sample')}: cannot write the catalogue" in err
    assert f"hint: {project.locale_dir / 'fr'} is a file where a folder should be" in err
    assert "Traceback" not in err


def test_a_folder_where_the_template_should_be_is_named(tmp_path, capsys):
    project = make_project(tmp_path)
    project.pot_path("sample").mkdir(parents=True)
    assert run(project, "extract") == 4
    err = capsys.readouterr().err
    assert f"{project.pot_path('sample')}: cannot write the catalogue: Is a directory" in err
    assert "is a folder where the catalogue should be: move it aside" in err
    assert "Traceback" not in err


def test_a_read_only_folder_is_named_with_what_to_check(tmp_path, capsys, monkeypatch):
    project = make_project(tmp_path)
    assert run(project, "extract") == 0

    def refused(*args, dir=None, **kwargs):      # what a read-only folder answers
        raise PermissionError(errno.EACCES, "Permission denied", dir)
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert run(project, "update", "--lang", "fr") == 4
    err = capsys.readouterr().err
    assert f"{project.po_path('fr', 'sample')}: cannot write the catalogue: Permission denied" \
        in err
    assert f"check that you may write to {project.po_path('fr', 'sample').parent}" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------ CRLF, team

def test_a_crlf_catalogue_and_template_are_rewritten_with_lf(tmp_path, capsys, monkeypatch):
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    canonical = {p: p.read_bytes() for p in (project.po_path("fr", "sample"),
                                             project.pot_path("sample"))}
    for path, data in canonical.items():
        path.write_bytes(data.replace(b"\n", b"\r\n"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "2000000000")     # a later extraction
    assert run(project, "update", "--lang", "fr") == 0
    assert "locale/fr/LC_MESSAGES/sample.po: updated;" in capsys.readouterr().out
    for path, data in canonical.items():
        assert path.read_bytes() == data                    # the template keeps its date
    assert run(project, "update", "--lang", "fr") == 0
    assert "sample.po: unchanged;" in capsys.readouterr().out


def test_the_configured_team_wins_and_the_translator_keeps_their_name(tmp_path):
    project = make_project(tmp_path, translators={"fr": "Équipe A"})
    update_command(project, ("fr",))
    path = project.po_path("fr", "sample")
    text = path.read_text(encoding="utf-8").replace(
        '"Last-Translator: \\n"', '"Last-Translator: Zoé <z@example.org>\\n"')
    path.write_text(text.replace("Équipe A", "Team written in Poedit"), encoding="utf-8")
    changed = Project(project.root, Config(name="P", target_languages=("fr",),
                                           translators={"fr-FR": (), "fr": ("Équipe B",)}))
    update_command(changed, ("fr",))
    meta = read_catalog(path).metadata
    assert meta["Language-Team"] == "Équipe B"
    assert meta["Last-Translator"] == "Zoé <z@example.org>"
    unset = Project(project.root, Config(name="P", target_languages=("fr",)))
    path.write_text(path.read_text(encoding="utf-8").replace("Équipe B", "Les traducteurs"),
                    encoding="utf-8")
    update_command(unset, ("fr",))                  # none configured: the translator's
    assert read_catalog(path).metadata["Language-Team"] == "Les traducteurs"


# ------------------------------------------------------------------ plurals and pocount

PLURALS = '''
msgctxt "p1"
msgid "one apple"
msgid_plural "many apples"
msgstr[0] "une pomme"
msgstr[1] ""

msgctxt "p2"
msgid "one pear here"
msgid_plural "many pears"
msgstr[0] ""
msgstr[1] "des poires"

msgctxt "p3"
msgid "a cat"
msgid_plural "cats"
msgstr[0] ""
msgstr[1] ""

#, fuzzy
msgctxt "p4"
msgid "one dog dog"
msgid_plural "dogs"
msgstr[0] "un chien"
msgstr[1] ""

msgctxt "p5"
msgid "one bird"
msgid_plural "birds"
msgstr[0] "un oiseau"
msgstr[1] "des oiseaux"
'''


def test_status_counts_plural_messages_as_pocount_and_their_words_as_build_does(tmp_path):
    """The messages as pocount counts them; the words of each msgid alone, as the build
    counts a segment's (its source text: a segment has no plural forms), where pocount
    adds those of the msgid_plural."""
    project = make_project(tmp_path)
    path = project.po_path("fr", "sample")
    path.parent.mkdir(parents=True)
    path.write_text(HEADER + '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n' + PLURALS,
                    encoding="utf-8")
    ours = count_catalog(read_catalog(path))           # pocount's rule
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (3, 1, 1)
    # status: and the template's segments (s1...) the catalogue lacks, untranslated
    status = status_command(project, ("fr",))[0].essays[0].counts
    lacking = status_command(make_project(tmp_path / "none"), ("fr",))[0].essays[0].counts
    assert lacking.untranslated and status == ours + lacking
    out = subprocess.run([str(BIN / "pocount"), "--csv", str(path)], check=True,
                         capture_output=True, text=True).stdout
    row = next(csv.DictReader(io.StringIO(out)))
    assert [int(row[f"{s} Messages"]) for s in ("Translated", "Fuzzy", "Untranslated")] == \
        [ours.translated, ours.fuzzy, ours.untranslated]
    plural_words = dict.fromkeys(ENTRY_STATES, 0)
    for entry in read_catalog(path):
        if (state := entry_state(entry)) is not None:
            plural_words[state] += count_words(entry.msgid_plural)
    assert all(plural_words.values())
    assert [int(row[f"{s} Source Words"]) - plural_words[s.lower()]
            for s in ("Translated", "Fuzzy", "Untranslated")] == \
        [ours.translated_words, ours.fuzzy_words, ours.untranslated_words]
