"""Today's apply_catalog against the frozen copy of the one before issue 8's shared source
segments (apply_reference.py): random catalogues of every kind of entry (missing, empty,
fuzzy, out of date, not yet migrated, broken, with bidi controls, blank...), applied to
one document in several languages in turn as the build does, and the shipped project's
real catalogues: the same documents, statuses, translators and warnings."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import apply_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from build_helpers import ROOT
from catalog_helpers import emph, leaf, sample_document, seg
from serge_publish.catalog import (
    TranslationMemory,
    apply_catalog,
    extract_catalog,
    merge_catalog,
    pseudo_message,
    read_catalog,
)
from serge_publish.model import Document, iter_segments, published
from serge_publish.sourcexml import read_source

DATE = "2016-01-18 00:00+0000"


def _same(doc, po, lang, use_fuzzy=False, po_path=""):
    new = apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=po_path)
    old = reference.apply_catalog(doc, po, lang, use_fuzzy=use_fuzzy, po_path=po_path)
    assert new.document == old.document
    assert [s.lang for r in iter_segments(new.document) for s in (r.segment,)] == \
        [s.lang for r in iter_segments(old.document) for s in (r.segment,)]
    assert (new.statuses, new.translators, new.diagnostics) == \
        (old.statuses, old.translators, old.diagnostics)
    assert (new.words_total, new.words_translated, new.percent) == \
        (old.words_total, old.words_translated, old.percent)
    return new


KINDS = ["missing", "empty", "pseudo", "identity", "fuzzy", "outdated", "old-notes",
         "broken", "bidi", "blank", "rewrapped", "extra-tag", "bidi-only", "respaced",
         "same-start", "flagged"]


def _fill(po, kinds):
    entries = [e for e in po if e.msgctxt]
    for entry, kind in zip(entries, kinds, strict=True):
        msgid = entry.msgid
        if kind == "missing":
            entry.msgctxt = entry.msgctxt + "-gone"
        elif kind == "empty":
            entry.msgstr = ""
        elif kind in ("pseudo", "fuzzy"):
            entry.msgstr = pseudo_message(msgid)
            if kind == "fuzzy":
                entry.flags.append("fuzzy")
        elif kind == "identity":
            entry.msgstr = msgid
        elif kind == "outdated":
            entry.msgid, entry.msgstr = msgid + " (old)", pseudo_message(msgid)
        elif kind == "old-notes":
            entry.msgid = msgid.replace("<n1/>", "<n7/>").replace("<n2/>", "<n9/>")
            entry.msgstr = pseudo_message(msgid).replace("<n1/>", "<n7/>")
        elif kind == "broken":
            entry.msgstr = pseudo_message(msgid).replace("</", "<", 1) + "<i>"
        elif kind == "bidi":
            entry.msgstr = "\u202e" + pseudo_message(msgid) + "\u2066"
        elif kind == "bidi-only":
            entry.msgstr = "\u202e\u2069"
        elif kind == "blank":
            entry.msgstr = " \n\t"
        elif kind == "rewrapped":
            entry.msgid, entry.msgstr = msgid.replace(" ", "\n  ", 2), msgid.upper()
        elif kind == "extra-tag":
            entry.msgstr = msgid + "<x9/>"
        elif kind == "respaced":                 # the source's text, spaced otherwise
            entry.msgstr = "\n " + msgid.replace(" ", " \t ", 1) + "  "
        elif kind == "same-start":               # another text, its first letter the same
            entry.msgstr = msgid[:1] + pseudo_message(msgid)
        elif kind == "flagged":                  # a finished translation with a flag
            entry.msgstr = pseudo_message(msgid)
            entry.flags.append("c-format")
    return po


def _catalogue(doc, kinds):
    pot = extract_catalog(doc, project_name="P", date=DATE)
    po, _ = merge_catalog(pot, None, tag="fr", team="French", memory=TranslationMemory())
    po.metadata["Last-Translator"] = "Jean Dupont <jd@example.org>"
    return _fill(po, kinds)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.lists(st.sampled_from(KINDS), min_size=12, max_size=12), min_size=1,
                max_size=4), st.booleans())
def test_random_catalogues_apply_as_before(languages, use_fuzzy):
    doc = sample_document()                      # one document, every language in turn
    for i, kinds in enumerate(languages):
        _same(doc, _catalogue(doc, kinds), f"l{i}", use_fuzzy, f"locale/l{i}/x.po")
    _same(doc, None, "de")


def test_an_id_used_twice_with_two_contents_applies_as_before():
    doc = sample_document()
    twice = replace(doc, body=doc.body + (leaf("p", seg("s4", "Another ", emph("text"), ".")),))
    po = _catalogue(doc, ["pseudo"] * 12)
    for lang in ("fr", "de", "fr"):
        result = _same(twice, po, lang)
    last = [r.segment for r in iter_segments(result.document) if r.segment.id == "s4"]
    assert last[0].content != last[1].content and last[1].lang == "en"   # the second: no match


def test_the_same_document_again_and_another_document_apply_as_before():
    first, second = sample_document(), sample_document("other")
    po = _catalogue(first, ["pseudo", "fuzzy", "broken", "bidi"] * 3)
    for doc in (first, second, first, replace(first, lang="fr")):
        _same(doc, po, "de", po_path="p.po")


_SHIPPED = sorted((ROOT / "source").glob("*.xml"))


@pytest.mark.parametrize("source", _SHIPPED, ids=lambda p: p.stem)
def test_the_shipped_catalogues_apply_as_before(source: Path):
    doc = read_source(source)
    doc = replace(published(doc), lang=doc.lang or "en")
    applied = 0
    for po_path in sorted((ROOT / "locale").glob(f"*/LC_MESSAGES/{source.stem}.po")):
        for lean in (True, False):
            for use_fuzzy in (False, True):
                _same(doc, read_catalog(po_path, lean=lean), po_path.parts[-3],
                      use_fuzzy, str(po_path))
                applied += 1
    assert applied


def test_a_document_without_a_language_applies_as_before():
    doc: Document = replace(sample_document(), lang="")
    _same(doc, _catalogue(sample_document(), ["pseudo", "fuzzy", "missing"] * 4), "fr",
          use_fuzzy=True)


def test_the_characters_sought_are_the_bidi_controls_pattern_s():
    from serge_publish.catalog.apply import _BIDI_CHARACTERS, BIDI_CONTROLS
    every = "".join(chr(c) for c in range(0x3000))
    assert sorted(BIDI_CONTROLS.findall(every)) == sorted(_BIDI_CHARACTERS)
