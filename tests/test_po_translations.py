"""The build's catalogue reader (``parse_translations``: one regular expression over a
whole catalogue as msgcat writes it, no polib entry) reads what applying needs exactly as
``Translations.of(parse_catalog(..., lean=True))`` does: the same header fields, the same
(msgid, msgstr, flags) for each msgctxt, the same line for each, and the same errors
(message, file:line, hint), whatever the catalogue holds; and it is the path plain
catalogues take. Applying what it reads gives what applying the catalogue always gave."""
from __future__ import annotations

import random
from pathlib import Path

import apply_reference as reference
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from catalog_helpers import sample_document
from serge_publish.catalog import apply_catalog, format_catalog, pseudo_message
from serge_publish.catalog.po import (
    BIDI_CHARACTERS,
    Translations,
    _decode,
    _plain_translations,
    _plain_utf8,
    parse_catalog,
    parse_translations,
)
from serge_publish.errors import CatalogError
from serge_publish.model import iter_segments
from serge_publish.sourcexml import read_source
from serge_publish.xmlchars import forbidden
from tests.test_apply_reference import KINDS
from tests.test_apply_reference import _catalogue as _applied_catalogue
from tests.test_po_fast import HEADER, MUTATIONS, _catalogue

ROOT = Path(__file__).resolve().parents[1]


def _fields(translations: Translations) -> object:
    return (dict(translations.metadata), translations.metadata_is_fuzzy,
            {ctx: (msgid, msgstr, list(flags), translations.line(where))
             for ctx, (msgid, msgstr, flags, where) in translations.messages.items()})


def _read(raw: bytes, new: bool) -> object:
    """What the new reader (or the full one, lean, as the build read before) makes of
    ``raw``: the fields applying reads, or the error."""
    try:
        return _fields(parse_translations(raw, "x.po") if new else
                       Translations.of(parse_catalog(raw, "x.po", lean=True)))
    except CatalogError as exc:
        return ("error", exc.message, exc.where, exc.hint)


def _same(text: str | bytes, fast: bool | None = None) -> object:
    """The same fields or error both ways; ``fast``: whether the text must be (True) or
    must not be (False) read in one step."""
    raw = text.encode("utf-8") if isinstance(text, str) else text
    new = _read(raw, True)
    assert new == _read(raw, False), text
    _bidi_known(raw)
    _clean_known(raw)
    _bytes_read_as_text(raw)
    if fast is not None:
        try:
            decoded, charset = _decode(raw, "x.po")
        except CatalogError:
            assert not fast
            return new
        assert (_plain_translations(decoded, "x.po", charset) is not None) is fast, text
    return new


def _bytes_read_as_text(raw: bytes) -> None:
    """A UTF-8 catalogue read in one step as bytes (``_plain_utf8``, the build's way) is
    read so exactly when its text would be (``_plain_translations``), to the same fields;
    one that is not UTF-8 is not read so (the full parser reports it)."""
    read = _plain_utf8(raw, "x.po")
    if read is None:                      # its charset is not UTF-8: read as text
        return
    try:
        decoded, charset = _decode(raw, "x.po")
    except CatalogError:
        assert read is False
        return
    text_read = _plain_translations(decoded, "x.po", charset)
    assert (read is False) is (text_read is None), raw
    if read and text_read is not None:
        assert _fields(read) == _fields(text_read), raw
        assert (read.bidi, list(read._contexts)) == (text_read.bidi, list(text_read._contexts))


def _bidi_known(raw: bytes) -> None:
    """A text read in one step says whether a msgstr may hold a bidi control (applying
    then seeks none in a catalogue that has none): never no when one does."""
    try:
        read = parse_translations(raw, "x.po")
    except CatalogError:
        return
    held = any(c in e[1] for e in read.messages.values() for c in BIDI_CHARACTERS)
    assert read.bidi is None or read.bidi or not held


def _clean_known(raw: bytes) -> None:
    """A text read in one step may say that no msgstr holds a character XML cannot hold
    (applying then seeks none): never when one does."""
    try:
        read = parse_translations(raw, "x.po")
    except CatalogError:
        return
    assert not read.clean or not any(forbidden(e[1]) for e in read.messages.values()), raw


