"""A translation made for the very msgid the template has is kept as it is (issue 8's
shortcut, which skips comparing normalised sources): finished stays finished, a fuzzy one
stays fuzzy (with or without its previous msgid), plural ones alike."""
from __future__ import annotations

from serge_publish import catalog

TEMPLATE = b'''msgctxt "a"
msgid "One  sentence."
msgstr ""

msgctxt "b"
msgid "Two."
msgid_plural "Twos."
msgstr[0] ""
msgstr[1] ""

msgctxt "c"
msgid "Three."
msgstr ""

msgctxt "d"
msgid "Four."
msgstr ""
'''
OLD = b'''msgctxt "a"
msgid "One  sentence."
msgstr "Une phrase."

msgctxt "b"
msgid "Two."
msgid_plural "Twos."
msgstr[0] "Deux."
msgstr[1] "Deux (pl)."

#, fuzzy
msgctxt "c"
msgid "Three."
msgstr "Trois ?"

#, fuzzy
#| msgid "Fourth."
msgctxt "d"
msgid "Four."
msgstr "Quatre ?"
'''


def test_translations_for_the_same_msgid_are_kept_as_they_are():
    template = catalog.parse_catalog(TEMPLATE, "t.pot")
    merged, stats = catalog.merge_catalog(template, catalog.parse_catalog(OLD, "o.po"),
                                          tag="fr", team="French")
    got = {e.msgctxt: (e.msgstr or e.msgstr_plural, e.fuzzy, e.previous_msgid) for e in merged}
    assert got == {"a": ("Une phrase.", False, None),
                   "b": ({0: "Deux.", 1: "Deux (pl)."}, False, None),
                   "c": ("Trois ?", True, None), "d": ("Quatre ?", True, "Fourth.")}
    assert (stats.kept, stats.changed) == (4, 0)
