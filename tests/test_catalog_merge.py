"""The merge keeps every translation: scenarios, then random edit sequences (hypothesis)."""
from __future__ import annotations

import random
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalog_helpers import (
    box,
    by_id,
    leaf,
    merge,
    sample_document,
    seg,
    template,
    through_file,
    translate,
    with_paragraph,
)
from serge_publish.catalog import TranslationMemory, format_catalog, merge_catalog
from serge_publish.model import Document, Segment


def test_moving_inserting_deleting_others_never_makes_a_translation_fuzzy():
    po, _ = merge(with_paragraph(seg("s4", "One."), seg("s5", "Two."), seg("s6", "Three.")))
    translate(po, s4="Un.", s5="Deux.", s6="Trois.")
    edited = with_paragraph(seg("s6", "Three."), seg("s13", "New."), seg("s4", "One."))
    po, stats = merge(edited, po)
    entries = by_id(po)
    assert (entries["s4"].msgstr, entries["s4"].fuzzy) == ("Un.", False)
    assert (entries["s6"].msgstr, entries["s6"].fuzzy) == ("Trois.", False)
    assert by_id(po, obsolete=True)["s5"].msgstr == "Deux."
    assert (stats.kept, stats.untranslated, stats.obsolete) == (2, 3, 1)   # s1 s2 s13


def test_an_edited_segment_keeps_its_translation_fuzzy_with_the_previous_msgid():
    po, _ = merge(with_paragraph(seg("s4", "The war began in 1914.")))
    translate(po, s4="La guerre commença en 1914.")
    po, stats = merge(with_paragraph(seg("s4", "The Great War began in 1914.")), po)
    entry = by_id(po)["s4"]
    assert entry.fuzzy and entry.msgstr == "La guerre commença en 1914."
    assert entry.previous_msgid == "The war began in 1914."
    assert stats.changed == 1
    # edited again before the translator came: #| still shows what was translated
    po, _ = merge(with_paragraph(seg("s4", "The Great War began in August 1914.")), po)
    assert by_id(po)["s4"].previous_msgid == "The war began in 1914."
    assert "#| msgid \"The war began in 1914.\"" in format_catalog(po)


def test_obsolete_entries_survive_every_update_and_come_back_with_their_segment():
    doc = with_paragraph(seg("s4", "One."), seg("s5", "Two."))
    po, _ = merge(doc)
    translate(po, s5="Deux.")
    po, _ = merge(with_paragraph(seg("s4", "One.")), po)
    for _ in range(2):
        po, _ = merge(with_paragraph(seg("s4", "One.")), po)
        assert by_id(po, obsolete=True)["s5"].msgstr == "Deux."
        assert "#~ msgstr \"Deux.\"" in format_catalog(po)
    po, stats = merge(doc, po)                       # the deletion is undone
    assert by_id(po)["s5"].msgstr == "Deux." and not by_id(po)["s5"].fuzzy
    assert "s5" not in by_id(po, obsolete=True) and stats.obsolete == 0


def test_identical_sentences_are_filled_from_each_other():
    po, _ = merge(sample_document())
    translate(po, s9="La même phrase deux fois.")
    po, stats = merge(sample_document(), po)
    entry = by_id(po)["s10"]
    assert entry.msgstr == "La même phrase deux fois." and not entry.fuzzy
    assert stats.filled == 1


def test_a_deleted_then_reinserted_sentence_is_filled_from_the_obsolete_entry():
    po, _ = merge(with_paragraph(seg("s4", "One."), seg("s5", "Two.")))
    translate(po, s5="Deux.")
    po, _ = merge(with_paragraph(seg("s4", "One.")), po)
    po, _ = merge(with_paragraph(seg("s13", "Two."), seg("s4", "One.")), po)
    assert by_id(po)["s13"].msgstr == "Deux." and not by_id(po)["s13"].fuzzy


def test_memory_offers_close_matches_as_fuzzy_but_not_a_different_chapter():
    text = "In chapter 12 Serge describes the famine in Petrograd during the civil war."
    po, _ = merge(with_paragraph(seg("s4", text)))
    translate(po, s4="Au chapitre 12, Serge décrit la famine.")
    po, stats = merge(with_paragraph(
        seg("s4", text), seg("s13", text.replace("famine", "hunger")),
        seg("s14", text.replace("12", "1"))), po)
    offered, refused = by_id(po)["s13"], by_id(po)["s14"]
    assert offered.fuzzy and offered.msgstr == "Au chapitre 12, Serge décrit la famine."
    assert offered.previous_msgid == text
    assert refused.msgstr == "" and stats.offered == 1


