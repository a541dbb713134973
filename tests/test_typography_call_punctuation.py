"""``typography.call_punctuation`` (written without trying its pattern at every character
of the text, issue 8) gives what the pattern finds: the same split, or None, for texts
made of the characters that matter to it (punctuation, the three spaces, newlines,
letters)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from serge_publish.writers import typography
from serge_publish.writers.typography import call_punctuation

# the pattern as it was, and what call_punctuation gave with it
_PATTERN = re.compile(r"[ \u00a0\u202f]*[.,;:]+$")


def _reference(before: str) -> tuple[str, str] | None:
    m = _PATTERN.search(before)
    if not m or m.start() == 0:
        return None
    return before[:m.start()], m.group().lstrip(" \u00a0\u202f")


def test_the_pattern_is_the_module_s():
    assert typography._CALL_PUNCTUATION.pattern == _PATTERN.pattern


@pytest.mark.parametrize("before", [
    "", ".", " .", "mot", "mot.", "mot .", "mot\u202f;", "lutter ».", "mot.\n", "mot\n",
    "mot. .", "mot . .", "mot.,;:", "a\u00a0 \u202f:", "\n.", "mot.\n\n", ". mot",
    "mot .\n", "  ", " ", "mot!", "mot…", "mot. ", "\n",
])
def test_known_texts(before):
    assert call_punctuation(before) == _reference(before)


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .,;:!?\n\u00a0\u202f\u00bb\u2026")),
               max_size=12))
def test_generated_texts(before):
    assert call_punctuation(before) == _reference(before)
