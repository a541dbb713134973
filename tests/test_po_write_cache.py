"""The writer's memory of wrapped strings (issue 8): a project with more strings than the
writer remembers (the languages' catalogues written one after the other, each naming
every msgid once) still wraps each long msgid once, not once per language."""
from __future__ import annotations

import polib

from serge_publish.catalog import po


def test_a_long_msgid_is_wrapped_once_however_many_short_strings_come_between(monkeypatch):
    calls: list[str] = []
    wrap_lines = po._wrap_lines

    def counting(prefix, name, value, wrap, fmt):
        calls.append(value)
        return wrap_lines(prefix, name, value, wrap, fmt)
    monkeypatch.setattr(po, "_wrap_lines", counting)
    po._wrapped.cache_clear()
    po._wrapped_lines.cache_clear()
    long = "A sentence long enough to be wrapped over two lines of a catalogue, " * 2
    first = po._wrapped("", "msgid", long, True, None)
    for n in range(70_000):                 # more than either cache holds
        po._wrapped("", "msgctxt", f"s{n}", True, None)
    assert po._wrapped("", "msgid", long, True, None) == first and len(first) > 2
    assert calls == [long]


def test_entries_are_written_as_before_field_by_field():
    """The writer reads an entry's fields from its dict: a subclass of POEntry (whose
    fields may be computed) is written as a POEntry with the same fields."""
    class Computed(polib.POEntry):
        @property
        def tcomment(self):                          # noqa: D401
            return "computed"

        @tcomment.setter
        def tcomment(self, value):
            pass
    plain = polib.POEntry(msgctxt="s1", msgid="One.", msgstr="Un.", tcomment="computed",
                          occurrences=[("source/a.xml", "3")], flags=["fuzzy"],
                          previous_msgid="Once.")
    odd = Computed(msgctxt="s1", msgid="One.", msgstr="Un.",
                   occurrences=[("source/a.xml", "3")], flags=["fuzzy"],
                   previous_msgid="Once.")
    assert po._entry_lines(odd) == po._entry_lines(plain)
    assert po._entry_lines(plain) == [
        "# computed", "#: source/a.xml:3", "#, fuzzy", '#| msgid "Once."',
        'msgctxt "s1"', 'msgid "One."', 'msgstr "Un."']


def _perturbed(po_file: polib.POFile, seed: int) -> polib.POFile:
    """``po_file`` with entries changed as translators and sources change them."""
    import copy
    import random
    rng = random.Random(seed)
    out = copy.deepcopy(po_file)
    for entry in list(out):
        roll = rng.random()
        if roll < 0.05:
            entry.tcomment = "checked by Ann"
        elif roll < 0.10:
            entry.flags = ["fuzzy"]
            entry.previous_msgid = "An older source."
        elif roll < 0.15:
            entry.msgstr = "Traduit.\nSur deux lignes, assez longues pour être coupées " * 2
        elif roll < 0.20:
            entry.msgstr = ""
        elif roll < 0.23:
            entry.flags = ["python-format"]
        elif roll < 0.26:
            out.remove(entry)
        elif roll < 0.29:
            entry.msgctxt = "gone-" + (entry.msgctxt or "")     # kept as obsolete
    return out


def _template_perturbed(pot: polib.POFile, seed: int) -> polib.POFile:
    """A template with a few odd entries: flags, a translator comment, a source edited."""
    import random
    rng = random.Random(seed)
    text = po.format_catalog(pot)
    pot = po.parse_catalog(text.encode("utf-8"), "t.pot")
    for entry in pot:
        roll = rng.random()
        if roll < 0.03:
            entry.flags = ["no-wrap"]
        elif roll < 0.06:
            entry.tcomment = "a template comment"
        elif roll < 0.09:
            entry.msgid = entry.msgid + " Edited."
    return pot


def test_a_merge_is_written_from_its_template_blocks_as_format_catalog_writes_it():
    """format_merged (an update's writer: the template's blocks reused for the entries
    carried as they are) writes the bytes format_catalog writes, on the shipped
    catalogues and on catalogues and templates changed every way a merge meets."""
    from pathlib import Path

    from serge_publish.catalog.merge import merge_catalog
    root = Path(__file__).resolve().parents[1]
    checked = 0
    for pot_path in sorted((root / "locale").glob("*.pot")):
        for po_path in sorted((root / "locale").glob(f"*/LC_MESSAGES/{pot_path.stem}.po")):
            for seed in range(4):
                pot = po.read_catalog(pot_path)
                if seed:
                    pot = _template_perturbed(pot, seed)
                blocks = po.entry_blocks(po.format_catalog(pot))
                old = po.read_catalog(po_path)
                for before in (old, _perturbed(old, seed), None):
                    merged, _ = merge_catalog(pot, before, tag="fr", team="French")
                    assert po.format_merged(merged, pot, blocks) == po.format_catalog(merged)
                    checked += 1
    assert checked >= 24
    pot = po.read_catalog(root / "locale" / "greene-borders.pot")
    merged, _ = merge_catalog(pot, None, tag="fr", team="French")
    assert po.format_merged(merged, pot, ["too", "few"]) == po.format_catalog(merged)


def test_blocks_of_another_text_are_not_used():
    """Blocks that are not the template's (a hand-edited .pot whose digest a cache was
    made to match) are checked on the first and last entries and then not used."""
    from pathlib import Path

    from serge_publish.catalog.merge import merge_catalog
    root = Path(__file__).resolve().parents[1]
    pot = po.read_catalog(root / "locale" / "greene-borders.pot")
    merged, _ = merge_catalog(pot, None, tag="fr", team="French")
    blocks = po.entry_blocks(po.format_catalog(pot))
    for i in (1, len(blocks) - 1):
        other = list(blocks)
        other[i] = other[i].replace("msgid", "msgid ", 1)
        assert po.format_merged(merged, pot, other) == po.format_catalog(merged)


def test_a_templates_blocks_serve_every_languages_merge():
    """The blocks keep what format_merged works out of their template (once for every
    language's catalogue); another template of that text given with them, again."""
    from pathlib import Path

    from serge_publish.catalog.merge import merge_catalog
    root = Path(__file__).resolve().parents[1]
    pot_path = root / "locale" / "greene-borders.pot"
    pot = po.read_catalog(pot_path)
    blocks = po.entry_blocks(po.format_catalog(pot))
    for po_path in sorted((root / "locale").glob("*/LC_MESSAGES/greene-borders.po")):
        merged, _ = merge_catalog(pot, po.read_catalog(po_path), tag="fr", team="French")
        assert po.format_merged(merged, pot, blocks) == po.format_catalog(merged)
        assert blocks.keys[0] is pot
    other = po.read_catalog(pot_path)
    merged, _ = merge_catalog(other, None, tag="fr", team="French")
    assert po.format_merged(merged, other, blocks) == po.format_catalog(merged)
    assert blocks.keys[0] is other
