"""extract / update / status / pseudo on small projects, through the CLI where it matters."""
from __future__ import annotations

import csv
import io
import json
import subprocess
from dataclasses import replace

import pytest

from catalog_helpers import (
    BIN,
    PROJECT_NAME,
    box,
    leaf,
    make_project,
    msgfmt_check,
    needs_msgfmt,
    sample_document,
    seg,
)
from serge_publish.catalog import format_catalog, read_catalog
from serge_publish.cli import main
from serge_publish.commands.catalog import status_command, update_command
from serge_publish.sourcexml import write_source


def run(project, *args: str) -> int:
    return main(["--project", str(project.root), *args])


def edit(path, **translations: str) -> None:
    """A translator at work: translations set, fuzzy flags removed where given."""
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt in translations:
            entry.msgstr = translations[entry.msgctxt]
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
    path.write_text(format_catalog(po), encoding="utf-8")


def entries(path):
    return {(e.msgctxt, e.obsolete): e for e in read_catalog(path)}


def test_extract_then_update_writes_complete_headers(tmp_path, capsys):
    project = make_project(tmp_path, translators={"fr": "Équipe Serge"})
    assert run(project, "extract") == 0
    assert run(project, "update", "--lang", "fr", "--lang", "pt_BR") == 0
    out = capsys.readouterr().out
    assert "locale/fr/LC_MESSAGES/sample.po: created" in out
    meta = read_catalog(project.po_path("pt_BR", "sample")).metadata
    assert meta["Language"] == "pt_BR" and meta["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert meta["Content-Type"] == "text/plain; charset=UTF-8"
    assert meta["Project-Id-Version"] == PROJECT_NAME
    assert meta["Language-Team"] == "Portuguese (Brazil)"
    assert run(project, "update", "--lang", "fr") == 0
    assert "unchanged" in capsys.readouterr().out
    update_command(project, ("fr",))          # the configured translators name the team
    assert read_catalog(project.po_path("fr", "sample")).metadata["Language-Team"] == "Équipe Serge"


@pytest.mark.parametrize("code", ["xx_YY", "french", "fr_FR.UTF-8", "en"])
def test_bad_or_source_language_codes_are_refused_with_a_message(tmp_path, capsys, code):
    project = make_project(tmp_path)
    assert run(project, "update", "--lang", code) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"error: '{code}' is") and "Traceback" not in err
    assert not project.locale_dir.joinpath("xx_YY").exists()


@needs_msgfmt
def test_every_catalogue_written_passes_msgfmt_check(tmp_path):
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    edit(project.po_path("fr", "sample"), s1="Aux frontières de la victoire", s3="Vie",
         s2="Par Doug Enaa Greene")
    doc = replace(sample_document(), title=leaf("title", seg("s1", "On the borders")),
                  front=())
    write_source(doc, project.source_path("sample"))   # s1 edited, s2 deleted
    update_command(project, ("fr",))
    assert run(project, "pseudo") == 0
    po_path = project.po_path("fr", "sample")
    assert entries(po_path)[("s1", False)].fuzzy and entries(po_path)[("s2", True)].msgstr
    for path in (project.pot_path("sample"), po_path, project.po_path("qps", "sample")):
        messages = msgfmt_check(path)
        if path.suffix == ".po":
            assert messages == ""              # not even a warning


def test_status_agrees_with_pocount(tmp_path, capsys):
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    path = project.po_path("fr", "sample")
    edit(path, s1="Aux frontières", s3="Vie", s4="Serge est né en 1890 à <i>Bruxelles</i>.",
         s9="La même phrase deux fois.")
    doc = sample_document()
    doc = replace(doc, front=(), title=leaf("title", seg("s1", "On the borders of defeat")))
    write_source(doc, project.source_path("sample"))
    update_command(project, ("fr",))                    # s1 fuzzy, s10 filled
    ours = status_command(project, ("fr",))[0].essays[0].counts
    assert (ours.translated, ours.fuzzy, ours.untranslated) == (4, 1, 6)
    pocount = subprocess.run([str(BIN / "pocount"), "--csv", str(path)], check=True,
                             capture_output=True, text=True).stdout
    row = next(csv.DictReader(io.StringIO(pocount)))
    assert (int(row["Translated Messages"]), int(row["Fuzzy Messages"]),
            int(row["Untranslated Messages"])) == (ours.translated, ours.fuzzy, ours.untranslated)
    assert (int(row["Translated Source Words"]), int(row["Fuzzy Source Words"]),
            int(row["Untranslated Source Words"])) == (
        ours.translated_words, ours.fuzzy_words, ours.untranslated_words)
    assert run(project, "status", "--json") == 0
    data = json.loads(capsys.readouterr().out)["languages"][0]
    total = sum((e.counts for e in status_command(project, ("fr",))[0].essays), type(ours)())
    assert [e["essay"] for e in data["essays"]][-1] == "_project"   # counted like an essay
    assert data["lang"] == "fr" and data["total"]["translated"]["words"] == \
        total.translated_words
    assert data["total"]["percent"] == round(total.percent, 1)
    assert run(project, "status") == 0
    assert "fr     TOTAL" in capsys.readouterr().out


# A segment given plural forms by mistake (check.plural-entry): its msgid_plural, the
# plural forms filled in or not.
PLURAL_ENTRIES = [
    ("s4", "Serge was born in 1890 in <i>Brussels</i>, and twice more, in 1891 and 1892.",
     True),
    ("s7", "The only meanings of all those lives lie in conscious participation.", True),
    ("s7", "The only meanings of all those lives lie in conscious participation.", False),
]


