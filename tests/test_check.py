"""serge-publish check: each check through the CLI on a small project, each finding with its
code, file:line and segment id; the shipped project passes with --strict."""
from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from catalog_helpers import make_project
from serge_publish.catalog import format_catalog, read_catalog
from serge_publish.catalog.checks import number_findings, place_note_calls
from serge_publish.cli import main
from serge_publish.commands.catalog import status_command, update_command

ROOT = Path(__file__).resolve().parents[1]
PO = "locale/{lang}/LC_MESSAGES/sample.po"
# The sample's entries (catalog_helpers.sample_document) and the lines of their msgid.
LINES = {"s4": 42, "s5": 52, "s6": 63, "s7": 71, "s8": 81, "s9": 89, "s10": 96}
GOOD = {
    "s4": "Serge est né en 1890 à <i>Bruxelles</i>.",
    "s5": "Il écrivit <t>Mémoires d’un révolutionnaire</t> en exil<n1/>.",
    "s6": "Voir <a1>l’archive</a1> &amp; <a2>son <i>index</i></a2>.",
    "s7": "Le seul sens de la vie est dans la participation consciente.",
    "s8": "Lisez <x1/> &lt;encore&gt;<n1/>.",
    "s9": "La même phrase deux fois.",
    "s10": "La même phrase deux fois.",
}


def translated(tmp_path, lang: str = "fr", comments: dict | None = None, **changes: str):
    """The sample project with ``lang``'s catalogue translated (GOOD, then ``changes``)."""
    project = make_project(tmp_path, langs=(lang,))
    update_command(project, (lang,))
    path = project.po_path(lang, "sample")
    po = read_catalog(path)
    for entry in po:
        if entry.msgctxt in GOOD or entry.msgctxt in changes:
            entry.msgstr = changes.get(entry.msgctxt, GOOD.get(entry.msgctxt, ""))
            entry.tcomment = (comments or {}).get(entry.msgctxt, "")
    path.write_text(format_catalog(po), encoding="utf-8")
    assert read_catalog(path).find("s4", "msgctxt").linenum == LINES["s4"] + (
        1 if comments and "s4" in comments else 0)
    return project


