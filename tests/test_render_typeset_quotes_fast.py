"""Straight quotes are converted looking only at the quotes (issue 8): the same as the
character-by-character conversion it replaced, on any text, in every language; the
cheap checks before the other rules leave their results as they were."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from serge_publish.writers.typography import (
    _NUMBER_ABBREVIATION,
    QUOTES,
    RULES,
    _convert_quotes,
    _ellipses,
    _opens,
    _ranges,
    _word_ranges,
)


def _per_character(text, q, prev):
    """The conversion as it was written before."""
    out = []
    before = prev[-1:] if prev else ""
    doubles = singles = 0
    for i, ch in enumerate(text):
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == '"':
            if _opens(before, after, doubles):
                ch, doubles = q.open1, doubles + 1
            else:
                ch, doubles = q.close1, max(doubles - 1, 0)
        elif ch == "'":
            if before.isalnum() and after.isalpha():
                ch = "\u2019"
            elif _opens(before, after, singles):
                ch, singles = q.open2, singles + 1
            elif singles:
                ch, singles = q.close2, singles - 1
            else:
                ch = "\u2019"
        out.append(ch)
        before = ch[-1]
    return "".join(out)


TEXTISH = st.text(alphabet=st.sampled_from(list("\"'' a1.,;:!?()[]-«»“‘\u00a0\u202f\t\nÉé")),
                  max_size=30)


@settings(max_examples=500, deadline=None)
@given(TEXTISH, st.sampled_from(sorted(QUOTES)), st.sampled_from(["", " ", "a", "'", "(", "«"]))
def test_quotes_converted_as_character_by_character(text, lang, prev):
    q = QUOTES[lang]
    assert _convert_quotes(text, q, prev) == _per_character(text, q, prev)


def test_some_known_conversions():
    q = QUOTES["fr"]
    for text in ('"a" \'b\' l\'homme "c \'d\' e"', '""\'\'"', "'tis the students' books'",
                 '"', "'", 'x"', '"x', "a''b", '" "'):
        assert _convert_quotes(text, q, "") == _per_character(text, q, "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123-4. p pJulyAugust–/a,")), max_size=25))
def test_the_checks_before_the_rules_change_nothing(text):
    from serge_publish.writers.typography import _RANGE, _is_range
    assert _ranges(text) == _RANGE.sub(lambda m: m.group(1) + "\u2013" + m.group(2)
                                       if _is_range(m.group(1), m.group(2)) else m.group(0),
                                       text)
    for french in (False, True):
        with_sub = re.sub(r"\.\.\.", "\u2026", text)
        assert _ellipses(text, french) == _ellipses(with_sub, french)
    words = RULES["en"].range_words
    either = "|".join(words)
    assert _word_ranges(text, words) == re.sub(
        rf"(?<![\w-])({either})-({either})(?![\w-])", "\\1\u2013\\2", text)
    if "p. " not in text:
        assert _NUMBER_ABBREVIATION.sub("\\1\u00a0", text) == text


def _dashes_unconditional(text, rules, prev):
    """The dashes as they were set before (every pattern tried on every text)."""
    from serge_publish.writers.typography import _DOUBLE_HYPHEN, _NOT_DASHED, _SPACED_HYPHEN
    if "-" not in text:
        return text
    text = _DOUBLE_HYPHEN.sub("\u2014", text)
    if prev.isspace() or not prev or not text.startswith("- "):
        text = _SPACED_HYPHEN.sub(rules.dash.lstrip(), text)
    else:
        text = text[:1] + _SPACED_HYPHEN.sub(rules.dash.lstrip(), text[1:])
    for word in rules.dash_words:
        text = re.sub(rf"(?<![\w-])([^\W\d_]+)-({word}) (?=\w)",
                      lambda m: m.group(1) + "\u2014" + m.group(2) + " "
                      if m.group(1).lower() not in _NOT_DASHED else m.group(0), text)
    return text


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(["-", "--", " ", "a", "it", "or", "and", "but",
                                 "either", "\u2014", "'", "(", "1"]), max_size=14)
       .map("".join), st.sampled_from(["en", "fr", "de", "es"]),
       st.sampled_from(["", " ", "a", "-"]))
def test_dashes_as_when_every_pattern_was_tried(text, lang, prev):
    from serge_publish.writers.typography import _dashes
    rules = RULES[lang]
    assert _dashes(text, rules, prev) == _dashes_unconditional(text, rules, prev)