@pytest.mark.parametrize("sid,plural,filled", PLURAL_ENTRIES)
def test_status_counts_a_plural_entry_s_msgid_words_alone_as_build_does(
        tmp_path, capsys, sid, plural, filled):
    """pocount counts the words of a msgid_plural too; a segment has none: status counts
    the words of the source text, as the template's msgids give them and as the build
    counts them (apply_catalog), the plural entry among those needing work."""
    from serge_publish.catalog import apply_catalog
    from serge_publish.catalog.words import count_words
    from serge_publish.model import published
    from serge_publish.sourcexml import read_source
    project = make_project(tmp_path)
    update_command(project, ("fr",))
    path = project.po_path("fr", "sample")
    po = read_catalog(path)
    for entry in po:                       # every segment translated (by its own text)
        entry.msgstr = entry.msgid
    entry = po.find(sid, "msgctxt")
    entry.msgid_plural, entry.msgstr = plural, ""
    entry.msgstr_plural = {0: entry.msgid, 1: plural} if filled else {0: "", 1: ""}
    path.write_text(format_catalog(po), encoding="utf-8")
    assert read_catalog(path).find(sid, "msgctxt").msgid_plural == plural

    template = [e for e in read_catalog(project.pot_path("sample")) if e.msgid]
    words = {e.msgctxt: count_words(e.msgid) for e in template}
    assert count_words(plural) > words[sid] > 0           # the plural's would show
    counts = status_command(project, ("fr",))[0].essays[0].counts
    assert counts.total == len(template) and counts.total_words == sum(words.values())
    assert counts.translated == len(template) - 1
    assert counts.translated_words == sum(words.values()) - words[sid]
    assert counts.invalid_words + counts.untranslated_words == words[sid]
    doc = published(read_source(project.source_path("sample")))
    built = apply_catalog(doc, read_catalog(path), "fr")
    assert (counts.total_words, counts.translated_words) == (built.words_total,
                                                             built.words_translated)
    assert round(counts.percent, 6) == round(built.percent, 6) < 100
    assert run(project, "status", "--json", "--lang", "fr") == 0
    essay = json.loads(capsys.readouterr().out)["languages"][0]["essays"][0]
    assert essay["essay"] == "sample" and essay["total"]["words"] == sum(words.values())


def test_crlf_latin1_catalogue_is_read_and_rewritten_as_utf8(tmp_path):
    project = make_project(tmp_path)
    path = project.po_path("fr", "sample")
    path.parent.mkdir(parents=True)
    text = ('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
            '"Language: fr\\n"\n"Last-Translator: Zoé Lefèvre <z@example.org>\\n"\n\n'
            'msgctxt "s1"\nmsgid "On the borders of victory"\nmsgstr "Aux frontières"\n')
    path.write_bytes(text.replace("\n", "\r\n").encode("iso-8859-1"))
    update_command(project, ("fr",))
    written = path.read_bytes()
    assert b"\r\n" not in written and "Aux frontières".encode() in written
    po = read_catalog(path)
    assert po.metadata["Last-Translator"] == "Zoé Lefèvre <z@example.org>"
    assert po.metadata["Content-Type"] == "text/plain; charset=UTF-8"


def test_other_essays_and_a_compendium_serve_as_translation_memory(tmp_path):
    other = replace(sample_document("other"),
                    title=leaf("title", seg("s1", "The only meaning of life lies in conscious "
                                                  "participation.", essay="other")),
                    front=(), back=(),
                    body=(box("div", leaf("p", seg("s2", "Another sentence.", essay="other"))),))
    project = make_project(tmp_path, sample_document(), other)
    update_command(project, ("fr",), ("other",))
    edit(project.po_path("fr", "other"), s1="Le seul sens de la vie.")
    compendium = tmp_path / "compendium.po"
    compendium.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                          'msgid "By Doug Enaa Greene"\nmsgstr "Par Doug Enaa Greene"\n\n'
                          'msgid "Life."\nmsgstr "La vie."\n', encoding="utf-8")
    update_command(project, ("fr",), ("sample",), compendium)
    got = entries(project.po_path("fr", "sample"))
    s7, s2 = got[("s7", False)], got[("s2", False)]
    assert s7.msgstr == "Le seul sens de la vie." and not s7.fuzzy      # identical: filled
    assert s2.msgstr == "Par Doug Enaa Greene" and s2.fuzzy             # compendium: offered
    assert s2.previous_msgid == "By Doug Enaa Greene"


def test_pseudo_refuses_a_real_language(tmp_path, capsys):
    project = make_project(tmp_path)
    assert run(project, "pseudo", "--lang", "fr") == 1
    assert "would overwrite" in capsys.readouterr().err
    assert run(project, "pseudo") == 0
    counts = status_command(project, ("qps",))[0].total
    assert counts.translated == counts.total and counts.percent == 100.0


def test_a_broken_catalogue_stops_update_with_its_file_and_line(tmp_path, capsys):
    project = make_project(tmp_path)
    path = project.po_path("fr", "sample")
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr ""\n\nmsgctxt "s1"\nmsgid "On the borders"\nmsgstr "Aux\n',
                    encoding="utf-8")
    assert run(project, "update", "--lang", "fr") == 4
    err = capsys.readouterr().err
    assert f"{path}:6" in err and "Traceback" not in err
    assert path.read_text(encoding="utf-8").endswith('msgstr "Aux\n')     # left as it was


def test_catalogue_layer_is_the_only_one_importing_polib():
    import ast
    from pathlib import Path
    package = Path(__file__).resolve().parents[1] / "serge_publish"
    for module in package.rglob("*.py"):
        if module.parent.name == "catalog":
            continue
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = {a.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for a in node.names} | {node.module for node in ast.walk(tree)
                                         if isinstance(node, ast.ImportFrom) and node.module}
        assert "polib" not in names, module