def _lines_forced(text: str) -> None:
    """Every message's line from the table of every msgid's line (the way taken when a
    msgctxt is written otherwise than as it is): the full reader's lines."""
    read = parse_translations(text.encode(), "x.po")
    full = Translations.of(parse_catalog(text.encode(), "x.po", lean=True))
    read._contexts = ["\\"] * len(read._contexts)            # never sought as written
    assert {k: read.line(v[3]) for k, v in read.messages.items()} == \
        {k: v[3] for k, v in full.messages.items()}


@pytest.mark.parametrize("seed", range(60))
def test_random_catalogues_read_alike(seed):
    """msgcat's layout with escapes, long (wrapped) strings, flags, previous strings,
    plurals and obsolete messages (the last two: read by the full parser)."""
    text = _catalogue(random.Random(seed), 40)
    _same(text)
    _lines_forced(text)


@pytest.mark.parametrize("seed", range(150))
def test_damaged_catalogues_read_alike(seed):
    """Every kind of damage (MUTATIONS of test_po_fast), anywhere: the same fields or the
    same error (message, file:line, hint) both ways."""
    rng = random.Random(seed)
    lines = _catalogue(rng, 25).split("\n")
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(lines))
        lines[at] = rng.choice(MUTATIONS)(lines[at])
    _same("\n".join(lines))


def _plain(rng: random.Random, count: int) -> str:
    """A catalogue with neither plural nor obsolete message: read in one step (if no
    string is written otherwise)."""
    text = _catalogue(rng, count)
    blocks = [b for b in text.split("\n\n") if "#~" not in b and "msgid_plural" not in b]
    return "\n\n".join(blocks).rstrip("\n") + "\n"


@pytest.mark.parametrize("seed", range(30))
def test_plain_catalogues_are_read_in_one_step(seed):
    text = _plain(random.Random(seed), 40)
    _same(text, fast=True)
    _lines_forced(text)


@pytest.mark.parametrize("seed", range(150))
def test_damaged_plain_catalogues_read_alike(seed):
    """Damage to a catalogue that would be read in one step: each line changed in turn
    by each kind of damage gives what the full reader gives (reading it in one step, or
    handing it to the full reader)."""
    rng = random.Random(seed)
    lines = _plain(rng, 12).split("\n")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(lines))
        lines[at] = rng.choice(MUTATIONS + _MORE_MUTATIONS)(lines[at])
    _same("\n".join(lines))


_MORE_MUTATIONS = [
    lambda line: line.replace('"', '"\\"', 1),                 # an escaped quote
    lambda line: line.replace('" ', '"\\" ', 1),
    lambda line: line[:-1] + '\\"' if line.endswith('"') else line,   # an escaped end
    lambda line: line[:-1] + '\\\\"' if line.endswith('"') else line,
    lambda line: line.replace('"', '""', 1),                   # an empty string before
    lambda line: line.replace(" ", ' "x" ', 1),                # two strings on a line
    lambda line: line + '\n""',                                # an empty line of a string
    lambda line: line + '\n"\\342\\200\\256"',                 # octal UTF-8 (bidi control)
    lambda line: line.replace('"', '"\\303"\n"\\251', 1),      # a character cut in two
    lambda line: line.replace("msgctxt", "msgid"),
    lambda line: line.replace("msgid", "msgctxt"),
    lambda line: line.replace("#.", "#|"),
    lambda line: line.replace("#.", "#~"),
    lambda line: line.replace("#.", "#, fuzzy\n#"),
    lambda line: line.replace("#:", "#| msgid \"old\"\n#:"),   # previous before a comment
    lambda line: line.replace("msgctxt", '#| msgctxt "a\\q"\nmsgctxt'),
    lambda line: "\t" + line,
    lambda line: line.replace('"', "\u202e\"", 1),
    lambda line: line + "\n",
]


