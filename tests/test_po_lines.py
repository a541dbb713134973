"""The catalogue reader's one-step path counts the lines of a message from its strings
(each string line joined is a line more) rather than reading them again: the line
numbers it gives, those of the messages after it and those of the errors after it are
the line-by-line path's, read lean or not; its strings are polib's."""
from __future__ import annotations

import random

import polib
import pytest

from serge_publish.catalog.po import _Parser, parse_catalog
from serge_publish.errors import CatalogError
from tests.test_po_fast import HEADER, _catalogue

READ = ("msgctxt", "msgid", "msgstr", "msgid_plural", "msgstr_plural", "flags", "linenum",
        "obsolete", "previous_msgctxt", "previous_msgid", "previous_msgid_plural")


def _wrapped(n: int) -> str:
    """A message whose msgctxt, msgid and msgstr each take several lines."""
    return (f'#. a comment\n#: source/a.xml:{n}\n#, fuzzy\nmsgctxt ""\n"s{n} "\n"wrapped"\n'
            'msgid ""\n"first line "\n"second line "\n"third"\nmsgstr ""\n"un "\n"deux"\n')


def _read(text: str, fast: bool, lean: bool = False) -> object:
    """Each entry's fields as the build reads them, or the error (message, file:line)."""
    parser = _Parser("x.po", "UTF-8", lean)
    parser.fast = fast
    try:
        return [{name: getattr(e, name) for name in READ} for e in parser.parse(text)]
    except CatalogError as exc:
        return ("error", exc.message, exc.where, exc.hint)


def _strings(entries: list) -> list[tuple[object, ...]]:
    return [(e.msgctxt, e.msgid, e.msgstr, e.flags, e.obsolete) for e in entries
            if (e.msgctxt, e.msgid) != (None, "")]


@pytest.mark.parametrize("blank", [0, 1, 3])
@pytest.mark.parametrize("after", [
    'msgid "b"\nmsgstr "c"\n',
    'msgid "b"\nmsgstr "c"\nbroken\n',                  # an error: its line
    'msgid "b"\nmsgstr "c"\n"d"\n"e" x\n',               # ... after wrapped strings
    '#~ msgid "b"\n#~ msgstr "c"\n',
    '#| msgid "x"\nmsgid "b"\nmsgstr "c"\n',
    'msgid "b\\q"\nmsgstr "c"\n',                        # an escape that fails
    'msgid "b\\\\"\n"\\101"\nmsgstr "c"\n"d"\n\nmsgid "e"\nmsgstr "f"\n',   # escapes
    'msgid "a"\nmsgstr "again"\n',                       # a duplicate of a message before
])
def test_lines_after_wrapped_messages_read_in_one_step(blank, after):
    text = HEADER + "".join(_wrapped(n) + "\n" * blank for n in range(3)) \
        + 'msgid "a"\nmsgstr ""\n"b"\n"c"\n' + "\n" * blank + after
    slow = _read(text, False)
    assert _read(text, True) == slow
    assert _read(text, True, lean=True) == slow


@pytest.mark.parametrize("seed", range(20))
def test_catalogues_with_blank_lines_read_as_polib_reads_them(seed):
    """Strings joined from many lines, messages one to four blank lines apart: the
    strings, flags and obsolete marks polib reads, on both readers; the line numbers of
    the line-by-line path."""
    rng = random.Random(seed)
    blocks = _catalogue(rng, 40).split("\n\n")
    text = "".join(block + "\n" * rng.randint(1, 4) for block in blocks[:-1]) + blocks[-1]
    full = parse_catalog(text.encode(), "x.po")
    lean = parse_catalog(text.encode(), "x.po", lean=True)
    assert _strings(full) == _strings(lean) == _strings(polib.pofile(text))
    assert [e.linenum for e in full] == [e.linenum for e in lean]
    assert _read(text, True) == _read(text, False) == _read(text, True, lean=True)
