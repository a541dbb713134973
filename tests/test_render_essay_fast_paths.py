"""The shortcuts rendering an essay takes (issue 8) give what the tests they stand for
give: the typography gate written with a class of characters and ``in``, ``clean``'s
``isprintable`` shortcut, the remembered id check."""
from __future__ import annotations

import itertools
import random
import sys

import pytest

from serge_publish.writers import essay, typography, xhtml
from serge_publish.writers.typography import (
    _FRENCH_TRIGGERS,
    _TRIGGERS,
    _triggered,
)

PIECES = ["a", "1", " ", ".", "..", "...", "p", "p.", "p. ", "pp. 3", "\u2026", "?", ":",
          ";", "!", "%", "\u00a0", "-", "'", '"', "`", "\u00ab", "\u00bb", "e", "\u00e9"]


def _texts():
    for n in (1, 2, 3):
        for combo in itertools.product(PIECES, repeat=n):
            yield "".join(combo)
    rng = random.Random(8)
    alphabet = "".join(PIECES) + "xyz0123456789 ,()"
    for _ in range(5000):
        yield "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 40)))


def test_the_fast_gate_answers_as_the_triggers_do():
    for text in _texts():
        assert _triggered(text, False) == (_TRIGGERS.search(text) is not None), text
        assert _triggered(text, True) == (_FRENCH_TRIGGERS.search(text) is not None), text


def test_a_printable_character_is_never_one_clean_removes():
    """``clean`` returns a text ``isprintable`` accepts as it is: no character it accepts
    is one of those removed (every code point looked at)."""
    accepted = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable()]
    assert not [ch for ch in accepted if xhtml._BAD_CHARS.search(ch)]


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u00a0 no-break", "tab\there",
                                  "bad\x01char", "\ufdd0x", "astral \U0001F600 \U0001FFFF",
                                  "\ud800", ""])
def test_clean_is_the_reference_substitution(text):
    assert xhtml.clean(text) == xhtml._BAD_CHARS.sub("", text)


@pytest.mark.parametrize("name", ["s1", "_a", "a.b-c", "1s", "", "a b", "\u00e9t\u00e9",
                                  "s1:2", "-x"])
def test_the_remembered_id_check_is_the_pattern(name):
    essay._NCNAMES.clear()
    expected = essay._NCNAME.match(name) is not None
    assert essay._is_ncname(name) is expected
    assert essay._NCNAMES[name] is expected             # remembered


def test_the_remembered_ids_are_bounded(monkeypatch):
    monkeypatch.setattr(essay, "_NCNAMES_SIZE", 3)
    essay._NCNAMES.clear()
    for n in range(10):
        essay._is_ncname(f"s{n}")
    assert len(essay._NCNAMES) <= 3


def test_a_remembered_text_does_not_pass_the_gate_again(monkeypatch):
    typography._MEMO.clear()
    assert typography.set_text('"quoted"', "en", "") == ("\u201cquoted\u201d", False)

    def no_gate(*_):
        raise AssertionError("the gate ran on a remembered text")

    monkeypatch.setattr(typography, "_triggered", no_gate)
    assert typography.set_text('"quoted"', "en", "") == ("\u201cquoted\u201d", False)