@pytest.mark.parametrize("text", [
    "", "\n", "\n\n" + HEADER, HEADER, HEADER.rstrip("\n"), HEADER + "#. c\n",
    HEADER + 'msgid "a"\nmsgstr "b"',                          # no final line end
    'msgid "a"\nmsgstr "b"\n',                                 # no header
    'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',                   # the first line a msgctxt
    '#, fuzzy\nmsgid ""\nmsgstr "Language: fr\\n"\n',          # a fuzzy header
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n"X: a\\n"\n" b\\n"\n"Y"\n',   # odd fields
    HEADER + 'msgid ""\nmsgstr "again"\n',                     # the header twice
    HEADER + 'msgctxt ""\nmsgid ""\nmsgstr "not the header"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "s1"\nmsgid "c"\nmsgstr "d"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "s1"\nmsgid "a"\nmsgstr "d"\n',
    HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n',   # a duplicate, no msgctxt
    HEADER + 'msgid "a"\nmsgstr "b"\n\nmsgid "c"\nmsgstr "d"\n',   # messages without msgctxt
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr ""\n"b"\n""\n"c"\n',  # an empty line
    HEADER + 'msgctxt ""\n"s"\n"1"\nmsgid "a"\nmsgstr "b"\n',       # msgctxt on lines
    HEADER + 'msgctxt "s\\"1"\nmsgid "a"\nmsgstr "b"\n',            # escaped msgctxt
    HEADER + 'msgctxt "s\\\\1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "s\\1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s\\t1"\nmsgid "a"\nmsgstr "b"\n\nmsgctxt "s\t1"\nmsgid "b"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s\t1"\nmsgid "a"\nmsgstr "b"\n',            # a raw tab
    HEADER + 'msgctxt "s1"\nmsgid "a\\"b\\\\"\n"\\"c\\n"\nmsgstr "\\101\\x42"\n"\\303\\251"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "\\303"\n"\\251"\n',  # an octal UTF-8 cut
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b\\"\n',             # unterminated
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b\\\\\\"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b" "c"\n',           # two strings, a line
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"c"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr ""\n"b"c"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr ""\n"b\\q"\n',        # an invalid escape
    HEADER + 'msgctxt "s1"\nmsgid "a\\q"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s\\q"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#, fuzzy, c-format\n#,no-wrap\n#. x\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#| msgctxt "old"\n#| msgid "x"\n#| "y\\n"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#| msgid "x\\q"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',   # a failing escape
    HEADER + '#| msgid "x"y"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#| "x"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',     # a string of the msgstr
    HEADER + '#| msgstr "x"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#| msgid_plural "x"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#| msgid "x"\n#. c\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#|  msgid "x"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + '#. a\\\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',       # a comment joined
    HEADER + '#. a "\n"b"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',  # a string after one
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n"c"\n\n\n\n#~ msgid "d"\n#~ msgstr "e"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n#~ msgctxt "s1"\n#~ msgid "a"\n#~ msgstr "c"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgid_plural "as"\nmsgstr[0] "b"\nmsgstr[1] "c"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\r\n',
    HEADER.replace("\n", "\r\n") + 'msgctxt "s1"\r\nmsgid "a"\r\nmsgstr "b"\r\n',
    HEADER + 'msgctxt "s1"\nmsgid "a\x04"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n# trailing comment\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n   \n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b\u202e\u2066"\n',   # bidi controls
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\nmsgctxt "s2"\nmsgid "c"\nmsgstr "d"\n',
    HEADER + '# only a comment\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\n\nmsgstr "b"\n',
    HEADER + 'msgctxt "s1"\n#. c\nmsgid "a"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s1" \nmsgid "a"\nmsgstr "b"\n',              # trailing space
    HEADER + 'msgctxt  "s1"\nmsgid "a"\nmsgstr "b"\n',
    HEADER + 'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n""\n',
])
def test_odd_catalogues_read_alike(text):
    _same(text)


@pytest.mark.parametrize("raw", [
    b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
    b'msgctxt "s1"\nmsgid "caf\xe9"\nmsgstr "\\351t\\xe9"\n',
    b'msgid ""\nmsgstr "Content-Type: text/plain; charset=ISO-8859-1\\n"\n\n'
    b'msgctxt "s1"\nmsgid "caf\xc3\xa9"\nmsgstr "b"\n',              # UTF-8 declared otherwise
    b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    b'msgctxt "s1"\nmsgid "caf\xe9"\nmsgstr "b"\n',                  # not UTF-8
    b'msgid ""\nmsgstr "Content-Type: text/plain; charset=NOPE\\n"\n',
    b'\xef\xbb\xbfmsgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    b'msgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',                        # a byte-order mark
])
def test_charsets_read_alike(raw):
    _same(raw)


