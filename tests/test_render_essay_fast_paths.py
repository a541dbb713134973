"""The shortcuts rendering an essay takes (issue 8) give what the tests they stand for
give: the typography gate written with a class of characters and ``in``, ``clean``'s
``isprintable`` shortcut, the remembered id check."""
from __future__ import annotations

import itertools
import random
import sys

import pytest

from serge_publish import xmlchars
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
    assert not [ch for ch in accepted if xmlchars.BAD_CHARS.search(ch)]


@pytest.mark.parametrize("text", ["plain", "caf\u00e9 \u00a0 no-break", "tab\there",
                                  "bad\x01char", "\ufdd0x", "astral \U0001F600 \U0001FFFF",
                                  "\ud800", ""])
def test_clean_is_the_reference_substitution(text):
    assert xhtml.clean(text) == xmlchars.BAD_CHARS.sub("", text)


@pytest.mark.parametrize("name", ["s1", "_a", "a.b-c", "1s", "", "a b", "\u00e9t\u00e9",
                                  "s1:2", "-x"])
def test_the_remembered_id_check_is_the_pattern(name):
    essay._NCNAMES.clear()
    expected = essay._NCNAME.match(name) is not None
    assert essay._ncname(name) is expected
    assert essay._NCNAMES[name] is expected             # remembered


def test_the_remembered_ids_are_bounded(monkeypatch):
    monkeypatch.setattr(essay, "_NCNAMES_SIZE", 3)
    essay._NCNAMES.clear()
    for n in range(10):
        essay._ncname(f"s{n}")
    assert len(essay._NCNAMES) <= 3


def test_a_remembered_text_does_not_pass_the_gate_again(monkeypatch):
    typography._MEMO.clear()
    assert typography.set_text('"quoted"', "en", "") == ("\u201cquoted\u201d", False)

    def no_gate(*_):
        raise AssertionError("the gate ran on a remembered text")

    monkeypatch.setattr(typography, "_triggered", no_gate)
    assert typography.set_text('"quoted"', "en", "") == ("\u201cquoted\u201d", False)


def _french_spacing_reference(text, before=""):
    """French spacing as it was written before (every rule tried on every text with one
    of the marks)."""
    if not typography._FR_MARKS.intersection(text):
        return text
    for pattern, replacement, _ in typography._FR_RULES:
        parts, last = [], len(before)
        combined = before + text
        for match in pattern.finditer(combined, len(before)):
            parts += [combined[last:match.start()], replacement]
            last = match.end()
        text = "".join(parts) + combined[last:]
    return text


FRENCH_PIECES = ["a", "1", " ", "\u00a0", "\u202f", "%", "\u00ab", "\u00bb", ";", ":", "!",
                 "?", ".", ")", "(", "/", "="]


def test_french_spacing_tries_only_the_rules_a_text_has_marks_for():
    rng = random.Random(8)
    texts = ["".join(c) for n in (1, 2, 3) for c in itertools.product(FRENCH_PIECES, repeat=n)]
    texts += ["".join(rng.choice(FRENCH_PIECES) for _ in range(rng.randrange(1, 20)))
              for _ in range(5000)]
    for text in texts:
        for before in ("", " ", "a", "\u00ab", "1"):
            assert typography._french_spacing(text, before) == \
                _french_spacing_reference(text, before), (text, before)


def test_a_digit_for_the_ranges_is_a_decimal_as_the_pattern_sees_it():
    import re
    digit = re.compile(r"\d")
    assert all((digit.match(chr(c)) is not None) == chr(c).isdecimal()
               for c in range(sys.maxunicode + 1))


@pytest.mark.parametrize("text", ["1919-1921", "-1-2", "1-", "-", "a-1", "1-a", "x 12-3 y",
                                  "\u0661-\u0662", "2016-01-18", "1-2-3", "9--9"])
def test_ranges_are_looked_for_where_a_hyphen_has_digits_around_it(text):
    from serge_publish.writers.typography import _RANGE, _is_range, _ranges
    assert _ranges(text) == _RANGE.sub(lambda m: m.group(1) + "\u2013" + m.group(2)
                                       if _is_range(m.group(1), m.group(2)) else m.group(0),
                                       text)


@pytest.mark.parametrize("text", ["July-August 2013", "July-", "-August", "xJuly-August",
                                  "May-June-July", "July - August", "Mayday-June"])
def test_word_ranges_are_looked_for_where_a_hyphen_is_between_two_words(text):
    import re

    from serge_publish.writers.typography import RULES, _word_ranges
    words = RULES["en"].range_words
    either = "|".join(words)
    assert _word_ranges(text, words) == re.sub(
        rf"(?<![\w-])({either})-({either})(?![\w-])", "\\1\u2013\\2", text)


def test_a_text_node_runs_the_rules_exactly_when_the_gate_lets_it(monkeypatch):
    """_typeset_node's gate (written out) is _triggered's."""
    ran = []
    real = typography._typeset_text

    def spy(text, rules, prev):
        ran.append(text)
        return real(text, rules, prev)

    monkeypatch.setattr(typography, "_typeset_text", spy)
    for lang in ("en", "fr"):
        rules = typography.RULES[lang]
        for text in _texts():
            typography._MEMO.clear()
            ran.clear()
            typography._typeset_node((text, lang, ""), rules)
            assert bool(ran) == _triggered(text, rules.french), (lang, text)


def test_set_lang_looks_each_direction_up_once(monkeypatch):
    """A language out of languages.PLAIN costs a langcodes look-up (hundreds of
    microseconds): set_lang, run for every fallback segment, remembers it."""
    from lxml import etree

    from serge_publish import languages
    asked = []
    real = languages.direction

    def counting(tag):
        asked.append(tag)
        return real(tag)

    monkeypatch.setattr(languages, "direction", counting)
    xhtml._DIRECTIONS.clear()
    for tag in ("zh-Hant", "ar", "zh-Hant", "ar"):
        el = etree.Element("span")
        xhtml.set_lang(el, tag, "zh-Hant")
        assert el.get("dir") == ("rtl" if tag == "ar" else None)
    assert sorted(asked) == ["ar", "zh-Hant"]
    xhtml._DIRECTIONS.clear()


def _naive_new(used, base):
    """Ids.new as it was: every candidate tried from the base."""
    candidate, n = base, 1
    while candidate in used or not essay._NCNAME.match(candidate):
        n += 1
        candidate = f"{base}-{n}"
    used.add(candidate)
    return candidate


def test_new_ids_are_those_tried_from_the_base_each_time():
    rng = random.Random(8)
    ids, used = essay.Ids(), set()
    bases = ["ref-n1", "ref-n1-2", "ref-n1-3", "note", "note-2", "s", "s-3"]
    for _ in range(2000):
        if rng.random() < 0.2:
            wanted = rng.choice(bases + ["1bad"]) + rng.choice(["", "-2", "-4", "-5"])
            free = wanted not in used and essay._NCNAME.match(wanted) is not None
            assert ids.claim(wanted) == (wanted if free else None)
            if free:
                used.add(wanted)
            continue
        base = rng.choice(bases)
        assert ids.new(base) == _naive_new(used, base), base
    assert ids.used == used
