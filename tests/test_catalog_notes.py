"""Note placeholders are numbered within the sentence (<n1/> = its first note reference), so
adding or removing a note elsewhere changes no msgid; `update` migrates catalogues whose
placeholders carried the printed note number (<n12/> = note 12)."""
from __future__ import annotations

import re
from pathlib import Path

from build_helpers import edit_catalogue, run
from catalog_helpers import by_id, merge, noteref, sample_document, through_file, translate
from serge_publish.catalog import format_catalog, read_catalog
from serge_publish.catalog.placeholders import (
    content_to_message,
    message_to_content,
    rename_notes,
    renumber_notes,
)

# ------------------------------------------------------------------ the placeholders

def test_note_references_are_numbered_in_the_sentence_and_the_comment_names_the_note():
    content = ("Serge", noteref("7"), " and Trotsky", noteref("12"), ".")
    msgid, legend = content_to_message(content)
    assert msgid == "Serge<n1/> and Trotsky<n2/>."
    assert legend == ("<n1/> = reference to note 7", "<n2/> = reference to note 12")
    back = message_to_content("Trotsky<n2/> et Serge<n1/>.", content, "s1")
    assert back == ("Trotsky", content[3], " et Serge", content[1], ".")


def test_the_same_sentence_has_the_same_msgid_whatever_its_note_is_numbered():
    assert content_to_message(("Text.", noteref("3")))[0] == \
        content_to_message(("Text.", noteref("4")))[0] == "Text.<n1/>"


def test_old_placeholders_are_renumbered_and_translations_renamed_to_match():
    old = "A<n12/> and B<n9/>, again A<n12/>."
    assert renumber_notes(old) == "A<n1/> and B<n2/>, again A<n3/>."
    assert rename_notes("B<n9/> et A<n12/>, encore A<n12/>.", old) == \
        "B<n2/> et A<n1/>, encore A<n3/>."
    assert renumber_notes("Already<n1/> new<n2/>.") == "Already<n1/> new<n2/>."
    assert rename_notes("Déjà<n2/> neuf<n1/>.", "Already<n1/> new<n2/>.") == "Déjà<n2/> neuf<n1/>."
    assert rename_notes("Broken<n5/>.", old) == "Broken<n5/>."          # not the msgid's: kept


# ------------------------------------------------------------------ migration by update

def _old_style(po):
    """``po`` as it was written when <nN/> carried the printed note number (s5: note 1,
    s8: note 2 of the sample document), with notes then numbered 4 and 5."""
    printed = {"s5": "4", "s8": "5"}
    for entry in po:
        if entry.msgctxt in printed:
            old = f"<n{printed[entry.msgctxt]}/>"
            entry.msgid = entry.msgid.replace("<n1/>", old)
            entry.msgstr = entry.msgstr.replace("<n1/>", old)
    return po


def test_update_migrates_an_old_catalogue_without_fuzzying_anything(tmp_path):
    po, _ = merge(sample_document())
    translate(po, s5="Il écrivit <t>Mémoires d'un révolutionnaire</t> en exil.<n1/>",
              s8="Lisez <x1/> &lt;encore&gt;.<n1/>", s4="Serge naquit en 1890 à <i>Bruxelles</i>.")
    old = through_file(_old_style(po), tmp_path)
    assert by_id(old)["s8"].msgid == "Read <x1/> &lt;again&gt;.<n5/>"
    new, stats = merge(sample_document(), old)
    s5, s8 = by_id(new)["s5"], by_id(new)["s8"]
    assert (s8.msgid, s8.msgstr, s8.fuzzy) == ("Read <x1/> &lt;again&gt;.<n1/>",
                                               "Lisez <x1/> &lt;encore&gt;.<n1/>", False)
    assert s5.msgstr.endswith("en exil.<n1/>") and not s5.fuzzy
    assert (stats.kept, stats.changed, stats.obsolete) == (3, 0, 0)
    assert "<n5/>" not in format_catalog(new) and "<n4/>" not in format_catalog(new)