@pytest.mark.parametrize("raw", [
    b'#. caf\xe9\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',            # in a comment
    b'#, fuzzy\xff\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',          # in a flag line
    b'#| msgid "\xc3"\nmsgctxt "s1"\nmsgid "a"\nmsgstr "b"\n',       # in a previous string
    b'msgctxt "s\xc3"\nmsgid "a"\nmsgstr "b"\n',                      # in a msgctxt
    b'msgctxt "s1"\nmsgid "a\xe2\x80"\nmsgstr "b"\n',                # in a msgid
    b'msgctxt "s1"\nmsgid "a"\nmsgstr "b\xc3"\n"\xa9"\n',               # split by a line end
    b'msgctxt "s1"\nmsgid "a"\nmsgstr ""\n"b\xc3\xa9"\n"\xa9"\n\n'
    b'msgctxt "s2"\nmsgid "a"\nmsgstr "\xed\xa0\x80"\n',                # a surrogate
    b'msgctxt "s1"\nmsgid "a"\nmsgstr "b\xc3\xa9"\n',                  # (UTF-8)
])
def test_bytes_not_utf8_anywhere_read_alike(raw):
    """A UTF-8 catalogue is read in one step as bytes, only its groups decoded: bytes
    that are not UTF-8 anywhere (a comment, a flag line, any string, a character cut by
    a line end) give the full reader's error."""
    header = b'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    _same(header + raw)
    _same(raw)


@pytest.mark.parametrize("strings", [
    'msgstr "a"\n"\n', 'msgstr "a"\n"\n"b"\n', 'msgstr "\n', 'msgstr "a\n"b"\n',
    'msgstr "a""\n', 'msgstr "a" "\n', 'msgstr "a"\n"b""\n', 'msgstr "\\""\n',
    'msgstr ""\n"a\\"\n"b"\n', 'msgstr ""\n""\n"x"\n', 'msgstr "a\\""\n"\\"b"\n',
    'msgstr "a"b"\n', 'msgstr ""\n"a\\"""\n',
])
def test_lines_without_their_closing_quote_read_alike(strings):
    """A string's lines are matched up to their line ends (the closing quote checked
    after): a line that is a quote alone, or that does not end with one, a quote not
    escaped before the closing one, is read as the full reader reads it."""
    for ctx in ('msgctxt "s1"\n', ""):
        for after in ("", '\nmsgctxt "s2"\nmsgid "y"\nmsgstr "z"\n'):
            _same(HEADER + ctx + 'msgid "x"\n' + strings + after)
            _same(HEADER + ctx + strings.replace("msgstr", "msgid") + 'msgstr "x"\n' + after)


def test_the_shipped_and_msgcat_written_catalogues_are_read_in_one_step():
    shipped = sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po"))
    assert shipped
    for path in shipped:
        _same(path.read_bytes(), fast=True)
        _lines_forced(path.read_text("utf-8"))


def test_lines_are_found_in_any_order_and_again():
    text = HEADER + "".join(f'#. c\nmsgctxt "s{n}"\nmsgid ""\n"a {n}"\n"b"\nmsgstr "x"\n\n'
                            for n in range(20))
    full = Translations.of(parse_catalog(text.encode(), "x.po", lean=True)).messages
    read = parse_translations(text.encode(), "x.po")
    for ctx in ["s5", "s2", "s19", "s0", "s5", "s7", "s7"]:
        assert read.line(read.messages[ctx][3]) == full[ctx][3]


