"""Catalogues that lost their msgctxt lose no work; the compendium and the translation
memory pair what msgmerge would pair (issue 10)."""
from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import polib

from build_helpers import edit_catalogue, run
from catalog_helpers import (
    BIN,
    box,
    by_id,
    leaf,
    merge,
    msgfmt_check,
    noteref,
    sample_document,
    seg,
    through_file,
    translate,
    with_paragraph,
)
from serge_publish.catalog import read_catalog, write_catalog


def _fr(msgid: str) -> str:
    return f"FR {msgid}"


def _round_trip(path: Path, tmp_path: Path) -> None:
    """``path`` through translate-toolkit's po2xliff and xliff2po, as a CAT tool user does."""
    xliff = tmp_path / "rt.xlf"
    for tool, src, dst in (("po2xliff", path, xliff), ("xliff2po", xliff, path)):
        done = subprocess.run([str(BIN / tool), str(src), str(dst)], capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr


def test_a_po2xliff_xliff2po_round_trip_loses_no_work(make_root, tmp_path):
    project = make_root("two-essays")
    path = edit_catalogue(project, "fr", "alpha", lambda i, e: _fr(e.msgid))
    po = read_catalog(path)
    draft = by_id(po)["s11"]                        # a fuzzy draft
    draft.flags, draft.previous_msgid = ["fuzzy"], "It is an error to live for oneself."
    write_catalog(path, po)
    before = {e.msgctxt: e.msgstr for e in po}
    _round_trip(path, tmp_path)
    assert "msgctxt" not in path.read_text(encoding="utf-8")
    source = project / "source" / "alpha.xml"         # and the author edits one sentence
    source.write_text(source.read_text(encoding="utf-8").replace(
        "He was born in 1891.", "He was born in Brussels in 1891."), encoding="utf-8")

    code, out, err = run("--project", str(project), "update", "--lang", "fr", "alpha")
    assert code == 0, err
    after = read_catalog(path)
    assert not [e for e in after if e.obsolete]                     # no #~ duplicates
    entries = by_id(after)
    for sid, msgstr in before.items():
        assert entries[sid].msgstr == msgstr, sid
    assert entries["s11"].fuzzy                                     # the draft stays a draft
    assert not any(e.fuzzy for sid, e in entries.items() if sid not in ("s11", "s13"))
    assert entries["s13"].fuzzy and entries["s13"].previous_msgid == "He was born in 1891.<n1/>"
    matched = len(before) - 1
    assert (f"0 obsolete; {len(before)} without msgctxt matched to their segment "
            f"({matched} by identical msgid, 1 by similarity, fuzzy)") in out
    msgfmt_check(path)


def test_an_entry_without_msgctxt_still_in_the_source_is_no_obsolete_twin(tmp_path):
    po, _ = merge(sample_document())
    translate(po, s4="Serge naquit en 1890 à <i>Bruxelles</i>.")
    stray = polib.POEntry(msgid=by_id(po)["s4"].msgid, msgstr="Autre version.")
    po.append(stray)                                 # a hand-made twin without msgctxt
    new, stats = merge(sample_document(), through_file(po, tmp_path))
    assert stats.obsolete == 0 and not [e for e in new if e.obsolete]
    s4 = by_id(new)["s4"]
    assert s4.msgstr == "Serge naquit en 1890 à <i>Bruxelles</i>."
    assert 'previous translation: "Autre version."' in s4.tcomment     # nothing lost


def test_entries_without_msgctxt_fill_only_segments_without_a_translation(tmp_path):
    po, _ = merge(sample_document())
    translate(po, s9="La même phrase deux fois.", s3="La vie")
    for entry in po:
        entry.msgctxt = None if entry.msgctxt == "s9" else entry.msgctxt
    new, stats = merge(sample_document(), through_file(po, tmp_path))
    entries = by_id(new)
    assert entries["s9"].msgstr == entries["s10"].msgstr == "La même phrase deux fois."
    assert entries["s3"].msgstr == "La vie" and stats.relinked == 2      # s9 and s10
    assert stats.obsolete == 0


# ------------------------------------------------------------------ compendium

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def test_a_compendium_in_the_language_fills_exact_matches_as_translated(tmp_path, make_root):
    project = make_root("two-essays")
    compendium = tmp_path / "compendium.po"
    compendium.write_text(HEADER + '"Language: fr\\n"\n\n'
                          'msgid "Childhood"\nmsgstr "Enfance"\n\n'
                          'msgid "Great article, thanks a lot!"\nmsgstr "Super article !"\n\n'
                          'msgid "He was born in 1891.<n4/>"\nmsgstr "Il naquit en 1891.<n4/>"\n',
                          encoding="utf-8")
    code, out, err = run("--project", str(project), "update", "--lang", "fr",
                         "--compendium", str(compendium), "alpha")
    assert code == 0, err
    entries = by_id(read_catalog(project / "locale/fr/LC_MESSAGES/alpha.po"))
    assert (entries["s12"].msgstr, entries["s12"].fuzzy) == ("Enfance", False)
    assert (entries["s13"].msgstr, entries["s13"].fuzzy) == ("Il naquit en 1891.<n1/>", False)
    assert re.search(r"2 filled from identical sentences", out)


def test_a_compendium_without_language_only_offers(tmp_path, make_root):
    project = make_root("two-essays")
    compendium = tmp_path / "compendium.po"
    compendium.write_text(HEADER + '\nmsgid "Childhood"\nmsgstr "Enfance"\n', encoding="utf-8")
    assert run("--project", str(project), "update", "--lang", "fr",
               "--compendium", str(compendium), "alpha")[0] == 0
    s12 = by_id(read_catalog(project / "locale/fr/LC_MESSAGES/alpha.po"))["s12"]
    assert (s12.msgstr, s12.fuzzy, s12.previous_msgid) == ("Enfance", True, "Childhood")


# ------------------------------------------------------------------ rewordings and joins

def _with_heading(text: str, sid: str):
    doc = with_paragraph(seg("s4", "Some text."))
    return replace(doc, body=(box("div", leaf("head", seg(sid, text)),
                                  leaf("p", seg("s4", "Some text."))),))


def test_a_reworded_heading_with_a_new_id_is_offered_as_fuzzy():
    for old, new in (("Rodion's road", "Rodion's long road"), ("Exile", "In exile"),
                     ("Conclusions", "Conclusion")):
        po, _ = merge(_with_heading(old, "s3"))
        translate(po, s3=f"FR {old}", s4="Du texte.")
        po, stats = merge(_with_heading(new, "s13"), po)
        entry = by_id(po)["s13"]
        assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == (f"FR {old}", True, old)
        assert stats.offered == 1 and stats.untranslated == 2          # s1, s2


def test_two_sentences_joined_keep_both_translations():
    one, two = "Serge wrote this book in exile.", "He was in prison in Orenburg."
    joined = "Serge wrote this book in exile, while he was in prison in Orenburg."
    po, _ = merge(with_paragraph(seg("s4", one), seg("s5", two)))
    translate(po, s4="Serge écrivit ce livre en exil.", s5="Il était en prison à Orenbourg.")
    kept, stats = merge(with_paragraph(seg("s4", joined)), po)       # the first id stays
    entry = by_id(kept)["s4"]
    assert entry.fuzzy and entry.previous_msgid == f"{one} {two}"
    assert entry.msgstr == "Serge écrivit ce livre en exil. Il était en prison à Orenbourg."
    assert stats.joined == 1 and stats.changed == 1
    assert by_id(kept, obsolete=True)["s5"].msgstr == "Il était en prison à Orenbourg."

    kept, _ = merge(with_paragraph(seg("s5", joined)), po)           # the second id stays
    assert by_id(kept)["s5"].previous_msgid == f"{one} {two}"

    fresh, stats = merge(with_paragraph(seg("s13", joined)), po)     # a new id
    entry = by_id(fresh)["s13"]
    assert entry.fuzzy and entry.previous_msgid == f"{one} {two}"
    assert entry.msgstr == "Serge écrivit ce livre en exil. Il était en prison à Orenbourg."
    assert stats.offered == 1


def test_joined_sentences_with_notes_number_the_second_ones_after_the_first():
    one = ("Serge wrote this book in exile.", noteref("3"))
    two = ("He was in prison in Orenburg.", noteref("4"))
    joined = ("Serge wrote this book in exile,", noteref("3"),
              " while he was in prison in Orenburg.", noteref("4"))
    po, _ = merge(with_paragraph(seg("s4", *one), seg("s5", *two)))
    translate(po, s4="Serge écrivit ce livre en exil.<n1/>",
              s5="Il était en prison à Orenbourg.<n1/>")
    for doc_id in ("s4", "s13"):                     # kept id (merge), new id (memory)
        new, _ = merge(with_paragraph(seg(doc_id, *joined)), po)
        entry = by_id(new)[doc_id]
        assert entry.msgid == ("Serge wrote this book in exile,<n1/> while he was in prison "
                               "in Orenburg.<n2/>")
        assert entry.previous_msgid == ("Serge wrote this book in exile.<n1/> "
                                        "He was in prison in Orenburg.<n2/>")
        assert entry.msgstr == ("Serge écrivit ce livre en exil.<n1/> "
                                "Il était en prison à Orenbourg.<n2/>")
        assert entry.fuzzy
