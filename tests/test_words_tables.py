"""count_words' Unicode tables generated into ``catalog/_word_tables.py`` (issue 8: scanning
the Unicode database cost every process ~0.04 s) are the ones the database gives: recomputed
here from unicodedata, character by character, without the code that generated them."""
from __future__ import annotations

import unicodedata

from serge_publish.catalog import _word_tables as generated
from serge_publish.catalog import words as W


def _computed() -> tuple[set[int], str]:
    ignored = set()
    other_numbers = []
    for code in range(0x110000):
        category = unicodedata.category(chr(code))
        if category in ("Mn", "Me", "Mc", "Cf") and code != 0x200B and code < 0x30000:
            ignored.add(code)
        elif category == "No" and code < 0x30000:
            other_numbers.append(chr(code))
    return ignored, "".join(other_numbers)


def test_generated_tables_are_this_unicode_databases():
    ignored, other_numbers = _computed()
    assert generated.UNIDATA_VERSION == unicodedata.unidata_version, (
        "regenerate: python -m serge_publish.catalog.words > serge_publish/catalog/_word_tables.py")
    as_set = {code for first, last in generated.IGNORED for code in range(first, last + 1)}
    assert as_set == ignored
    assert generated.OTHER_NUMBERS == other_numbers
    assert W.tables_source() == open(generated.__file__, encoding="utf-8").read()


def test_rules_use_the_tables_and_drop_the_ignored_characters():
    ignored, other_numbers = _computed()
    dropped, _ = W._rules()
    assert set(dropped) == ignored and all(v is None for v in dropped.values())
    assert W.scan_tables()[1] == other_numbers
    # a combining acute (Mn) and a soft hyphen (Cf) do not break a word; U+200B does
    assert W.count_words("cafe\u0301 bi\u00adlingual") == 2
    assert W.count_words("one\u200btwo") == 2
    assert W.count_words("① ½ ¹") == 3