def test_translator_fields_and_comments_are_kept():
    po, _ = merge(sample_document())
    translate(po, s1="Aux frontières de la victoire")
    po.header = "French translation.\nJean Dupont <jean@example.org>, 2024."
    po.metadata.update({"Last-Translator": "Jean Dupont <jean@example.org>",
                        "PO-Revision-Date": "2024-05-01 10:00+0200", "X-Generator": "Poedit 3.4"})
    by_id(po)["s1"].tcomment = "check with the editor"
    po, _ = merge(sample_document(), po)
    assert po.header.endswith("Jean Dupont <jean@example.org>, 2024.")
    assert po.metadata["Last-Translator"] == "Jean Dupont <jean@example.org>"
    assert po.metadata["PO-Revision-Date"] == "2024-05-01 10:00+0200"
    assert po.metadata["X-Generator"] == "Poedit 3.4"
    assert po.metadata["Language"] == "fr"
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    assert by_id(po)["s1"].tcomment == "check with the editor"


# --------------------------------------------------------------- random edit sequences

VOCAB = "the revolution war party exile Serge wrote not never 12 1 memoirs city".split()


class Essay:
    """Paragraphs of (id, text) that an author keeps editing."""

    def __init__(self, paragraphs: list[list[str]]):
        self.next = 1
        self.paras = [[self.new(t) for t in p] for p in paragraphs]

    def new(self, text: str) -> tuple[str, str]:
        self.next += 1
        return f"s{self.next}", text

    def flat(self) -> list[tuple[int, int]]:
        return [(p, i) for p, para in enumerate(self.paras) for i in range(len(para))]

    def document(self) -> Document:
        paras = tuple(leaf("p", *(Segment(sid, (text,)) for sid, text in para))
                      for para in self.paras if para)
        return Document("essay", "en", leaf("title", Segment("s1", ("Title",))),
                        body=(box("div", *paras),) if paras else (), next_id=self.next + 1)

    def apply(self, op: str, a: int, b: int, text: str) -> None:
        places = self.flat()
        if op == "insert" or not places:
            p = a % (len(self.paras) + 1)
            if p == len(self.paras):
                self.paras.append([])
            self.paras[p].insert(b % (len(self.paras[p]) + 1), self.new(text))
            return
        p, i = places[a % len(places)]
        sid, old = self.paras[p][i]
        if op == "delete":
            del self.paras[p][i]
        elif op == "reword":
            self.paras[p][i] = (sid, text)
        elif op == "move":
            del self.paras[p][i]
            q = b % len(self.paras)
            self.paras[q].insert(b % (len(self.paras[q]) + 1), (sid, old))
        elif op == "split" and len(old.split()) > 1:
            words = old.split()
            half = len(words) // 2
            self.paras[p][i] = (sid, " ".join(words[:half]))
            self.paras[p].insert(i + 1, self.new(" ".join(words[half:])))
        elif op == "merge" and i + 1 < len(self.paras[p]):
            other = self.paras[p].pop(i + 1)
            self.paras[p][i] = (sid, old + " " + other[1])


_text = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=7).map(" ".join)
_op = st.tuples(st.sampled_from(["insert", "delete", "reword", "move", "split", "merge"]),
                st.integers(0, 99), st.integers(0, 99), _text)


def _translator(po, rng: random.Random, counter: list[int]) -> None:
    for entry in po:
        if not entry.obsolete and (not entry.msgstr or entry.fuzzy) and rng.random() < 0.6:
            counter[0] += 1
            entry.msgstr = f"T{counter[0]}"
            entry.flags = [f for f in entry.flags if f != "fuzzy"]
            entry.previous_msgid = None