# Catalogues made of lines of every kind, in any order: the same fields or the same error.
_LINE_KINDS = st.sampled_from([
    "", "#", "# t", "#. e", "#: a.xml:3 b", "#, fuzzy", "#, c-format, fuzzy", "#,no-wrap",
    '#| msgid "old"', '#| msgctxt "c"', '#| "more"', '#~ msgid "o"', '#~ msgstr "p"',
    'msgctxt "s1"', 'msgctxt "s2"', 'msgctxt ""', 'msgid ""', 'msgid "a"', 'msgid "b\\"q"',
    'msgstr ""', 'msgstr "x"', 'msgstr "y\\n"', '"cont"', '""', '"\\t"', '"bad\\q"',
    'msgstr "z" ', ' msgid "w"', '"\\342\\200\\256"', 'msgid_plural "p"', 'msgstr[0] "q"',
    '"Language: fr\\n"', '"Last-Translator: Jean <j@x.org>\\n"', "#. a\\", 'msgstr "a"b"',
])


@settings(max_examples=400, deadline=None)
@given(st.lists(_LINE_KINDS, max_size=30), st.booleans())
def test_catalogues_of_any_lines_read_alike(lines, final_line_end):
    _same("\n".join(lines) + ("\n" if final_line_end else ""))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["", "#. e\n", "#, fuzzy\n", "#: x:1\n#, c-format\n", '#| msgid "o"\n']),
    st.one_of(st.none(), st.text(alphabet='s1"\\\tn ', max_size=4)),
    st.text(alphabet='ab"\\\n\t\u202eé ', max_size=8),
    st.text(alphabet='xy"\\\n\t\u2066ß ', max_size=8),
    st.integers(0, 2)), max_size=8))
def test_catalogues_of_any_strings_read_alike(messages):
    """Messages of any strings, as msgcat writes them (escaped, wrapped), one step
    apart or not: the same fields, or the same error (a message defined twice)."""
    import polib

    from serge_publish.catalog.po import new_entry
    po = polib.POFile()
    po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": "fr"}
    for _comments, ctx, msgid, msgstr, _blank in messages:
        po.append(new_entry(msgid=msgid, msgstr=msgstr, msgctxt=ctx))
    text = format_catalog(po) + "\n"
    _same(text)
    raw = "".join(f"{c}" + (f'msgctxt "{ctx}"\n' if ctx is not None else "")
                  + f'msgid "{i}"\nmsgstr "{s}"\n' + "\n" * blank
                  for c, ctx, i, s, blank in messages)   # written as it comes: often broken
    _same(HEADER + raw)


@pytest.mark.parametrize("message", [
    'msgctxt ""\nmsgid ""\nmsgstr """\n"\n',         # (found by the test above)
    'msgctxt "s1"\nmsgid "a"\nmsgstr "b""\n"\n',
    'msgctxt "s1"\nmsgid "a""\n"\nmsgstr "b"\n',
    'msgctxt "s1""\n"\nmsgid "a"\nmsgstr "b"\n',
    'msgctxt "s1"\nmsgid "a"\nmsgstr "b""\n"\n\nmsgctxt "s2"\nmsgid "c"\nmsgstr "d"\n',
])
def test_a_string_whose_last_line_is_a_quote_alone_is_an_error_both_ways(message):
    """The line before it ends with a quote too many, which joining the lines would take
    for the string's closing quote: the full parser's error, not a string."""
    assert _same(HEADER + message)[0] == "error"


# Applying what the reader reads: what applying the catalogue read whole gave (the
# frozen reference of test_apply_reference), statuses, lines of warnings included.

def _applied(doc, text: str, lang: str, use_fuzzy: bool):
    raw = text.encode("utf-8")
    new = apply_catalog(doc, parse_translations(raw, "x.po"), lang, use_fuzzy=use_fuzzy,
                        po_path="locale/x.po")
    old = reference.apply_catalog(doc, parse_catalog(raw, "x.po"), lang, use_fuzzy=use_fuzzy,
                                  po_path="locale/x.po")
    assert new.document == old.document
    assert [r.segment.lang for r in iter_segments(new.document)] == \
        [r.segment.lang for r in iter_segments(old.document)]
    assert (new.statuses, new.translators, new.diagnostics) == \
        (old.statuses, old.translators, old.diagnostics)
    return new


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(KINDS), min_size=12, max_size=12), st.booleans())
def test_random_catalogues_read_and_applied_as_before(kinds, use_fuzzy):
    doc = sample_document()
    text = format_catalog(_applied_catalogue(doc, kinds))
    _applied(doc, text, "fr", use_fuzzy)


