"""Odd but possible input: a huge name on the cover, bidi controls in a translation,
decomposed text in an import, an <embed> in an HTML page."""
from __future__ import annotations

import time

import pytest

from serge_publish.writers import cover


@pytest.mark.parametrize("text", ["x" * 200_000, "漢" * 100_000, "word " * 40_000,
                                  ("a" * 50 + " ") * 4_000])
def test_cover_wrap_measures_each_character_a_bounded_number_of_times(monkeypatch, text):
    calls = 0
    real = cover._char_width

    def counted(ch):
        nonlocal calls
        calls += 1
        return real(ch)
    monkeypatch.setattr(cover, "_char_width", counted)
    lines = cover.wrap(text, 18)
    assert calls <= 3 * len(text)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert all(cover._width(line) <= 18 for line in lines)


def test_a_cover_for_a_huge_name_is_quick():
    start = time.perf_counter()
    data = cover.cover_svg("x" * 200_000, "y " * 100_000, "en", "z" * 200_000)
    assert time.perf_counter() - start < 2.0           # 0.1 s here; it took minutes
    assert data.count(b"<tspan") == 8 + 3 + 2            # the lines each block shows


def test_wrap_still_wraps_as_before():
    assert cover.wrap("one two three four", 9) == ["one two", "three", "four"]
    assert cover.wrap("abcdefghij kl", 4) == ["abcd", "efgh", "ij", "kl"]
    assert cover.wrap("ab abcdefghij", 4) == ["ab", "abcd", "efgh", "ij"]
    assert cover.wrap("漢漢漢 a", 4) == ["漢漢", "漢 a"]