def _check(old, new, template_po) -> None:
    def strings(po):
        return {e.msgstr for e in po if e.msgstr}
    kept = strings(new)     # as it was, or as part of sentences joined (perhaps more than once)
    lost = {text for text in strings(old)
            if not any(f" {text} " in f" {other} " for other in kept)}
    assert not lost, f"translations lost: {sorted(lost)}"
    current = {e.msgctxt: e.msgid for e in template_po}
    fresh = by_id(new)
    for entry in old:
        if entry.obsolete or not entry.msgstr or entry.fuzzy or entry.msgctxt not in current:
            continue
        after = fresh[entry.msgctxt]
        if current[entry.msgctxt] == entry.msgid:
            assert not after.fuzzy and after.msgstr == entry.msgstr, "unchanged became fuzzy"
        elif after.previous_msgid == entry.msgid:
            assert after.fuzzy and after.msgstr == entry.msgstr
        else:                   # merged with the next or previous sentence, which is gone
            assert after.fuzzy and f" {entry.msgstr} " in f" {after.msgstr} "
            assert f" {entry.msgid} " in f" {after.previous_msgid} "


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_text, min_size=1, max_size=3), min_size=1, max_size=3),
       st.lists(_op, min_size=1, max_size=10), st.integers(0, 2**16))
def test_random_edits_never_lose_a_translation_nor_fuzz_an_unchanged_one(paragraphs, ops, seed):
    essay, rng, counter = Essay(paragraphs), random.Random(seed), [0]
    with tempfile.TemporaryDirectory() as tmp:
        po, _ = merge(essay.document())
        _translator(po, rng, counter)
        po = through_file(po, Path(tmp))
        for op in ops:
            essay.apply(*op)
            pot = template(essay.document())
            new, _ = merge_catalog(pot, po, tag="fr", team="French",
                                   memory=TranslationMemory("en"))
            new = through_file(new, Path(tmp))
            _check(po, new, pot)
            _translator(new, rng, counter)
            po = new


def test_new_entry_is_polibs_constructor_without_its_lookups():
    import polib

    from serge_publish.catalog.po import new_entry
    for fields in ({}, {"msgid": "a", "msgstr": "b", "flags": ["fuzzy"], "linenum": 3},
                   {"msgid": "a", "msgid_plural": "as", "msgstr_plural": {0: "x", 1: "y"},
                    "msgctxt": "c", "obsolete": True, "comment": "e", "tcomment": "t",
                    "occurrences": [("f", "1")], "previous_msgctxt": "p",
                    "previous_msgid": "q", "previous_msgid_plural": "r"}):
        made, polibs = new_entry(**fields), polib.POEntry(**fields)
        assert type(made) is polib.POEntry
        assert list(made.__dict__.items()) == list(polibs.__dict__.items())
        assert str(made) == str(polibs)
    one, two = new_entry(), new_entry()         # fresh containers, as polib's
    assert one.flags is not two.flags and one.occurrences is not two.occurrences
    assert one.msgstr_plural is not two.msgstr_plural


def test_migrate_entry_returns_an_entry_without_note_placeholders_itself():
    import polib

    from serge_publish.catalog.merge import migrate_entry
    plain = polib.POEntry(msgid="A <b1>bold</b1> word.", msgstr="Un mot <b1>gras</b1>.",
                          previous_msgid="A word.", flags=["fuzzy"])
    assert migrate_entry(plain) is plain
    old_style = polib.POEntry(msgid="See<n12/>.", msgid_plural="See<n12/> twice.",
                              msgstr_plural={0: "Voir<n12/>.", 1: "Voir<n12/> deux fois."})
    migrated = migrate_entry(old_style)
    assert migrated is not old_style and migrated.msgid == "See<n1/>."
    assert migrated.msgstr_plural == {0: "Voir<n1/>.", 1: "Voir<n1/> deux fois."}


def test_migrate_entry_returns_an_entry_with_todays_placeholders_itself():
    """An entry whose msgids number their notes as today (<n1/>, <n2/>...) is its own
    migration, unless its translation writes a note placeholder with a space (renamed)."""
    import polib

    from serge_publish.catalog.merge import migrate_entry
    today = polib.POEntry(msgid="One<n1/>, two<n2/>.", msgstr="Un<n2/>, deux<n1/>.",
                          previous_msgid="One<n1/>.", flags=["fuzzy"])
    assert migrate_entry(today) is today
    spaced = polib.POEntry(msgid="One<n1/>, two<n2/>.", msgstr="Un<n1 />, deux<n2/>.")
    migrated = migrate_entry(spaced)
    assert migrated is not spaced and migrated.msgstr == "Un<n1/>, deux<n2/>."
    for msgid in ("One<n2/>, two<n1/>.", "One<n1/>, two<n1/>.", "One<n1 />."):
        old = polib.POEntry(msgid=msgid, msgstr="Un<n1/>.")
        assert migrate_entry(old) is not old            # renumbered