def test_warnings_name_the_lines_of_the_catalogue():
    doc = sample_document()
    po = _applied_catalogue(doc, ["fuzzy", "broken", "outdated", "bidi"] * 3)
    text = format_catalog(po)
    result = _applied(doc, text, "fr", False)
    wheres = [s.where for s in result.statuses if s.where] + \
        [d.where for d in result.diagnostics]
    assert wheres and all(w.startswith("locale/x.po:") for w in wheres)
    lines = text.split("\n")
    for where in wheres:
        assert lines[int(where.rpartition(":")[2]) - 1].startswith("msgid ")


def test_the_shipped_catalogues_read_and_applied_as_before():
    applied = 0
    for path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
        source = ROOT / "source" / f"{path.stem}.xml"
        if source.is_file():
            for use_fuzzy in (False, True):
                _applied(read_source(source), path.read_text("utf-8"), path.parts[-3],
                         use_fuzzy)
                applied += 1
    assert applied


def test_a_pseudo_translation_with_escapes_reads_as_written():
    msgid = 'He said "no" \\ then <i>left</i>.'
    written = msgid.replace("\\", "\\\\").replace('"', '\\"')
    text = HEADER + f'msgctxt "s1"\nmsgid "{written}"\nmsgstr "{pseudo_message("x")}"\n'
    read = parse_translations(text.encode(), "x.po")
    assert read.messages["s1"][0] == msgid
    _same(text, fast=True)


@pytest.mark.parametrize(("strings", "held"), [
    ('msgstr "a\u202eb"\n', True),                        # on the first line
    ('msgstr ""\n"a "\n"b\u2067"\n', True),                 # on a next line
    ('msgstr ""\n"a\\n"\n"\\342\\200\\256b"\n', True),     # escaped (read apart)
    ('msgstr "\\342\\200\\254"\n', True),
    ('msgstr "a\\tb"\n', False),
    ('msgstr ""\n"a "\n"b"\n', False),
])
def test_a_bidi_control_in_a_translation_is_known_when_read(strings, held):
    """Whether a msgstr holds a bidi control is known from reading the catalogue in one
    step (its msgstrs sought at once): applying it warns as ever (see
    test_warnings_name_the_lines_of_the_catalogue), and seeks none again."""
    text = HEADER + 'msgctxt "s1"\nmsgid "x"\n' + strings + '\nmsgctxt "s2"\nmsgid "y"\n' \
        'msgstr "z"\n'
    read = parse_translations(text.encode(), "x.po")
    assert read.bidi is held
    assert any(c in read.messages["s1"][1] for c in BIDI_CHARACTERS) is held
    _same(text, fast=True)


@pytest.mark.parametrize(("strings", "held"), [
    ('msgstr "a\x0bb"\n', True),                        # a vertical tab, as it is
    ('msgstr ""\n"a "\n"b\x00"\n', True),                 # a NUL, on a next line
    ('msgstr "a\\vb"\n', True),                         # escaped
    ('msgstr ""\n"a\\n"\n"\\013b"\n', True),            # octal
    ('msgstr "\\x1f"\n', True),                         # hex
    ('msgstr "a\u0085b"\n', True),                       # a C1 control
    ('msgstr "a\ufffeb"\n', True),                       # a noncharacter
    ('msgstr "a\U0001fffeb"\n', True),                   # one out of the BMP
    ('msgstr "a\\tb\u00a0c \\"d\\" \\\\ e\\n"\n', False),  # what a text may hold
    ('msgstr "a\u202fb \u00ab c \u00bb \U0001f600"\n', False),
])
def test_a_character_xml_cannot_hold_in_a_translation_is_known_when_read(strings, held):
    """Whether a msgstr may hold a character XML cannot hold is known from reading the
    catalogue in one step (its msgstrs' bytes sought at once): a catalogue said clean
    holds none, and applying seeks none in it; one not said clean is sought as ever
    (an emoji's catalogue too: the noncharacters out of the BMP are not told apart)."""
    text = HEADER + 'msgctxt "s1"\nmsgid "x"\n' + strings + '\nmsgctxt "s2"\nmsgid "y"\n' \
        'msgstr "z"\n'
    read = parse_translations(text.encode(), "x.po")
    assert read.clean is (not held and "\U0001f600" not in strings)
    assert bool(forbidden(read.messages["s1"][1])) is held
    _same(text, fast=True)