def test_a_fuzzy_entry_made_fuzzy_by_renumbered_notes_is_finished_again(tmp_path):
    """The issue's case: notes shifted by one under the old scheme made a sentence fuzzy,
    with #| showing the same text and another note number."""
    po, _ = merge(sample_document())
    translate(po, s8="Lisez <x1/> &lt;encore&gt;.<n1/>", s5="Il écrivit en exil.<n1/>")
    po = _old_style(po)
    s8, s5 = by_id(po)["s8"], by_id(po)["s5"]
    s8.flags, s8.previous_msgid = ["fuzzy"], "Read <x1/> &lt;again&gt;.<n5/>"
    s8.msgid = s8.msgid.replace("<n5/>", "<n6/>")             # its note shifted
    s5.flags, s5.previous_msgid = ["fuzzy"], "He wrote in exile.<n3/>"    # a real edit
    s5.msgid = s5.msgid.replace("<n4/>", "<n3/>")
    s5.msgstr = s5.msgstr.replace("<n4/>", "<n3/>")         # made for the previous msgid
    new, _ = merge(sample_document(), through_file(po, tmp_path))
    s8, s5 = by_id(new)["s8"], by_id(new)["s5"]
    assert (s8.msgstr, s8.fuzzy, s8.previous_msgid) == ("Lisez <x1/> &lt;encore&gt;.<n1/>",
                                                        False, None)
    assert s5.fuzzy and s5.previous_msgid == "He wrote in exile.<n1/>"
    assert s5.msgstr == "Il écrivit en exil.<n1/>"


def test_obsolete_old_entries_are_migrated_too(tmp_path):
    po, _ = merge(sample_document())
    translate(po, s8="Lisez <x1/> &lt;encore&gt;.<n1/>")
    by_id(po)["s8"].obsolete = True
    by_id(po, obsolete=True)["s8"].msgctxt = "s99"
    new, stats = merge(sample_document(), through_file(_old_style(po), tmp_path))
    assert "#~ msgid \"Read <x1/> &lt;again&gt;.<n1/>\"" in format_catalog(new)
    assert by_id(new)["s8"].msgstr == "Lisez <x1/> &lt;encore&gt;.<n1/>"   # filled from it
    assert stats.filled == 1


def test_update_migrates_a_project_catalogue_status_unchanged(make_root):
    project = make_root("two-essays")
    path = edit_catalogue(project, "fr", "alpha", lambda i, e: _fr(e.msgid))
    before = path.read_text(encoding="utf-8")
    old = before.replace('read.<n1/>"', 'read.<n2/>"')      # s9's note is note 2
    assert old != before
    path.write_text(old, encoding="utf-8")
    _, status_before, _ = run("--project", str(project), "status", "--lang", "fr")
    code, out, err = run("--project", str(project), "update", "--lang", "fr")
    assert code == 0, err
    assert "alpha.po: updated;" in out and " 0 changed (fuzzy)" in out
    assert path.read_text(encoding="utf-8") == before
    assert run("--project", str(project), "status", "--lang", "fr")[1] == status_before


# ------------------------------------------------------------------ the "done when"

def _fr(msgid: str) -> str:
    return f"FR {msgid}"


def _needing_work(path: Path) -> set[str]:
    return {e.msgctxt for e in read_catalog(path)
            if not e.obsolete and (e.fuzzy or not e.msgstr)}


def test_inserting_a_note_early_leaves_only_the_edited_sentence_and_the_new_note(make_root):
    project = make_root("two-essays")
    path = edit_catalogue(project, "fr", "alpha", lambda i, e: _fr(e.msgid))
    assert _needing_work(path) == set()
    source = project / "source" / "alpha.xml"
    text = source.read_text(encoding="utf-8")
    text = text.replace('target="#n2">2</ref>', 'target="#n3">3</ref>')      # note 2 -> 3
    text = text.replace('<note xml:id="n2" n="2"', '<note xml:id="n3" n="3"')
    text = text.replace('participation."</s>',                               # a new note 2
                        'participation."<ref type="noteref" target="#n2">2</ref></s>')
    text = text.replace('<note xml:id="n3" n="3"',
                        '<note xml:id="n2" n="2" place="end">\n          <p>\n'
                        '            <s xml:id="s20">A new note.</s>\n          </p>\n'
                        '        </note>\n        <note xml:id="n3" n="3"')
    text = text.replace('version="1" n="20"', 'version="1" n="21"')         # next id
    source.write_text(text, encoding="utf-8")
    assert run("--project", str(project), "validate")[0] == 0
    code, out, err = run("--project", str(project), "update", "--lang", "fr")
    assert code == 0, err
    assert _needing_work(path) == {"s8", "s20"}               # the edited sentence, the new note
    entries = by_id(read_catalog(path))
    assert entries["s9"].msgstr == _fr(entries["s9"].msgid) and not entries["s9"].fuzzy
    assert "<n1/> = reference to note 3" in entries["s9"].comment
    assert re.search(r"alpha\.po: updated; \d+ kept, 1 changed \(fuzzy\)", out)
