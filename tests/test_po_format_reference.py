"""format_catalog, made faster for issue 8 (strings that fit on their line written without
the break finder, flags, references and comments remembered), writes what the formatter
before it wrote, byte for byte (tests/po_format_reference.py, a frozen copy): random
catalogues of every kind of entry, and the shipped catalogues."""
from __future__ import annotations

import glob
import random
from pathlib import Path

import po_format_reference as reference
import polib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_po_format import _catalog

from serge_publish.catalog.po import _wrapped, format_catalog, read_catalog

ROOT = Path(__file__).resolve().parents[1]


def _reference(po: polib.POFile) -> str:
    entries = [e for e in po if not e.obsolete] + [e for e in po if e.obsolete]
    if po.metadata or po.header or entries:
        entries.insert(0, reference._header_entry(po))
    blocks = [lines for lines in map(reference._entry_lines, entries) if lines]
    return "\n".join("\n".join(lines) + "\n" for lines in blocks)


@pytest.mark.parametrize("seed", range(10))
def test_random_catalogues_are_written_as_before(seed):
    po = _catalog(1000 + seed, 150)
    rng = random.Random(seed)
    for entry in po:                 # odd flags and references the generator never makes
        if rng.random() < 0.1:
            entry.flags += rng.choice([[" fuzzy "], ["range: 1..5"], ["wrap"], ["c-format",
                                       "no-python-format"], ["possible-c-format"]])
        if rng.random() < 0.1:
            entry.occurrences = [rng.choice(["./a.xml", "././b.xml", "plain"])]
    assert format_catalog(po) == _reference(po)


def test_the_shipped_catalogues_are_written_as_before():
    paths = sorted(glob.glob(str(ROOT / "locale" / "**" / "*.po*"), recursive=True))
    assert paths
    for path in paths:
        po = read_catalog(path)
        assert format_catalog(po) == _reference(po), path


_TEXT = st.text(st.characters(blacklist_characters="\x00\x04", blacklist_categories=("Cs",)),
               max_size=120)
_NAME = st.sampled_from(["msgid", "msgstr", "msgctxt", "msgstr[0]", "msgid_plural"])


@settings(max_examples=400, deadline=None)
@given(prefix=st.sampled_from(["", "#~ ", "#| ", "#~| "]), name=_NAME, value=_TEXT,
       wrap=st.booleans(), fmt=st.sampled_from([None, "c", "python", "python-brace"]))
def test_a_string_is_wrapped_as_before(prefix, name, value, wrap, fmt):
    """The one-line shortcut decides as the break finder does, on any text (wide
    characters, controls, escapes, combining marks), at the width's edge too."""
    assert list(_wrapped(prefix, name, value, wrap, fmt)) == \
        reference._wrap_lines(prefix, name, value, wrap, fmt)


@pytest.mark.parametrize("fill", ["a", "é", "中", "\u0301", "\t", '"', "\x01", "😀"])
def test_strings_at_the_width_edge_are_wrapped_as_before(fill):
    for name in ("msgid", "msgstr[1]"):
        for size in range(50, 90):
            value = "word " * (size // 5) + fill * (size % 5)
            for text in (value, value.replace(" ", fill), fill * size):
                assert list(_wrapped("", name, text, True, None)) == \
                    reference._wrap_lines("", name, text, True, None), (name, text)