def test_the_msgids_of_the_last_catalogue_are_taken_again_only_as_they_read():
    """The column of msgids (and of msgctxts) the same as the last catalogue's is taken
    again (an essay's catalogues, read one after another, have the same): only when its
    text and charset are the same; each catalogue reads as the full parser reads it."""
    def catalogue(charset: str, msgstr: str) -> bytes:
        return (f'msgid ""\nmsgstr "Content-Type: text/plain; charset={charset}\\n"\n\n'
                f'msgctxt "s1"\nmsgid ""\n"caf\\351 "\n"au lait"\nmsgstr "{msgstr}"\n\n'
                f'msgctxt "s\\3512"\nmsgid "b"\nmsgstr "c"\n').encode("ascii")
    latin, utf8 = catalogue("ISO-8859-1", "x"), catalogue("UTF-8", "y")
    for raw in [latin, latin, utf8, latin, utf8, utf8, catalogue("ISO-8859-1", "z")]:
        _same(raw)
    read = parse_translations(latin, "x.po")
    assert read.messages["s1"][:2] == ("café au lait", "x")
    assert read.messages["sé2"][:2] == ("b", "c")
    first, again = (parse_translations(catalogue("UTF-8", s).replace(b"\\351", b"\xc3\xa9"),
                                       "x.po") for s in ("p", "q"))
    assert first.messages["s1"][0] is again.messages["s1"][0] == "café au lait"
    assert (first.messages["s1"][1], again.messages["s1"][1]) == ("p", "q")


@pytest.mark.parametrize("string", [
    '"\\1"\n"23"', '"\\x4"\n"1"', '"\\303"\n"\\251"', '"a\\"\n"n"', '"\\\\"\n"n"',
    '"a\\n"\n"\\"b\\" \\t"', '"\\\\1"\n"2"', '"\\q"\n"x"', '"a\\"\n"\\"', '"\\x"\n"41"',
    '"\\342\\200"\n"\\256"', '"a\\"\n"\\n"',
])
def test_escapes_on_a_string_s_lines_read_alike(string):
    """A string's commonest escapes are replaced in its lines joined, any other read line
    by line (an octal or hex one may run on into the next line's): the same strings or
    error as the full reader's, which reads each line's escapes."""
    for keyword in ("msgstr", "msgid", "msgctxt"):
        lines = f'{keyword} ""\n{string}\n'
        text = HEADER + ('msgid "x"\n' + lines if keyword == "msgstr" else
                         lines + 'msgid "y"\nmsgstr "x"\n' if keyword == "msgctxt" else
                         lines + 'msgstr "x"\n')
        _same(text)


def test_lines_of_a_text_read_as_bytes_are_found_without_decoding_it():
    """A UTF-8 catalogue read as bytes: a message's line sought in its bytes (their places
    are not its characters'), in any order, then every line counted (a msgctxt written
    otherwise: the text decoded then), as the full reader gives them."""
    text = HEADER + "".join(
        f'#. é\nmsgctxt "s{n}"\nmsgid ""\n"щ {n} ⟦é⟧"\n"b"\nmsgstr "ж{"é" * n}"\n\n'
        for n in range(12)) + 'msgctxt "a\\tb"\nmsgid "x"\nmsgstr "y"\n'
    full = Translations.of(parse_catalog(text.encode(), "x.po", lean=True)).messages
    read = parse_translations(text.encode(), "x.po")
    assert isinstance(read._text, bytes)
    for ctx in ["s5", "s2", "s11", "s0", "s5", "s7", "a\tb", "s3", "s9"]:
        assert read.line(read.messages[ctx][3]) == full[ctx][3], ctx
