"""Typesetting skips a text node none of whose characters a rule could change (issue 8):
a full stop only matters as "..." or in "p. 12", so a sentence ending in "." is not run
through every rule. The gate must never skip a text a rule would change."""
from __future__ import annotations

import itertools

from serge_publish.writers.typography import (
    _FRENCH_TRIGGERS,
    _TRIGGERS,
    RULES,
    _typeset_text,
    typeset_text,
)

PIECES = ["a", "1", "12", " ", ".", "..", "...", "p", "pp", "p.", "p. ", "pp. 3", "etc.",
          "\u2026", "?", ":", "%", "\u00a0", "e", "X", "-", "'", '"', "`", "\u00ab", "\u00bb"]


def _texts():
    for n in (1, 2, 3):
        for combo in itertools.product(PIECES, repeat=n):
            yield "".join(combo)
    yield from ["It ended in 1921.", "See p. 12.", "See pp. 3 and p.4.", "Wait... what.",
                "Le XXe siècle.", "Tel quel.", "U.S.A. and e.g. this.", "a.b.c", "p.\u00a01"]


def test_a_text_the_gate_skips_is_left_as_it_is_by_every_rule():
    skipped = 0
    for lang, rules in RULES.items():
        gate = _FRENCH_TRIGGERS if rules.french else _TRIGGERS
        for text in _texts():
            if gate.search(text) is not None:
                continue
            skipped += 1
            for prev in ("", " ", "a", ".", "\u00ab"):
                assert _typeset_text(text, rules, prev) == text, (lang, text, prev)
    assert skipped > 1000


def test_full_stops_that_matter_still_pass_the_gate():
    assert typeset_text("See p. 12.", "en") == "See p.\u00a012."
    assert typeset_text("Wait... what.", "en") == "Wait\u2026 what."
    assert typeset_text("Attendez... quoi.", "fr") == "Attendez\u2026 quoi."
    assert typeset_text("A plain sentence.", "en") == "A plain sentence."


def test_note_calls_are_found_in_document_order_once_each():
    from lxml import etree

    from serge_publish.writers.typography import _NOTE_CALLS, _is_note_call
    root = etree.fromstring(
        '<section xmlns="http://www.w3.org/1999/xhtml" role="doc-noteref"><p>a'
        '<a role="doc-noteref" class="noteref">1</a><span class="noteref">2</span>'
        '<!-- c --><em role="doc-noteref"><a class="noteref">3</a></em><a role="x">n</a>'
        '<b class="noteref other">n</b></p><?pi x?><i class="noteref"/></section>')
    found = _NOTE_CALLS(root)
    assert found == [e for e in root.iter() if _is_note_call(e)]
    assert [e.text for e in found] == [None, "1", "2", None, "3", None]
