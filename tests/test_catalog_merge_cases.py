"""The merge in the reviewer's cases: plural entries are translations like any other, an
undone edit is finished again, a source re-wrapped by hand keeps its translations."""
from __future__ import annotations

import polib

from catalog_helpers import (
    by_id,
    emph,
    merge,
    msgfmt_check,
    needs_msgfmt,
    seg,
    template,
    through_file,
    translate,
    with_paragraph,
)
from serge_publish.catalog import format_catalog, merge_catalog, read_catalog

PLURAL_OLD = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgctxt "s4"
msgid "One apple."
msgid_plural "%d apples."
msgstr[0] "Une pomme."
msgstr[1] "%d pommes."

msgctxt "s77"
msgid "One pear."
msgid_plural "%d pears."
msgstr[0] "Une poire."
msgstr[1] "%d poires."

msgid "One plum."
msgid_plural "%d plums."
msgstr[0] "Une prune."
msgstr[1] ""

#~ msgctxt "s78"
#~ msgid "One fig."
#~ msgid_plural "%d figs."
#~ msgstr[0] "Une figue."
#~ msgstr[1] "%d figues."
'''


@needs_msgfmt
def test_plural_translations_are_never_lost(tmp_path):
    path = tmp_path / "old.po"
    path.write_text(PLURAL_OLD, encoding="utf-8")
    po, stats = merge(with_paragraph(seg("s4", "An apple.")), read_catalog(path))
    po = through_file(po, tmp_path)
    msgfmt_check(tmp_path / "fr.po")
    gone = {(e.msgctxt, e.msgid): e for e in po if e.obsolete}
    assert gone[("s77", "One pear.")].msgstr_plural == {0: "Une poire.", 1: "%d poires."}
    assert gone[("s78", "One fig.")].msgstr_plural == {0: "Une figue.", 1: "%d figues."}
    assert gone[(None, "One plum.")].msgstr_plural == {0: "Une prune.", 1: ""}
    assert gone[("s4", "One apple.")].msgid_plural == "%d apples."   # all its forms kept
    s4 = by_id(po)["s4"]                      # the segment offered its first form, fuzzy
    assert (s4.msgstr, s4.fuzzy, s4.previous_msgid) == ("Une pomme.", True, "One apple.")
    assert s4.previous_msgid_plural == "%d apples." and not s4.msgid_plural
    assert (stats.changed, stats.obsolete) == (1, 4)
    again, _ = merge(with_paragraph(seg("s4", "An apple.")), po)
    assert len([e for e in again if e.obsolete]) == 4           # stable over updates


def test_plural_entries_of_a_template_keep_their_forms():
    pot = template(with_paragraph(seg("s4", "One.")))
    pot.append(polib.POEntry(msgctxt="p1", msgid="a day", msgid_plural="%d days"))
    old = polib.POFile()
    old.append(polib.POEntry(msgctxt="p1", msgid="a day", msgid_plural="%d days",
                             msgstr_plural={0: "un jour", 1: "%d jours"}))
    po, stats = merge_catalog(pot, old, tag="fr", team="French")
    entry = by_id(po)["p1"]
    assert entry.msgstr_plural == {0: "un jour", 1: "%d jours"} and not entry.fuzzy
    assert stats.kept == 1 and not [e for e in po if e.obsolete]


def test_undoing_an_edit_makes_the_translation_finished_again(tmp_path):
    po, _ = merge(with_paragraph(seg("s4", "The war began in 1914.")))
    translate(po, s4="La guerre commença en 1914.")
    po, _ = merge(with_paragraph(seg("s4", "The war began in 1915.")), po)
    po = through_file(po, tmp_path)
    assert by_id(po)["s4"].fuzzy
    po, stats = merge(with_paragraph(seg("s4", "The war began in 1914.")), po)
    entry = by_id(po)["s4"]
    assert (entry.msgstr, entry.fuzzy, entry.previous_msgid) == \
        ("La guerre commença en 1914.", False, None)
    assert stats.kept == 1 and stats.changed == 0
    assert "#|" not in format_catalog(po) and "fuzzy" not in format_catalog(po)


def test_a_hand_rewrapped_source_keeps_its_translations(tmp_path):
    po, _ = merge(with_paragraph(seg("s4", "The war began ", emph("in 1914"), ".")))
    translate(po, s4="La guerre commença <i>en 1914</i>.")
    rewrapped = with_paragraph(seg("s4", "\n   The  war\tbegan\r\n   ", emph("in 1914"), ".\n  "))
    new, stats = merge(rewrapped, po)
    entry = by_id(new)["s4"]
    assert entry.msgid == "The war began <i>in 1914</i>."
    assert entry.msgstr == "La guerre commença <i>en 1914</i>." and not entry.fuzzy
    old_style = through_file(po, tmp_path)      # a catalogue written before normalising
    by_id(old_style)["s4"].msgid = "The  war began\n <i>in 1914</i>."
    new, stats = merge(rewrapped, old_style)
    assert not by_id(new)["s4"].fuzzy and stats.kept == 1
    assert by_id(new)["s4"].msgid == "The war began <i>in 1914</i>."