def check(capsys, project, *args: str) -> tuple[int, str, str]:
    code = main(["--project", str(project.root), "check", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_good_translation_passes_even_strictly(tmp_path, capsys):
    project = translated(tmp_path)
    code, out, err = check(capsys, project, "--strict")
    assert code == 0, out
    # (the essay's catalogue and the project's, _project.po)
    assert out == "" and "0 error(s), 0 warning(s) in 2 catalogue(s) of fr" in err


# Seven kinds of broken placeholder, each with its own code, file:line and segment id.
BROKEN = [
    ("s4", "Serge est né en 1890 à Bruxelles.", "check.tag-missing"),
    ("s5", "Il écrivit <t>Mémoires</t> en exil<n1/><n1/>.", "check.tag-duplicated"),
    ("s4", "Serge est né en 1890 à <i>Bruxelles</i> <a1>ici</a1>.", "check.tag-invented"),
    ("s6", "Voir <a1>l’archive &amp; <a2>son <i>index</i></a1></a2>.", "check.tag-unbalanced"),
    ("s4", "Serge est né en 1890 à <em>Bruxelles</em>.", "check.tag-renamed"),
    ("s8", "Lisez <x1> &lt;encore&gt;<n1/>.", "check.tag-form"),
    ("s5", "Il écrivit <t>Mémoires</t> en exil<n3/>.", "check.note-renumbered"),
]


@pytest.mark.parametrize("sid,msgstr,code", BROKEN, ids=[b[2] for b in BROKEN])
def test_each_kind_of_broken_placeholder_is_an_error_with_file_line_and_id(
        tmp_path, capsys, sid, msgstr, code):
    project = translated(tmp_path, **{sid: msgstr})
    exit_code, out, err = check(capsys, project)
    assert exit_code == 1 and "error: check failed: " in err and "Traceback" not in err
    prefix = f"{PO.format(lang='fr')}:{LINES[sid]}: error: segment {sid}: "
    found = [line for line in out.splitlines() if line.startswith(prefix)]
    assert any(line.endswith(f"[{code}]") for line in found), out
    assert "  hint: use exactly the tags of the source" in out
    assert not [line for line in out.splitlines()      # nothing said of the other entries
                if ": segment " in line and not line.startswith(prefix)]
    counts = status_command(project, ("fr",))[0].total     # status: needing work
    assert counts.invalid == 1 and counts.translated == len(GOOD) - 1


def test_json_output_names_code_file_line_and_segment(tmp_path, capsys):
    project = translated(tmp_path, s4="Serge est né en 1890 à <em>Bruxelles</em>.")
    code, out, _ = check(capsys, project, "--json", "--lang", "fr")
    data = json.loads(out)
    assert code == 1 and data["failed"] and data["errors"] == len(data["findings"]) == 2
    renamed = next(f for f in data["findings"] if f["code"] == "check.tag-renamed")
    assert (renamed["file"], renamed["line"], renamed["segment"], renamed["severity"]) == (
        PO.format(lang="fr"), LINES["s4"], "s4", "error")
    assert "<em>" in renamed["message"] and "<i>…</i>" in renamed["message"]


def test_a_lost_number_is_an_error_unless_the_translator_accepts_it(tmp_path, capsys):
    project = translated(tmp_path, s4="Serge est né en 1891 à <i>Bruxelles</i>.")
    code, out, _ = check(capsys, project)
    assert code == 1 and f"sample.po:{LINES['s4']}: error: segment s4: the number 1890" in out
    assert "[check.number-missing]" in out
    project = translated(tmp_path / "ok", comments={"s4": "check-ok: number-missing"},
                         s4="Serge est né en mil huit cent quatre-vingt-dix à <i>Bruxelles</i>.")
    assert check(capsys, project, "--strict")[0] == 0


def test_numbers_may_change_form_but_not_value():
    def lost(msgstr: str, msgid: str) -> list[str]:
        return [f.message.split()[2] for f in number_findings(msgstr, msgid, "x.po:1", "s1")]
    assert lost("au XXe siècle, en 2008-2009", "in the 20th century, in 2008-9") == []
    assert lost("les années 1920 et 1930", "the 1920s and ‘30s") == []
    assert lost("1 000 pages, 1.500 copies", "1,000 pages, 1,500 copies") == []
    assert lost("au XIXe siècle", "in the 20th century") == ["20"]
    assert lost("page 12", "pages 12 and 13") == ["13"]


def test_whitespace_and_final_punctuation_are_warnings_failing_only_strictly(tmp_path, capsys):
    project = translated(tmp_path, s7=" Le seul sens de la vie",
                         s9="La même phrase deux fois ?", s10="La même phrase deux fois ?")
    code, out, err = check(capsys, project)
    assert code == 0 and "0 error(s), 2 warning(s)" in err
    assert f"sample.po:{LINES['s7']}: warning: segment s7: the translation begins with " \
           "whitespace" in out
    assert f"sample.po:{LINES['s7']}: warning: segment s7: the source ends with '.', the " \
           "translation with no final punctuation [check.final-punctuation]" in out
    assert "segment s9" not in out         # ? for . is an equivalent final mark
    assert check(capsys, project, "--strict")[0] == 1


def test_a_question_stays_a_question_and_spanish_marks_are_allowed(tmp_path, capsys):
    from serge_publish.catalog.checks import punctuation_findings
    assert punctuation_findings("¿Es que no creían nada?».", "Did they believe nothing?”",
                                "x", "s1") == []
    assert punctuation_findings("Ils ne croyaient rien.", "Did they believe nothing?",
                                "x", "s1")[0].code == "check.final-punctuation"
    assert punctuation_findings("Et ensuite…", "And afterwards!", "x", "s1") == []


@pytest.mark.parametrize("lang,msgstr,warned", [
    ("fr", "Il écrivit <t>Mémoires</t> en exil.<n1/>", True),
    ("fr", "Il écrivit <t>Mémoires</t> en exil<n1/>.", False),
    ("es", "Escribió <t>Memorias</t> en el exilio.<n1/>", True),
    ("es", "Escribió «<t>Memorias</t>»<n1/>.", False),
    ("de", "Er schrieb <t>Erinnerungen</t> im Exil.<n1/>", False),
])
def test_note_calls_are_placed_by_the_language_rule(tmp_path, capsys, lang, msgstr, warned):
    project = translated(tmp_path, lang=lang, s5=msgstr)
    code, out, _ = check(capsys, project, "--strict")
    assert (code == 1) is warned
    assert (f"sample.po:{LINES['s5']}: warning: segment s5: the note call <n1/> follows the "
            f"punctuation; the {lang} rule places it before" in out) is warned
    if warned:
        assert "[check.note-call-placement]" in out and "hint: write …" in out


def test_place_note_calls_moves_the_call_before_the_punctuation():
    assert place_note_calls("vertus. »<n13/>", "fr") == "vertus<n13/>. »"
    assert place_note_calls("la veille ? »<n8/>", "fr") == "la veille<n8/> ? »"
    assert place_note_calls("mot,<n3/><n4/> suite", "fr") == "mot<n3/><n4/>, suite"
    assert place_note_calls("la lucha».<n3/>", "es") == "la lucha»<n3/>."
    assert place_note_calls("¿es muy sensato?<n20/>", "es") == "¿es muy sensato?<n20/>"
    assert place_note_calls("Kampf“.<n3/>", "de") == "Kampf“.<n3/>"


def glossary(project, lang: str, text: str, name: str = "glossary.csv") -> None:
    (project.locale_dir / lang / name).write_text(text, encoding="utf-8")


def test_the_glossary_wants_its_terms_in_every_translation(tmp_path, capsys):
    project = translated(tmp_path, s5="Il écrivit <t>Souvenirs</t> en exil<n1/>.")
    glossary(project, "fr", "source,target,note\nMemoirs of a Revolutionary,"
                            "Mémoires d’un révolutionnaire,the title of Serge's memoirs\n"
                            "archive,archive,\n")
    code, out, _ = check(capsys, project)
    assert code == 0
    assert (f"sample.po:{LINES['s5']}: warning: segment s5: “Memoirs of a Revolutionary” is "
            "“Mémoires d’un révolutionnaire” in the glossary (locale/fr/glossary.csv:2), not "
            "found in the translation [check.glossary]\n  hint: the title of Serge's memoirs"
            in out)
    assert "segment s6" not in out         # l’archive holds the term
    assert check(capsys, project, "--strict")[0] == 1


def test_a_tbx_glossary_is_read_too(tmp_path, capsys):
    project = translated(tmp_path, s6="Voir <a1>les fonds</a1> &amp; <a2>son <i>index</i></a2>.")
    glossary(project, "fr", """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="t1">
    <langSet xml:lang="en"><tig><term>archive</term></tig></langSet>
    <langSet xml:lang="fr"><tig><term>archive</term></tig></langSet>
  </termEntry>
</body></text></martif>""", "glossary.tbx")
    code, out, _ = check(capsys, project, "--strict")
    assert code == 1 and "“archive” is “archive” in the glossary (locale/fr/glossary.tbx:3)" in out


def test_a_broken_glossary_is_an_error_with_its_line(tmp_path, capsys):
    project = translated(tmp_path)
    glossary(project, "fr", "source,target,note\nTrotsky\n")
    code, out, _ = check(capsys, project)
    assert code == 1 and "locale/fr/glossary.csv:2: error: a term needs a source and a " \
                         "target [check.glossary-file]" in out


def test_one_sentence_translated_two_ways_is_a_warning(tmp_path, capsys):
    project = translated(tmp_path, s10="La même phrase, deux fois.")
    code, out, _ = check(capsys, project)
    assert code == 0
    assert (f"sample.po:{LINES['s10']}: warning: segment s10: translated differently in "
            f"{PO.format(lang='fr')}:{LINES['s9']} (segment s9): “La même phrase deux fois.” "
            "[check.inconsistent]" in out)


def write_po(project, text: str) -> None:
    project.po_path("fr", "sample").write_text(text, encoding="utf-8")


HEADER = ('msgid ""\nmsgstr ""\n"Project-Id-Version: P\\n"\n"PO-Revision-Date: 2026-01-01 '
          '00:00+0000\\n"\n"Last-Translator: A <a@b.c>\\n"\n"Language-Team: French\\n"\n'
          '"Language: fr\\n"\n"MIME-Version: 1.0\\n"\n"Content-Type: text/plain; '
          'charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
          '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n')


@pytest.mark.parametrize("text,where,code", [
    (HEADER + 'msgctxt "s3"\nmsgid "Life"\nmsgstr "Vie\n', 15, "check.po-syntax"),
    (HEADER + 'msgctxt "s3"\nmsgid "Life"\nmsgstr "Vie"\n\nmsgctxt "s3"\nmsgid "Life"\n'
     'msgstr "La vie"\n', 18, "check.po-duplicate"),
    (HEADER.replace('"Language: fr\\n"\n', ""), 1, "check.header-missing"),
    (HEADER.replace("Language: fr", "Language: de"), 1, "check.header-language"),
    (HEADER.replace("plural=(n > 1);", "plural=(n > 1;"), 1, "check.plural-forms"),
    (HEADER.replace("charset=UTF-8", "charset=CHARSET"), 1, "check.charset"),
    (HEADER + 'msgctxt "s3"\nmsgid "Life"\nmsgstr "Vie\\n"\n', 14, "check.newline"),
    (HEADER + '#, c-format\nmsgctxt "s3"\nmsgid "Life %s"\nmsgstr "Vie %d"\n', 15,
     "check.format"),
])
def test_catalogue_syntax_and_headers_as_msgfmt_c_checks_them(tmp_path, capsys, text, where,
                                                              code):
    project = translated(tmp_path)
    write_po(project, text)
    exit_code, out, _ = check(capsys, project)
    assert exit_code == 1
    assert f"{PO.format(lang='fr')}:{where}: error: " in out and f"[{code}]" in out, out


def test_an_invalid_source_is_an_error(tmp_path, capsys):
    project = translated(tmp_path)
    project.source_path("sample").write_text("<TEI>", encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 1 and "source/sample.xml" in out and "[check.source]" in out


def test_an_outdated_catalogue_is_a_warning(tmp_path, capsys):
    project = translated(tmp_path)
    path = project.po_path("fr", "sample")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgid "The only meaning of life', 'msgid "The one meaning of life'), encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 0 and f"sample.po:{LINES['s7']}: warning: segment s7: the segment is " \
                         "changed in the source" in out and "[check.outdated]" in out


def test_the_shipped_project_passes_check_strictly(capsys):
    code = main(["--project", str(ROOT), "check", "--strict"])
    out, err = capsys.readouterr()
    assert code == 0, out
    assert "0 error(s), 0 warning(s) in 9 catalogue(s) of fr, es, de" in err


def test_the_project_catalogue_is_checked_too(tmp_path, capsys):
    """_project.po (the anthology's title, the descriptions, the rights) goes into every
    edition: its syntax, its header and its translations are checked as an essay's,
    against the project's texts, unless essays are named."""
    project = translated(tmp_path)
    path = project.po_path("fr", "_project")
    po = read_catalog(path)
    name = po.find("name", "msgctxt")
    name.msgstr = "Le projet\x0bd’essai <b>gras</b>"
    po.append(polib.POEntry(msgctxt="blurb", msgid="An old blurb", msgstr="Un vieux texte."))
    path.write_text(format_catalog(po), encoding="utf-8")
    lines = {e.msgctxt: e.linenum for e in read_catalog(path)}
    shown = "locale/fr/LC_MESSAGES/_project.po"
    code, out, err = check(capsys, project)
    assert code == 1, out
    assert f"{shown}:{lines['name']}: error: segment name: the translation holds U+000B" in out
    assert f"{shown}:{lines['name']}: error: segment name: <b> is not a tag of the source" \
        in out, out
    assert f"{shown}:{lines['blurb']}: warning: segment blurb: the segment is no longer in " \
           "the source" in out
    assert "in 2 catalogue(s) of fr" in err
    code, out, err = check(capsys, project, "sample")
    assert code == 0 and "_project.po" not in out and "in 1 catalogue(s) of fr" in err

    path.write_text('msgid "broken\n', encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 1 and f"{shown}:1: error: " in out and "[check.po-syntax]" in out


def test_status_shows_translations_with_broken_tags_as_invalid(tmp_path, capsys):
    project = translated(tmp_path, s4="Serge est né en 1890 à Bruxelles.")
    assert main(["--project", str(project.root), "status", "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["languages"][0]["total"]
    assert total["invalid"] == {"segments": 1, "words": 7}
    assert total["translated"]["segments"] == len(GOOD) - 1
    assert main(["--project", str(project.root), "status"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert "INVALID" in table[0] and table[-1].split()[-4:-1] == ["1", "/", "7"]


def test_bidi_controls_in_a_translation_are_an_error_with_file_line_and_id(tmp_path, capsys):
    """A right-to-left override (Trojan Source) in a French translation is reported; the
    build removes it (tests/test_odd_input.py)."""
    project = translated(tmp_path, s7="Le seul sens de la vie est \u202edans la participation.")
    code, out, err = check(capsys, project, "--lang", "fr")
    assert code == 1 and "Traceback" not in err
    line = f"{PO.format(lang='fr')}:{LINES['s7']}: error: segment s7: the translation holds " \
           "the bidi control character(s) U+202E"
    assert any(entry.startswith(line) and entry.endswith("[check.bidi-control]")
               for entry in out.splitlines()), out


@pytest.mark.parametrize("character,name", [("\x0b", "U+000B"), ("\x00", "U+0000")])
def test_a_control_character_in_a_translation_is_an_error_with_file_line_and_id(
        tmp_path, capsys, character, name):
    """A Word soft line break (a vertical tab) or a NUL pasted into a translation: the
    build cannot print it, and prints the source's text (test_build_essay_forbidden.py)."""
    project = translated(tmp_path, s7=f"Le seul sens de la vie{character}est dans la "
                                      "participation consciente.")
    code, out, err = check(capsys, project, "--lang", "fr")
    assert code == 1 and "Traceback" not in err and "1 error(s)" in err
    assert (f"{PO.format(lang='fr')}:{LINES['s7']}: error: segment s7: the translation holds "
            f"{name}, a character XML cannot hold: the build prints the source's text "
            "instead [check.forbidden-character]\n  hint: replace it with a space") in out
    assert status_command(project, ("fr",))[0].total.invalid == 1


@pytest.mark.parametrize("text,what", [("", "0 bytes"), ("\n\n", "blank lines alone")])
def test_an_empty_catalogue_is_one_error_saying_so(tmp_path, capsys, text, what):
    """Not eight 'the header has no X field' errors: the file is empty, and the hint says
    what brings it back (update makes it again, untranslated: tried here)."""
    project = translated(tmp_path)
    write_po(project, text)
    code, out, err = check(capsys, project, "--lang", "fr")
    po = PO.format(lang="fr")
    assert code == 1 and "Traceback" not in err and "1 error(s), 0 warning(s)" in err
    assert out == (f"{po}: error: the catalogue is empty ({what}) [check.po-empty]\n"
                   f"  hint: restore its translations from version control (git restore "
                   f"{po}), or run serge-publish update, which makes it again from the "
                   "template (every segment untranslated)\n")
    update_command(project, ("fr",))
    assert check(capsys, project, "--lang", "fr")[0] == 0


def _status_of(project, essay: str):
    return next(e for e in status_command(project, ("fr",))[0].essays if e.essay == essay)


def test_status_counts_what_a_catalogue_lacks_as_untranslated_as_build_does(tmp_path):
    """An empty catalogue, or one cut short, is not 100% translated: the template's
    segments it lacks are untranslated, the words the build counts (apply_catalog)."""
    from serge_publish.catalog import apply_catalog, read_catalog
    from serge_publish.model import published
    from serge_publish.sourcexml import read_source
    project = translated(tmp_path)
    doc = published(read_source(project.source_path("sample")))
    full = _status_of(project, "sample").counts
    path = project.po_path("fr", "sample")
    text = path.read_text(encoding="utf-8")
    cut = text[:text.index('msgctxt "s9"')]             # s9 and s10 lost
    for content, untranslated in (("", full.total), (cut, full.untranslated + 2)):
        path.write_text(content, encoding="utf-8")
        counts = _status_of(project, "sample").counts
        assert counts.total == full.total and counts.total_words == full.total_words
        assert counts.untranslated == untranslated
        applied = apply_catalog(doc, read_catalog(path), "fr")
        assert counts.translated_words == applied.words_translated
        assert round(counts.percent, 6) == round(applied.percent, 6) < 100
    assert _status_of(project, "_project").counts.percent == 0      # no catalogue yet
    project.po_path("fr", "_project").write_text("", encoding="utf-8")
    assert _status_of(project, "_project").counts.untranslated > 0


def test_a_segment_with_two_entries_is_an_error_naming_both_lines(tmp_path, capsys):
    """One msgctxt, two msgids (a msgctxt changed by hand): not 'the catalogue is out of
    date' but one error at the second entry naming both; status counts the segment once,
    as needing work, and the segment left without an entry as untranslated."""
    project = translated(tmp_path)
    path = project.po_path("fr", "sample")
    path.write_text(path.read_text(encoding="utf-8").replace('msgctxt "s5"', 'msgctxt "s4"'),
                    encoding="utf-8")
    code, out, err = check(capsys, project, "--lang", "fr")
    assert code == 1 and "Traceback" not in err and "1 error(s), 0 warning(s)" in err
    assert out.startswith(f"{PO.format(lang='fr')}:{LINES['s5']}: error: segment s4: defined "
                          f"twice (lines {LINES['s4']} and {LINES['s5']}) [check.po-duplicate]"
                          "\n  hint: a segment has one entry: give each other entry the "
                          "msgctxt of the segment it translates"), out
    assert "check.outdated" not in out
    counts = status_command(project, ("fr",))[0].total
    assert (counts.invalid, counts.translated) == (1, len(GOOD) - 2)
    update_command(project, ("fr",))             # as the hint says: update sorts it out
    assert check(capsys, project, "--lang", "fr")[0] == 0


def test_a_plural_entry_is_an_error_at_its_line(tmp_path, capsys):
    """A segment has no plural forms: an entry given msgid_plural and msgstr[n] is not
    used by the build (it prints the source's text, and says so: test_build_plural_
    entry.py); check says so at its line, and status counts it as needing work."""
    project = translated(tmp_path)
    path = project.po_path("fr", "sample")
    text = path.read_text(encoding="utf-8")
    good = f'msgstr "{GOOD["s7"]}"\n'
    assert good in text
    path.write_text(text.replace(good, 'msgid_plural "The only meanings"\nmsgstr[0] '
                                       f'"{GOOD["s7"]}"\nmsgstr[1] "Les seuls sens"\n'),
                    encoding="utf-8")
    code, out, err = check(capsys, project, "--lang", "fr")
    assert code == 1 and "Traceback" not in err and "1 error(s), 0 warning(s)" in err
    assert out == (f"{PO.format(lang='fr')}:{LINES['s7']}: error: segment s7: a segment has "
                   "no plural forms: the build prints the source's text for this entry "
                   "[check.plural-entry]\n  hint: remove msgid_plural and the msgstr[n] "
                   "lines, keep one msgstr (the translation)\n")
    counts = status_command(project, ("fr",))[0].total
    assert (counts.invalid, counts.translated) == (1, len(GOOD) - 1)


@pytest.mark.parametrize("lang,value,right", [
    ("fr", "nplurals=2; plural=(n > 1;", "nplurals=2; plural=(n > 1);"),
    ("de", "nplurals=two; plural=(n != 1);", "nplurals=2; plural=(n != 1);"),
])
def test_a_malformed_plural_forms_hint_gives_the_language_s_and_update_writes_it(
        tmp_path, capsys, lang, value, right):
    project = translated(tmp_path, lang=lang)
    path = project.po_path(lang, "sample")
    text = path.read_text(encoding="utf-8")
    assert f'"Plural-Forms: {right}\\n"' in text
    path.write_text(text.replace(right, value), encoding="utf-8")
    code, out, err = check(capsys, project, "--lang", lang)
    assert code == 1 and "Traceback" not in err
    assert out == (f"{PO.format(lang=lang)}:1: error: Plural-Forms is malformed: {value!r} "
                   f"[check.plural-forms]\n  hint: write \"Plural-Forms: {right}\\n\" "
                   "(serge-publish update writes it in place of a malformed one)\n")
    result = update_command(project, (lang,))
    assert [r.written for r in result if r.essay == "sample"] == [True]
    assert f'"Plural-Forms: {right}\\n"' in path.read_text(encoding="utf-8")
    assert check(capsys, project, "--lang", lang)[0] == 0


def test_update_keeps_a_translator_s_well_formed_plural_forms(tmp_path):
    project = translated(tmp_path)
    path = project.po_path("fr", "sample")
    own = "nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "nplurals=2; plural=(n > 1);", own), encoding="utf-8")
    update_command(project, ("fr",))
    assert f'"Plural-Forms: {own}\\n"' in path.read_text(encoding="utf-8")


def test_the_plural_forms_hint_of_a_gettext_modifier_is_its_language_s(tmp_path, capsys):
    """sr@latin's catalogue is Serbian's: three forms, as update writes them (the hint
    gave the two-form default, taking the gettext name for a tag)."""
    from serge_publish.catalog.header import plural_forms
    project = make_project(tmp_path, langs=("sr-Latn",))
    update_command(project, ("sr-Latn",))
    path = project.po_path("sr@latin", "sample")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "Plural-Forms: ", "Plural-Forms: nplurals=INTEGER; plural=EXPRESSION; ", 1),
        encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 1 and f'write "Plural-Forms: {plural_forms("sr-Latn")}\\n"' in out, out
    assert plural_forms("sr-Latn").startswith("nplurals=3")


@pytest.mark.parametrize("value", ["plural=(n > 1); nplurals=2;", "nplurals= 2; plural= n>1",
                                   "nplurals=2; plural=(n > 1)"])
def test_a_plural_forms_gettext_reads_is_kept(tmp_path, capsys, value):
    """Fields in another order, spaces after '=', a last ';' or none: gettext reads each
    field apart (msgfmt -c accepts each of these), so check accepts them and update keeps
    the translator's value; a space before '=' it refuses, and so does check."""
    project = translated(tmp_path)
    path = project.po_path("fr", "sample")
    text = path.read_text(encoding="utf-8")
    old = text.split("Plural-Forms: ", 1)[1].split("\\n", 1)[0]
    path.write_text(text.replace(old, value, 1), encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 0 and "check.plural-forms" not in out, out
    update_command(project, ("fr",))
    assert f"Plural-Forms: {value}" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace(value, "nplurals =2; plural=n>1"),
                    encoding="utf-8")
    code, out, _ = check(capsys, project)
    assert code == 1 and "check.plural-forms" in out, out
